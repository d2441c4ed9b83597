# Terraform 1.14 and later, in a .tfquery.hcl file:
#   terraform query -generate-config-out=members.tf
# writes a resource and an import block for every member listed.
list "membership_smartdocumentor_workspace_invitation" "members" {
  provider = membership
  config {
    workspace_id = 1
  }
}

# Only the pending invitations of one role.
list "membership_smartdocumentor_workspace_invitation" "pending_viewers" {
  provider = membership
  config {
    workspace_id = 1
    role         = "Viewer"
    status       = "Invited"
  }
}

# Who was invited more than 30 days ago and never joined.
list "membership_smartdocumentor_workspace_invitation" "never_joined" {
  provider = membership
  config {
    workspace_id       = 1
    pending_older_than = "720h"
  }
}
