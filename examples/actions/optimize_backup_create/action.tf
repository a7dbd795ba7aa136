# A backup before every upgrade (Terraform 1.16): the resource that carries Optimize's version
# (a Helm release; here a terraform_data) triggers the backup before its update and before its
# destroy, and the apply halts, the upgrade not made, when the backup is not COMPLETED.
action "optimize_backup_create" "pre_upgrade" {
  config {
    # backup_id defaults to the cluster's clock in unix seconds at the invoke.
    # Mark it as the nightly policy's, so that its retention expires it in time.
    policy_name = "nightly"

    timeouts = {
      invoke = "2h"
    }
  }
}

resource "terraform_data" "optimize_release" {
  input = "8.8.0" # Optimize's version: changing it is the upgrade

  lifecycle {
    action_trigger {
      events     = [before_update, before_destroy]
      actions    = [action.optimize_backup_create.pre_upgrade]
      on_failure = halt
    }
  }
}
