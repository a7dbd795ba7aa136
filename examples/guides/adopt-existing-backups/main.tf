terraform {
  required_version = ">= 1.14.0"
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

provider "optimize" {
  repository_name = "optimize-backups"
  elasticsearch {
    endpoints = ["https://elasticsearch.example.com:9200"]
  }
}
