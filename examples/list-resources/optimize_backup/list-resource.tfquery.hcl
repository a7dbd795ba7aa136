# terraform query (Terraform 1.14+) lists every backup of the repository;
# `terraform query -generate-config-out=adopted.tf` writes an import block and
# a resource for each, which `terraform apply` then adopts.
list "optimize_backup" "all" {
  provider = optimize
}

# Only the completed backups of Optimize 8.8, with their full state.
list "optimize_backup" "restorable" {
  provider         = optimize
  include_resource = true

  config {
    state            = "COMPLETED"
    optimize_version = "8.8.0"
  }
}
