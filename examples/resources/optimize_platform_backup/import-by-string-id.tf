# Adopt a whole backup taken by hand or by another configuration, by its id.
import {
  to = optimize_platform_backup.pre_upgrade
  id = "1796169600"
}

resource "optimize_platform_backup" "pre_upgrade" {
  backup_id = "1796169600"
}
