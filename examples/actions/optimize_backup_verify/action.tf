# A restore drill, with Terraform 1.14 or later:
#
#   terraform apply -invoke=action.optimize_backup_verify.weekly
#
# It restores both parts of the backup under drill-<backup_id>- (no Optimize reads them), checks
# them, reports each index's documents beside the live installation's, and deletes what it
# restored, whatever happens. Optimize keeps running.
action "optimize_backup_verify" "weekly" {
  config {
    backup_id = "1764633600"

    timeouts = {
      invoke = "2h"
    }
  }
}
