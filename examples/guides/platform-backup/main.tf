terraform {
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

variable "camunda_chart_version" {
  description = "The Camunda Helm chart version to upgrade to."
  type        = string
}

provider "optimize" {
  repository_name = "camunda-backups"

  elasticsearch {
    endpoints = ["https://elasticsearch.example.internal:9200"]
  }

  camunda {
    management_endpoint = "http://camunda.example.internal:9600" # Camunda 8.8 and 8.9
  }
}

# Backup X of every component, with X chosen by the provider. Its create
# fails unless the whole backup is COMPLETED. A later refresh that finds it
# broken plans a replacement with a new id, applied before any change to the
# upgrade; with backup_id set, the postcondition fails that plan instead.
resource "optimize_platform_backup" "pre_upgrade" {
  lifecycle {
    postcondition {
      condition     = self.state == "COMPLETED"
      error_message = "Platform backup ${self.backup_id} is ${self.state}: ${self.failure_reason}"
    }
  }
}

# Stands in for the upgrade itself (a helm_release, say): it is applied only
# after the backup was taken and found COMPLETED.
resource "terraform_data" "camunda_upgrade" {
  input      = var.camunda_chart_version
  depends_on = [optimize_platform_backup.pre_upgrade]
}

# A scheduled plan warns when the backup stops being a restore point.
check "platform_backup" {
  assert {
    condition     = optimize_platform_backup.pre_upgrade.state == "COMPLETED"
    error_message = "Platform backup ${optimize_platform_backup.pre_upgrade.backup_id}: ${optimize_platform_backup.pre_upgrade.failure_reason}"
  }
}
