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

# A backup every night; kept: the newest of each of the last 7 days, 4 ISO
# weeks and 12 months (Berlin's calendar), never fewer than 3; a restore
# drill of the newest backup once a week.
resource "optimize_backup_policy" "nightly" {
  name         = "nightly"
  every        = "24h"
  keep_daily   = 7
  keep_weekly  = 4
  keep_monthly = 12
  time_zone    = "Europe/Berlin"
  min_count    = 3
  stale_after  = "6h"
  verify_every = "168h"
}

# Warns in every plan when the newest COMPLETED backup is too old (the
# schedule stopped) or something needs an operator.
check "nightly_backups" {
  assert {
    condition     = optimize_backup_policy.nightly.latest_completed_at != "" && timecmp(optimize_backup_policy.nightly.latest_completed_at, timeadd(plantimestamp(), "-36h")) > 0
    error_message = "No COMPLETED nightly Optimize backup in the last 36 hours (latest: ${optimize_backup_policy.nightly.latest_completed_at})."
  }
  assert {
    condition     = optimize_backup_policy.nightly.last_verification_passed != false
    error_message = "The last restore drill (backup ${optimize_backup_policy.nightly.last_verified_backup_id}) failed: ${optimize_backup_policy.nightly.last_verification_error}"
  }
  assert {
    condition     = length(optimize_backup_policy.nightly.stuck_backup_ids) == 0
    error_message = "Optimize backups stuck IN_PROGRESS: ${join(", ", optimize_backup_policy.nightly.stuck_backup_ids)}."
  }
}
