# terraform test for the module's settings, offline: mock_provider "optimize"
# answers from the provider's schema, with no cluster. Terraform 1.7+.
#   terraform init && terraform test

mock_provider "optimize" {
  mock_resource "optimize_backup_policy" {
    defaults = {
      id                  = "backups/nightly"
      latest_completed_at = "2026-09-01T02:00:00Z"
    }
  }
}

variables {
  name = "nightly"
}

run "defaults" {
  command = plan

  assert {
    condition     = optimize_backup_policy.this.name == "nightly"
    error_message = "The policy is not named after var.name."
  }
  assert {
    condition     = optimize_backup_policy.this.every == "24h" && optimize_backup_policy.this.keep_last == 14 && optimize_backup_policy.this.min_count == 3
    error_message = "The defaults are not every = 24h, keep_last = 14, min_count = 3."
  }
  assert {
    condition     = optimize_backup_policy.this.max_age == null
    error_message = "max_age is set although no age limit was asked for."
  }
}

run "weekly_archive" {
  command = plan

  variables {
    name            = "weekly"
    every           = "168h"
    keep_last       = 8
    min_count       = 2
    max_age         = "2160h"
    repository_name = "archive"
  }

  assert {
    condition     = optimize_backup_policy.this.every == "168h" && optimize_backup_policy.this.keep_last == 8 && optimize_backup_policy.this.min_count == 2
    error_message = "The schedule and retention are not the ones given."
  }
  assert {
    condition     = optimize_backup_policy.this.max_age == "2160h" && optimize_backup_policy.this.repository_name == "archive"
    error_message = "max_age or repository_name is not the one given."
  }
}

run "invalid_name" {
  command = plan

  variables {
    name = "Nightly"
  }

  expect_failures = [var.name]
}

run "min_count_above_keep_last" {
  command = plan

  variables {
    keep_last = 2
    min_count = 3
  }

  expect_failures = [optimize_backup_policy.this]
}

# An apply with the mocked provider: the outputs carry what the provider
# computes (here the mock's defaults).
run "outputs" {
  assert {
    condition     = output.id == "backups/nightly"
    error_message = "output id is not the policy's id."
  }
  assert {
    condition     = output.latest_completed_at == "2026-09-01T02:00:00Z"
    error_message = "output latest_completed_at is not the policy's."
  }
}
