# What `make demo` applies: one Optimize backup against the local emulator
# (or any Elasticsearch 7.17 at var.elasticsearch_endpoint).
terraform {
  required_providers {
    optimize = {
      source = "optimize-tf/optimize"
    }
  }
}

variable "elasticsearch_endpoint" {
  type    = string
  default = "http://127.0.0.1:9200"
}

# Unix seconds (`date +%s`), as Camunda's other components take them: make
# demo passes the current time. Optimize 3.9 takes a string id instead.
variable "backup_id" {
  type    = string
  default = "1764633600"
}

provider "optimize" {
  repository_name = "backups"

  elasticsearch {
    endpoints = [var.elasticsearch_endpoint]
  }
}

resource "optimize_backup" "quickstart" {
  backup_id = var.backup_id
}

data "optimize_backup_state" "quickstart" {
  backup_id = optimize_backup.quickstart.backup_id
}

output "state" {
  value = data.optimize_backup_state.quickstart.state
}

# The snapshot names and the per-part detail are the data source's: the
# resource's state keeps only what drift checks and gates use, so that
# refreshes stay fast.
output "snapshots" {
  value = data.optimize_backup_state.quickstart.snapshots
}

output "parts" {
  value = [for p in data.optimize_backup_state.quickstart.parts : "${p.name}: ${p.state}, ${length(p.indices)} indices, ${p.shards_successful}/${p.shards_total} shards"]
}
