# A backup before an upgrade, taken on apply and deleted on destroy.
resource "optimize_backup" "pre_upgrade" {
  backup_id = "pre-upgrade-3-10"

  timeouts = {
    create = "2h"
  }
}

# Optimize 8.x uses numeric backup ids; they are valid here too.
resource "optimize_backup" "nightly" {
  backup_id           = formatdate("YYYYMMDD", plantimestamp())
  wait_for_completion = false

  lifecycle {
    # Take one backup per day, not one per plan.
    ignore_changes = [backup_id]
  }
}

output "pre_upgrade_backup" {
  value = {
    state     = optimize_backup.pre_upgrade.state
    snapshots = optimize_backup.pre_upgrade.snapshots
  }
}
