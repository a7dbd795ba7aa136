locals {
  # A number, as Optimize 3.10 and later (8.x included) require; Optimize 3.9
  # also accepts strings such as "weekly-baseline".
  weekly_backup_id = "20261123"
}

resource "optimize_backup" "weekly" {
  backup_id = local.weekly_backup_id
}

# Reported in every plan with the backup's actual state and the reason. The
# data source takes the id from the local, not from the resource, so that it
# is read during plan even when the resource is about to be replaced.
check "weekly_backup_completed" {
  data "optimize_backup_state" "weekly" {
    backup_id = local.weekly_backup_id
  }

  assert {
    condition     = data.optimize_backup_state.weekly.state == "COMPLETED"
    error_message = "Backup ${local.weekly_backup_id} is ${data.optimize_backup_state.weekly.state}: ${data.optimize_backup_state.weekly.failure_reason}"
  }
}
