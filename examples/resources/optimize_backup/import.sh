# Adopt a backup that Optimize's backup API (or anyone) took, by its id:
terraform import optimize_backup.daily 1764633600

# or in another repository than the provider's repository_name:
terraform import optimize_backup.daily optimize-backups/1764633600

# An Optimize 3.9 backup with a string id:
terraform import optimize_backup.pre_upgrade pre-upgrade-3-10
