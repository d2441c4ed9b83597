# The demo run by `make demo`: every platform pointed at the local sandbox
# (scripts/demo.sh starts it and passes its URL). The credentials below are
# the sandbox's own, not real ones. Each platform's members are in
# <platform>.tf beside this file.
terraform {
  required_providers {
    membership = {
      source = "registry.terraform.io/workspace-membership/membership"
    }
  }
}

variable "sandbox_url" {
  type        = string
  description = "Base URL of the sandbox, such as http://127.0.0.1:8080."
}

provider "membership" {
  smartdocumentor {
    endpoint      = "${var.sandbox_url}/smartdocumentor"
    client_id     = "sd-terraform-client"
    client_secret = "sdsecret-Q7f3a9c2e1b8d4"
  }
  docspace {
    endpoint = "${var.sandbox_url}/docspace"
    token    = "dstoken-W3e5r7t9y1u3"
  }
  attackforge {
    endpoint = "${var.sandbox_url}/attackforge"
    api_key  = "afkey-N1b3v5c7x9z2m4"
  }
  goldleaf {
    endpoint     = "${var.sandbox_url}/goldleaf"
    api_key      = "glkey-P0o9i8u7y6t5r4"
    api_key_name = "terraform"
  }
  royalti {
    endpoint = "${var.sandbox_url}/royalti"
    token    = "RWAK_rt-L5k4j3h2g1f0d9"
  }
}
