# Try the provider against the local sandbox of the five APIs, no account
# needed. In one terminal:
#
#   make sandbox              # or: make sandbox SEED=200 (200 members per platform)
#
# It serves on http://127.0.0.1:8080, prints the provider block below and
# writes bin/sandbox.tfrc, a Terraform CLI configuration that uses the
# provider `make sandbox` built (dev_overrides: no `terraform init`). In
# another terminal:
#
#   export TF_CLI_CONFIG_FILE=$PWD/bin/sandbox.tfrc
#   terraform -chdir=examples/sandbox apply
#
# The credentials are the sandbox's own, not real ones.
terraform {
  required_providers {
    membership = {
      source = "workspace-membership/membership"
    }
  }
}

provider "membership" {
  smartdocumentor {
    endpoint      = "http://127.0.0.1:8080/smartdocumentor"
    client_id     = "sd-terraform-client"
    client_secret = "sdsecret-Q7f3a9c2e1b8d4"
  }
  docspace {
    endpoint = "http://127.0.0.1:8080/docspace"
    token    = "dstoken-W3e5r7t9y1u3"
  }
  attackforge {
    endpoint = "http://127.0.0.1:8080/attackforge"
    api_key  = "afkey-N1b3v5c7x9z2m4"
  }
  goldleaf {
    endpoint     = "http://127.0.0.1:8080/goldleaf"
    api_key      = "glkey-P0o9i8u7y6t5r4"
    api_key_name = "terraform"
  }
  royalti {
    endpoint = "http://127.0.0.1:8080/royalti"
    token    = "RWAK_rt-L5k4j3h2g1f0d9"
  }
}

# One member per platform. Change a role or type and plan again, or change
# them out of band with the admin API (`make sandbox` lists its routes) and
# watch the plan show the drift.

resource "membership_smartdocumentor_workspace_invitation" "new_hire" {
  workspace_id = 1 # "Default"
  email        = "new.hire@example.com"
  role         = "Viewer"
}

resource "membership_docspace_invitation" "new_hire" {
  email = "new.hire@example.com"
  type  = "User"
}

# AttackForge users must exist on the instance: alice is seeded.
resource "membership_attackforge_project_team_member" "alice" {
  project_id   = "650f1707c66ef8821d35ee01" # "Web App Pentest"
  user         = "alice@example.com"
  access_level = "View"
  project_role = "Consultant"
}

resource "membership_goldleaf_organization_invitation" "new_hire" {
  email = "new.hire@example.com"
}

resource "membership_royalti_workspace_invitation" "new_hire" {
  email      = "new.hire@example.com"
  role       = "user"
  first_name = "New"
  last_name  = "Hire"
}

output "pending" {
  description = "Each invitation's status: pending until the person accepts (the admin API can accept for them)."
  value = {
    smartdocumentor = membership_smartdocumentor_workspace_invitation.new_hire.status
    docspace        = membership_docspace_invitation.new_hire.activation_status
    royalti         = membership_royalti_workspace_invitation.new_hire.invite_status
  }
}
