terraform {
  # 1.11: write-only arguments (GoldLeaf's password_wo) and ephemeral input
  # variables (goldleaf_passwords); 1.9: validations that compare variables.
  required_version = ">= 1.11"

  required_providers {
    membership = {
      source  = "workspace-membership/membership"
      version = ">= 0.1.0"
    }
  }
}
