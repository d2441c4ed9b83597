data "membership_smartdocumentor_workspaces" "all" {}

output "default_workspace_id" {
  value = one([for w in data.membership_smartdocumentor_workspaces.all.workspaces : w.workspace_id if w.is_default])
}
