# Backup 1764633600 of the whole Camunda 8 installation: every component's
# snapshots of that id (Optimize, the web apps or Operate and Tasklist, the
# exported Zeebe records).
data "optimize_platform_backup" "pre_upgrade" {
  backup_id = "1764633600"

  # Where a component writes to another repository than the provider's:
  # repository_names = { webapps = "camunda-webapps", zeebe_records = "zeebe-records" }

  # A platform without Optimize, or without exported records:
  # expect = ["webapps", "zeebe_records"]
}

output "platform_backup" {
  value = {
    state   = data.optimize_platform_backup.pre_upgrade.state
    version = data.optimize_platform_backup.pre_upgrade.camunda_version
    missing = data.optimize_platform_backup.pre_upgrade.missing
  }
}
