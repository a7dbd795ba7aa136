# Terraform 1.7+: the backup leaves the state, and its snapshots stay.
# Remove the resource "optimize_backup" "pre_upgrade" block, and add:
removed {
  from = optimize_backup.pre_upgrade

  lifecycle {
    destroy = false
  }
}
