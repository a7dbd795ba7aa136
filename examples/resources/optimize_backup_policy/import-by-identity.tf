# Terraform 1.12+: adopt a policy by its identity. repository_name defaults to
# the provider's repository_name.
import {
  to = optimize_backup_policy.nightly
  identity = {
    repository_name = "backups"
    name            = "nightly"
  }
}

resource "optimize_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 14
}
