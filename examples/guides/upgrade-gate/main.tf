variable "optimize_target_version" {
  type    = string
  default = "3.10.0"
}

# 1. A backup taken for this upgrade, named after the version upgraded to.
resource "optimize_backup" "pre_upgrade" {
  backup_id = "pre-upgrade-${replace(var.optimize_target_version, ".", "-")}"

  timeouts = {
    create = "2h"
  }
}

# 2. The gate: fails the plan unless the backup is COMPLETED.
data "optimize_backup_state" "gate" {
  backup_id = optimize_backup.pre_upgrade.backup_id

  lifecycle {
    postcondition {
      condition     = self.state == "COMPLETED"
      error_message = "Backup ${self.backup_id} is ${self.state}: ${self.failure_reason}"
    }
  }
}

# 3. The upgrade, which depends on the gate. In a real module this is the
#    helm_release or deployment that runs Optimize.
resource "terraform_data" "optimize" {
  input      = var.optimize_target_version
  depends_on = [data.optimize_backup_state.gate]
}
