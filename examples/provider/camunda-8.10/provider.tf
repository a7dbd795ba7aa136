# Camunda 8.10: the Orchestration Cluster REST API, with OAuth client credentials.
provider "optimize" {
  repository_name = "camunda-backups"

  elasticsearch {
    endpoints = ["https://elasticsearch.example.com:9200"]
  }

  camunda {
    version       = "8.10"                             # or CAMUNDA_VERSION; detected when unset
    rest_endpoint = "https://camunda.example.com:8080" # or CAMUNDA_REST_ADDRESS

    oauth {
      # or CAMUNDA_OAUTH_URL, CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET, CAMUNDA_TOKEN_AUDIENCE
      token_url     = "https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token"
      client_id     = "optimize-tf"
      client_secret = var.camunda_client_secret
      audience      = "orchestration-api"
    }
  }
}

variable "camunda_client_secret" {
  type      = string
  sensitive = true
}
