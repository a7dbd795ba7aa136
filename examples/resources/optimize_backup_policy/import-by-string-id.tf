# Adopt a policy, another workspace's say, by "<repository>/<name>" (or
# "<name>" in the provider's repository): its backups are those whose
# snapshots carry its name.
import {
  to = optimize_backup_policy.nightly
  id = "backups/nightly"
}

resource "optimize_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 14
}
