# Camunda 8.8: Optimize's and the exported records' snapshots go through
# Elasticsearch, the web apps' and Zeebe's backups and the exporting pause
# through the Orchestration Cluster's management port. For 8.6/8.7 and 8.10
# see the provider's examples and the guide "Back up the whole Camunda 8
# platform".
provider "optimize" {
  repository_name = "camunda-backups" # Optimize's snapshots and the records snapshot

  elasticsearch {
    endpoints = ["https://elasticsearch.example.com:9200"]
  }

  camunda {
    # Camunda's version is read from the exported records' index names
    # (zeebe-record_<type>_<X.Y.Z>_<date>) unless version is set.
    management_endpoint = "http://camunda.example.com:9600" # or CAMUNDA_MANAGEMENT_ENDPOINT
  }
}

# Backup X of every component, before an upgrade. backup_id is left to the
# provider: the cluster's clock in unix seconds at apply, above Zeebe's latest
# backup id, and a new one whenever the backup is replaced.
resource "optimize_platform_backup" "pre_upgrade" {
  timeouts = {
    create = "2h" # default 1h; exporting is resumed when it strikes
  }

  lifecycle {
    # A replacement (a backup found broken at a refresh, a changed
    # repository_name, -replace) has a new id, so it can be taken before the
    # old backup is deleted: the old one is deleted only once the new one's
    # create succeeded, which needs the new backup COMPLETED. With backup_id
    # set, a replacement would need the old id again, which Zeebe refuses.
    create_before_destroy = true
  }
}

output "pre_upgrade_backup" {
  value = {
    id                       = optimize_platform_backup.pre_upgrade.backup_id
    state                    = optimize_platform_backup.pre_upgrade.state
    exporting_paused_seconds = optimize_platform_backup.pre_upgrade.exporting_paused_seconds
  }
}
