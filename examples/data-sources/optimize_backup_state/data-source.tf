# Gate an Optimize upgrade on a completed backup.
variable "pre_upgrade_backup_id" {
  description = "Id of the backup taken before the upgrade."
  type        = string
}

# Fails the plan, and so the upgrade, unless the backup is COMPLETED.
data "optimize_backup_state" "pre_upgrade" {
  backup_id = var.pre_upgrade_backup_id

  lifecycle {
    postcondition {
      condition     = self.state == "COMPLETED"
      error_message = "Backup ${self.backup_id} is ${self.state}, not COMPLETED: do not upgrade Optimize. ${self.failure_reason}"
    }
  }
}

# Stands for the upgrade itself (a helm_release, a kubernetes_deployment, ...):
# it depends on the gate, so it is not changed unless the backup is COMPLETED.
resource "terraform_data" "optimize_upgrade" {
  input      = "3.10.0"
  depends_on = [data.optimize_backup_state.pre_upgrade]
}

# Reports, without blocking, whenever the backup stops being COMPLETED
# (in every plan and apply, scheduled ones included).
check "pre_upgrade_backup_completed" {
  data "optimize_backup_state" "watch" {
    backup_id = var.pre_upgrade_backup_id
  }

  assert {
    condition     = data.optimize_backup_state.watch.state == "COMPLETED"
    error_message = "Backup ${var.pre_upgrade_backup_id} is ${data.optimize_backup_state.watch.state}: ${data.optimize_backup_state.watch.failure_reason}"
  }
}

output "pre_upgrade_backup_snapshots" {
  value = data.optimize_backup_state.pre_upgrade.snapshots
}
