terraform {
  required_version = ">= 1.16.0" # before_destroy
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

# The final backup, taken before Optimize is destroyed. It is not in the
# state, so the destroy does not delete it.
action "optimize_backup_create" "final" {
  config {
    repository_name = "optimize-archive"
  }
}

# What runs Optimize: a helm_release in real life.
resource "terraform_data" "optimize" {
  input = "8.8.1"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.optimize_backup_create.final]
      # Halts an apply that replaces the release; terraform destroy is
      # never halted by an action (see the guide).
      on_failure = halt
    }
  }
}
