# Every backup of the provider's repository, newest first.
data "optimize_backups" "all" {}

# Only the completed backups taken for Optimize 8.8.
data "optimize_backups" "restorable" {
  state            = "COMPLETED"
  optimize_version = "8.8.0"
}

variable "max_backup_age" {
  description = "How old the newest COMPLETED backup may be."
  type        = string
  default     = "24h"
}

# Warns in every plan and apply (scheduled ones included) when the newest
# COMPLETED backup is older than max_backup_age, or when there is none.
check "fresh_backup" {
  data "optimize_backups" "completed" {
    state = "COMPLETED"
  }

  assert {
    # try(): with no backup, backups[0] does not exist.
    condition = try(
      timecmp(timeadd(data.optimize_backups.completed.backups[0].start_time, var.max_backup_age), plantimestamp()) > 0,
      false
    )
    error_message = try(
      "The newest COMPLETED Optimize backup, ${data.optimize_backups.completed.backups[0].backup_id}, started at ${data.optimize_backups.completed.backups[0].start_time}: older than ${var.max_backup_age}.",
      "No COMPLETED Optimize backup exists in repository ${data.optimize_backups.completed.repository_name}."
    )
  }
}

output "backup_ids" {
  value = [for b in data.optimize_backups.all.backups : "${b.backup_id} (${b.state})"]
}
