# Nightly whole Camunda 8 backups: one id across Zeebe, the web apps,
# Optimize and the exported records, taken by each scheduled apply once
# the newest backup complete everywhere is a day old.
provider "optimize" {
  repository_name = "camunda-backups" # Optimize's snapshots and the records snapshot

  elasticsearch {
    endpoints = ["https://elasticsearch.example.com:9200"]
  }

  camunda {
    management_endpoint = "http://camunda.example.com:9600" # Camunda 8.8 and 8.9
  }
}

resource "optimize_platform_backup_policy" "nightly" {
  name  = "nightly"
  every = "24h"

  # Retention by id across every component: an id goes from all of them
  # at once. The newest id complete everywhere is never deleted, nor an
  # id while any of its components is IN_PROGRESS.
  keep_daily   = 7
  keep_weekly  = 4
  keep_monthly = 12
  time_zone    = "Europe/Berlin"

  stale_after = "6h"
}

# For node_exporter's textfile collector: after the scheduled apply,
#   terraform output -raw platform_backup_metrics > camunda_backups.prom.tmp && mv camunda_backups.prom.tmp camunda_backups.prom
# (guide "Alert on backups with Prometheus").
output "platform_backup_metrics" {
  value = optimize_platform_backup_policy.nightly.prometheus_metrics
}
