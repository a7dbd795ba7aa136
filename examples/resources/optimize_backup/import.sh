# Adopt a backup that Optimize's backup API (or anyone) took, by its id:
terraform import optimize_backup.pre_upgrade pre-upgrade-3-10

# or in another repository than the provider's repository_name:
terraform import optimize_backup.pre_upgrade optimize-backups/pre-upgrade-3-10
