# Terraform 1.12+: adopt a whole backup by its identity.
import {
  to = optimize_platform_backup.pre_upgrade
  identity = {
    backup_id = "1796169600"
  }
}

resource "optimize_platform_backup" "pre_upgrade" {
  backup_id = "1796169600"
}
