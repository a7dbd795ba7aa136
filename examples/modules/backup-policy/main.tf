# A small module around optimize_backup_policy: one policy with this team's
# defaults, which callers name and tune. The caller configures the provider.
terraform {
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

variable "name" {
  type        = string
  description = "The policy's name, which marks its backups in the repository."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,63}$", var.name))
    error_message = "name: lowercase letters, digits and - (not first), at most 64 characters."
  }
}

variable "every" {
  type        = string
  description = "How often a backup is due (a Go duration)."
  default     = "24h"
}

variable "keep_last" {
  type        = number
  description = "How many COMPLETED backups to keep."
  default     = 14

  validation {
    condition     = var.keep_last >= 1
    error_message = "keep_last must be at least 1."
  }
}

variable "min_count" {
  type        = number
  description = "Retention never leaves fewer COMPLETED backups than this."
  default     = 3
}

variable "max_age" {
  type        = string
  description = "Backups older than this are deleted (a Go duration); null: no age limit."
  default     = null
}

variable "repository_name" {
  type        = string
  description = "Snapshot repository; null: the provider's repository_name."
  default     = null
}

resource "optimize_backup_policy" "this" {
  name            = var.name
  every           = var.every
  keep_last       = var.keep_last
  min_count       = var.min_count
  max_age         = var.max_age
  repository_name = var.repository_name

  lifecycle {
    precondition {
      condition     = var.min_count <= var.keep_last
      error_message = "min_count (${var.min_count}) must not exceed keep_last (${var.keep_last})."
    }
  }
}

output "id" {
  description = "<repository_name>/<name>."
  value       = optimize_backup_policy.this.id
}

output "latest_completed_at" {
  description = "When the newest COMPLETED backup ended; empty when none is."
  value       = optimize_backup_policy.this.latest_completed_at
}
