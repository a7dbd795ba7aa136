terraform {
  required_version = ">= 1.16.0" # before_update with on_failure
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

variable "optimize_version" {
  type    = string
  default = "8.8.1"
}

# The policy exists before the first upgrade marks a backup with its name
# (a new policy whose name already marks backups is refused at plan time).
resource "optimize_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 14
}

# Takes a backup now and waits for it; fails unless it is COMPLETED. Its id
# is the cluster's clock in unix seconds; policy_name leaves the backup to
# the policy's retention.
action "optimize_backup_create" "pre_upgrade" {
  config {
    policy_name = "nightly"
  }
}

# What carries Optimize's version: a helm_release in real life.
resource "terraform_data" "optimize" {
  input = var.optimize_version

  lifecycle {
    action_trigger {
      events     = [before_update]
      actions    = [action.optimize_backup_create.pre_upgrade]
      on_failure = halt
    }
  }
}
