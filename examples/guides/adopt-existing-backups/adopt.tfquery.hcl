# Every backup of the provider's repository: those Optimize's backup API took,
# and those another Terraform configuration lost track of.
list "optimize_backup" "existing" {
  provider = optimize
}
