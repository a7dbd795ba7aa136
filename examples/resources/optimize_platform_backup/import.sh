# Adopt a whole backup taken by hand or by another configuration, by its id.
# The snapshots are read in the provider's repository_name; Camunda's version
# is read from their names.
terraform import optimize_platform_backup.pre_upgrade 1796169600
