provider "optimize" {
  # The snapshot repository Optimize uses (CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME).
  repository_name = "optimize-backups"
  # Optimize's es.settings.index.prefix; "optimize" by default.
  index_prefix = "optimize"

  elasticsearch {
    endpoints = ["https://elasticsearch.example.com:9200"]
    username  = "optimize-backup"
    password  = var.elasticsearch_password
    ca_file   = "/etc/ssl/certs/elasticsearch-ca.pem"
  }
}

variable "elasticsearch_password" {
  type      = string
  sensitive = true
}
