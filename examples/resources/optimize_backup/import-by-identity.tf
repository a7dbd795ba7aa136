# Terraform 1.12+: adopt a backup by its identity. repository_name defaults to
# the provider's repository_name.
import {
  to = optimize_backup.nightly
  identity = {
    repository_name = "optimize-backups"
    backup_id       = "1764633600"
  }
}

resource "optimize_backup" "nightly" {
  backup_id       = "1764633600"
  repository_name = "optimize-backups"
}
