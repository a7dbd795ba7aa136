# A policy is imported by <repository>/<name> (or <name> in the provider's
# repository): its backups are those whose snapshots carry its name.
terraform import optimize_backup_policy.nightly backups/nightly
