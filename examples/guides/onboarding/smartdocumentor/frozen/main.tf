# After the onboarding apply: the members written down as a map literal
# (email in lower case => role), in place of the data source. The
# resources keep their addresses, so the first plan is empty; from then on
# the plan compares the workspace with this map: someone added or removed
# by hand, or whose role was changed by hand, shows in `terraform plan`.
# Write the map from the onboarding configuration's output:
#   output "members" { value = { for k, m in local.members : k => m.role } }
# (terraform output -json members). Removing a line here forgets the member:
# SmartDocumentor's API cannot remove members (the plan says so).

variable "workspace_id" {
  type        = number
  description = "The onboarded workspace."
}

locals {
  members = {
    "jane@example.com"           = "Reviewer"
    "martin.manager@example.com" = "Creator"
    "raj@example.com"            = "Viewer"
  }
}

resource "membership_smartdocumentor_workspace_invitation" "member" {
  for_each     = local.members
  workspace_id = var.workspace_id
  email        = each.key
  role         = each.value
}
