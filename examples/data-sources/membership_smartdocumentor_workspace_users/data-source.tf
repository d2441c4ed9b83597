data "membership_smartdocumentor_workspace_users" "default" {
  workspace_id = 1
}

# Who has not accepted their invitation yet.
output "pending_invitations" {
  value = [for u in data.membership_smartdocumentor_workspace_users.default.users : u.email if u.status != "Active"]
}

# Invitations sent more than 30 days ago that nobody accepted.
data "membership_smartdocumentor_workspace_users" "never_joined" {
  workspace_id       = 1
  pending_older_than = "720h"
}

output "smartdocumentor_never_joined" {
  value = { for u in data.membership_smartdocumentor_workspace_users.never_joined.users : u.email => u.invited_at }
}
