# Invite one user to workspace 1 as a Reviewer. The role is checked at plan
# time against the tenant's roles. The API cannot change a member's role: a
# change here is refused at plan (change it in the web app first).
resource "membership_smartdocumentor_workspace_invitation" "jane" {
  workspace_id = 1
  email        = "jane@example.com"
  role         = "Reviewer"
}

# Many members of one workspace: invitations created together are sent in
# one request, and a refresh lists the workspace once.
variable "engineering_members" {
  type = map(string) # email => role
  default = {
    "ana@example.com"   = "Creator"
    "bruno@example.com" = "Viewer"
  }
}

data "membership_smartdocumentor_workspaces" "all" {}

locals {
  engineering_id = one([
    for w in data.membership_smartdocumentor_workspaces.all.workspaces : w.workspace_id if w.name == "Engineering"
  ])
}

resource "membership_smartdocumentor_workspace_invitation" "engineering" {
  for_each     = var.engineering_members
  workspace_id = local.engineering_id
  email        = each.key
  role         = each.value
}

output "jane_status" {
  value = membership_smartdocumentor_workspace_invitation.jane.status # "Invited" until accepted
}
