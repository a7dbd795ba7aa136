# Terraform 1.12+: adopt a platform backup policy by its identity.
import {
  to = optimize_platform_backup_policy.nightly
  identity = {
    repository_name = "camunda-backups"
    name            = "nightly"
  }
}

resource "optimize_platform_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 7
}
