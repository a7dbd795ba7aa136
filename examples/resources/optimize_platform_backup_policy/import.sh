# A platform policy is imported by <repository>/<name> (or <name> in the
# provider's repository): its ids are those whose Optimize snapshots carry
# its name.
terraform import optimize_platform_backup_policy.nightly camunda-backups/nightly
