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
  stale_after = "6h"
}

# Every Optimize backup of the repository. Referring to the policy makes
# Terraform read it after the policy's apply, so the metrics include the
# backup the run took. No state filter: the metrics count what is listed.
data "optimize_backups" "all" {
  stale_after = optimize_backup_policy.nightly.stale_after
}

# Written to node_exporter's textfile collector after each scheduled apply:
#   terraform output -raw backup_metrics > "$DIR/optimize_backup.prom.$$" && mv ...
output "backup_metrics" {
  description = "Optimize backup health in the Prometheus text exposition format."
  value       = data.optimize_backups.all.prometheus_metrics
}
