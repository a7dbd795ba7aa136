# Stop Optimize first (for example: kubectl scale deployment/optimize --replicas=0):
# restoring onto a running Optimize corrupts it. Then, with Terraform 1.14 or later:
#
#   terraform apply -invoke=action.optimize_backup_restore.from_nightly
#
# and start the Optimize version the backup was taken with once it has finished.
action "optimize_backup_restore" "from_nightly" {
  config {
    backup_id = "1748736000"

    # The version of the Optimize that will read the data; the backup's version must equal it.
    # Defaults to the provider's optimize_version, else the version in Optimize's metadata index.
    optimize_version = "3.9.0"

    # Delete the installation's current indices (and only those) before restoring.
    # Without it, the restore refuses while any of them exists, and lists them.
    delete_existing_indices = true

    timeouts = {
      invoke = "2h"
    }
  }
}
