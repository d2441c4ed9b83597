# Configure only the platforms you use. Every value can also come from the
# environment (SMARTDOCUMENTOR_*, DOCSPACE_*, ATTACKFORGE_*, GOLDLEAF_*,
# ROYALTI_*), which keeps secrets out of the configuration.
provider "membership" {
  max_retries     = 4
  request_timeout = "30s"

  smartdocumentor {
    client_id     = var.smartdocumentor_client_id
    client_secret = var.smartdocumentor_client_secret
  }

  docspace {
    endpoint = "https://example.onlyoffice.com"
    token    = var.docspace_token
    # Who receives the rooms and shared files of the people removed from
    # the portal, unless their resource names its own data_successor.
    data_successor = "lead@example.com"
  }

  attackforge {
    endpoint = "https://example.attackforge.com"
    api_key  = var.attackforge_api_key
  }

  goldleaf {
    api_key      = var.goldleaf_api_key
    api_key_name = "terraform"
  }

  royalti {
    token = var.royalti_token
  }
}

variable "smartdocumentor_client_id" { type = string }
variable "smartdocumentor_client_secret" {
  type      = string
  sensitive = true
}
variable "docspace_token" {
  type      = string
  sensitive = true
}
variable "attackforge_api_key" {
  type      = string
  sensitive = true
}
variable "goldleaf_api_key" {
  type      = string
  sensitive = true
}
variable "royalti_token" {
  type      = string
  sensitive = true
}
