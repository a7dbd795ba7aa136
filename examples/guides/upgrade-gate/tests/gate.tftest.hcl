# terraform test for the upgrade gate, offline: mock_provider "optimize"
# answers from the provider's schema, and override_data sets what
# optimize_backup_state reads. Terraform 1.7+.
#   terraform init && terraform test

mock_provider "optimize" {}

variables {
  optimize_target_version = "3.10.0"
}

run "completed_backup_lets_the_upgrade_through" {
  override_data {
    target = data.optimize_backup_state.gate
    values = {
      state          = "COMPLETED"
      failure_reason = ""
    }
  }

  assert {
    condition     = optimize_backup.pre_upgrade.backup_id == "pre-upgrade-3-10-0"
    error_message = "The backup is not named after the version upgraded to."
  }
  assert {
    condition     = terraform_data.optimize.output == "3.10.0"
    error_message = "The upgrade was not made."
  }
}

run "failed_backup_stops_the_upgrade" {
  variables {
    optimize_target_version = "3.11.0"
  }

  override_data {
    target = data.optimize_backup_state.gate
    values = {
      state          = "FAILED"
      failure_reason = "part 2 of 2: disk full"
    }
  }

  expect_failures = [data.optimize_backup_state.gate]
}
