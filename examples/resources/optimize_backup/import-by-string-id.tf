# Adopt a backup that Optimize's backup API (or anyone) took, by its id, or by
# "<repository>/<backup_id>" for another repository than the provider's.
import {
  to = optimize_backup.pre_upgrade
  id = "pre-upgrade-3-10"
}

resource "optimize_backup" "pre_upgrade" {
  backup_id = "pre-upgrade-3-10"
}
