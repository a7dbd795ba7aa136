# A backup before an upgrade, taken on apply and deleted on destroy.
resource "optimize_backup" "pre_upgrade" {
  backup_id = "pre-upgrade-3-10"

  timeouts = {
    create = "2h"
  }
}

# One rolling daily backup with a numeric id, as Optimize 8.x requires: the
# first apply of a day takes today's backup, then deletes yesterday's.
resource "optimize_backup" "daily" {
  backup_id = formatdate("YYYYMMDD", plantimestamp())

  lifecycle {
    create_before_destroy = true
  }
}

output "pre_upgrade_backup" {
  value = {
    state     = optimize_backup.pre_upgrade.state
    snapshots = optimize_backup.pre_upgrade.snapshots
  }
}
