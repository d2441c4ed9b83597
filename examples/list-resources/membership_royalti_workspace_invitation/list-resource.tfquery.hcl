# Terraform 1.14 and later, in a .tfquery.hcl file:
#   terraform query -generate-config-out=members.tf
# writes a resource and an import block for every member listed (the
# workspace owner and cancelled invitations are left out).
list "membership_royalti_workspace_invitation" "members" {
  provider = membership
}

# Only the admins who have not joined yet.
list "membership_royalti_workspace_invitation" "pending_admins" {
  provider = membership
  config {
    role   = "admin"
    status = "invited"
  }
}

# Who was invited more than 30 days ago and never joined.
list "membership_royalti_workspace_invitation" "never_joined" {
  provider = membership
  config {
    pending_older_than = "720h"
  }
}
