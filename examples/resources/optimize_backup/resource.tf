# Optimize 8.x (and 3.10 or later): the backup id is a number. Optimize's own
# backup list (GET /actuator/backups) reads every backup's snapshot names back
# as a number and fails for the whole repository on one that is not, so the
# provider refuses ids such as "nightly-1" or "007" at plan time.
#
# A backup before an upgrade, with a unix-second id (the ids Camunda's other
# components take, and that sort after date-like ids). ignore_changes keeps
# the id of the first apply; for scheduled backups with retention use
# optimize_backup_policy.
resource "optimize_backup" "before_8_9" {
  backup_id        = provider::optimize::backup_id(plantimestamp())
  optimize_version = "8.8.0" # or set it on the provider, or let it be read from Optimize's metadata index

  lifecycle {
    ignore_changes = [backup_id]
  }
}

# Optimize 3.9: the backup id is a string (lowercase, no spaces, none of
# " * \ < | , > / ? _ #), as Optimize 3.9's backup API takes it.
resource "optimize_backup" "pre_upgrade" {
  backup_id        = "pre-upgrade-3-10"
  optimize_version = "3.9.0"

  timeouts = {
    create = "2h"
  }
}

# The snapshot names and each part's detail are read with the
# optimize_backup_state data source: the resource's state keeps what drift
# checks and gates use.
data "optimize_backup_state" "pre_upgrade" {
  backup_id = optimize_backup.pre_upgrade.backup_id
}

output "pre_upgrade_backup" {
  value = {
    state     = optimize_backup.pre_upgrade.state
    snapshots = data.optimize_backup_state.pre_upgrade.snapshots
  }
}
