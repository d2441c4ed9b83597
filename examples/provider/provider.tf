# Configure only the platforms you use. Every value can also come from the
# environment (SMARTDOCUMENTOR_*, DOCSPACE_*, ATTACKFORGE_*, GOLDLEAF_*,
# ROYALTI_*), which keeps secrets out of the configuration.
provider "membership" {
  max_retries     = 4
  request_timeout = "30s"

  # Guardrails of the authoritative resources, checked at plan time: at most
  # this many removals per plan of one resource, and people never removed.
  max_removals      = 10
  protected_members = ["it-admin@example.com", "*@founders.example.com"]

  smartdocumentor {
    client_id     = var.smartdocumentor_client_id
    client_secret = var.smartdocumentor_client_secret
  }

  docspace {
    endpoint = "https://example.onlyoffice.com"
    token    = var.docspace_token
    # Client-side pacing; the default keeps within the portal's published
    # limit (500 requests per 10 s). Lower it if other tools share the account.
    requests_per_second = 45
    burst               = 45

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
