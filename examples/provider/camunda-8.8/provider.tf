# Camunda 8.8 and 8.9: the Orchestration Cluster's management port (no credentials).
provider "optimize" {
  repository_name = "camunda-backups"

  elasticsearch {
    endpoints = ["https://elasticsearch.example.com:9200"]
  }

  camunda {
    management_endpoint = "http://camunda.example.com:9600" # or CAMUNDA_MANAGEMENT_ENDPOINT
  }
}
