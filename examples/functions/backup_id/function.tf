# The unix-second id of a moment: "1764633600".
output "backup_id" {
  value = provider::optimize::backup_id("2025-12-02T00:00:00Z")
}

# A pre-upgrade backup named by the time of the plan.
resource "optimize_backup" "pre_upgrade" {
  backup_id = provider::optimize::backup_id(plantimestamp())

  lifecycle {
    ignore_changes = [backup_id]
  }
}
