terraform {
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}
