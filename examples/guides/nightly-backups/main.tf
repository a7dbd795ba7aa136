terraform {
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

provider "optimize" {
  repository_name = "backups"
  elasticsearch {
    endpoints = ["https://elasticsearch.example.internal:9200"]
  }
}

resource "optimize_backup_policy" "nightly" {
  name        = "nightly"
  every       = "24h"
  keep_last   = 14
  max_age     = "720h"
  min_count   = 3
  stale_after = "6h"
}

# Warns in every plan when the newest COMPLETED backup is too old (the
# schedule stopped) or something needs an operator.
check "nightly_backups" {
  assert {
    condition     = optimize_backup_policy.nightly.latest_completed_at != "" && timecmp(optimize_backup_policy.nightly.latest_completed_at, timeadd(plantimestamp(), "-36h")) > 0
    error_message = "No COMPLETED nightly Optimize backup in the last 36 hours (latest: ${optimize_backup_policy.nightly.latest_completed_at})."
  }
  assert {
    condition     = length(optimize_backup_policy.nightly.stuck_backup_ids) == 0
    error_message = "Optimize backups stuck IN_PROGRESS: ${join(", ", optimize_backup_policy.nightly.stuck_backup_ids)}."
  }
}
