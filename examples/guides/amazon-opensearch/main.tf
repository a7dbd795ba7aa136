terraform {
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

# On EKS with IRSA: the pod's service account is annotated with
# eks.amazonaws.com/role-arn, and the SDK's chain finds the web identity
# (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE) by itself.
provider "optimize" {
  repository_name = "optimize-s3"

  elasticsearch {
    endpoints = ["https://search-optimize-abc123.eu-west-1.es.amazonaws.com"]

    aws {
      region = "eu-west-1"
      # profile         = "ops"                                               # a shared-config profile
      # assume_role_arn = "arn:aws:iam::123456789012:role/optimize-backup"  # a role to assume
    }
  }
}

resource "optimize_backup_policy" "nightly" {
  name      = "nightly"
  every     = "24h"
  keep_last = 14
}
