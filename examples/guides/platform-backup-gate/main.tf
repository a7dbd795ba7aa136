terraform {
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

variable "backup_id" {
  description = "The id every component's backup was taken with (unix seconds)."
  type        = string
}

provider "optimize" {
  repository_name = "camunda-backups"
  elasticsearch {
    endpoints = ["https://elasticsearch.example.internal:9200"]
  }
}

data "optimize_platform_backup" "pre_upgrade" {
  backup_id = var.backup_id
}

# The upgrade itself (a Helm release, say) waits for this resource: its
# precondition fails the plan unless backup var.backup_id of the whole
# platform is COMPLETED.
resource "terraform_data" "camunda_upgrade_gate" {
  input = var.backup_id

  lifecycle {
    precondition {
      condition     = data.optimize_platform_backup.pre_upgrade.state == "COMPLETED"
      error_message = "Camunda backup ${var.backup_id} is ${data.optimize_platform_backup.pre_upgrade.state}: ${data.optimize_platform_backup.pre_upgrade.failure_reason} Missing: ${join(", ", data.optimize_platform_backup.pre_upgrade.missing)}."
    }
  }
}
