# A backup every night, kept for 30 days but never fewer than 3, at most 14.
# Run `terraform apply` on a schedule (a CI cron, a Kubernetes CronJob):
# each run takes a backup when one is due and deletes what retention names in
# the plan; when nothing is due, the plan is empty.
resource "optimize_backup_policy" "nightly" {
  name        = "nightly"
  every       = "24h"
  keep_last   = 14
  max_age     = "720h"
  min_count   = 3
  stale_after = "6h"
}

output "latest_backup" {
  value = {
    id           = optimize_backup_policy.nightly.latest_backup_id
    completed_at = optimize_backup_policy.nightly.latest_completed_at
  }
}

# Calendar tiers instead of a count: the newest backup of each of the last 7
# days, 4 ISO weeks and 12 months (in the time zone's calendar), and a weekly
# restore drill of the newest one.
resource "optimize_backup_policy" "tiered" {
  name         = "tiered"
  every        = "24h"
  keep_daily   = 7
  keep_weekly  = 4
  keep_monthly = 12
  time_zone    = "Europe/Berlin"
  verify_every = "168h"
}
