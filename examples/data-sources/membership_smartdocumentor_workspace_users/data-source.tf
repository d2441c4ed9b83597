data "membership_smartdocumentor_workspace_users" "default" {
  workspace_id = 1
}

# Who has not accepted their invitation yet.
output "pending_invitations" {
  value = [for u in data.membership_smartdocumentor_workspace_users.default.users : u.email if u.status != "Active"]
}
