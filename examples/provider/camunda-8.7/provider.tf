# Camunda 8.6 and 8.7: each component's management port.
provider "optimize" {
  repository_name = "camunda-backups"

  elasticsearch {
    endpoints = ["https://elasticsearch.example.com:9200"]
  }

  camunda {
    version                      = "8.7"
    zeebe_management_endpoint    = "http://zeebe-gateway.example.com:9600" # or CAMUNDA_ZEEBE_MANAGEMENT_ENDPOINT
    operate_management_endpoint  = "http://operate.example.com:9600"       # or CAMUNDA_OPERATE_MANAGEMENT_ENDPOINT
    tasklist_management_endpoint = "http://tasklist.example.com:9600"      # or CAMUNDA_TASKLIST_MANAGEMENT_ENDPOINT
  }
}
