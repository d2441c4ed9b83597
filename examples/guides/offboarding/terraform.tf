terraform {
  required_providers {
    membership = {
      source = "workspace-membership/membership"
    }
  }
}
