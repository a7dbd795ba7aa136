# A weekly restore drill (Terraform 1.14 or later), in a configuration of
# its own: a drill that would be refused fails the plan, and it should not
# stop the nightly backups' apply with it.
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

# The newest COMPLETED backup of the repository, read at plan time.
data "optimize_backups" "completed" {
  state = "COMPLETED"
}

locals {
  weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
  # The Monday of this week (UTC), as 2026-11-30: it changes once a week.
  # plantimestamp(), not timestamp(): timestamp() is unknown until the
  # apply, so the input would change, and the drill run, at every apply.
  week = formatdate("YYYY-MM-DD", timeadd(plantimestamp(), "-${index(local.weekdays, formatdate("EEE", plantimestamp())) * 24}h"))
}

action "optimize_backup_verify" "weekly" {
  config {
    backup_id = data.optimize_backups.completed.backups[0].backup_id

    timeouts = {
      invoke = "2h"
    }
  }
}

# The first apply of each week updates the input, and the update triggers
# the drill; the other applies of the week plan no change and no drill.
resource "terraform_data" "weekly_drill" {
  input = local.week

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.optimize_backup_verify.weekly]
    }
  }
}
