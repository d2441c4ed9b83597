# After the onboarding apply: the members written down as a map literal
# (email in lower case => role), in place of the data source. The
# resources keep their addresses, so the first plan is empty; from then on
# the plan compares the workspace with this map: someone whose role was
# changed by hand, or who was removed by hand, shows in `terraform plan`,
# and removing a line here removes the member from the workspace. First
# and last names are left as Royalti holds them (set first_name and
# last_name to manage them too).
# Write the map from the onboarding configuration's output:
#   output "members" { value = { for k, m in local.members : k => m.role } }
# (terraform output -json members).

locals {
  members = {
    "ada@example.com"        = "admin"
    "member@royalti.example" = "user"
    "raj@example.com"        = "user"
  }
}

resource "membership_royalti_workspace_invitation" "member" {
  for_each = local.members
  email    = each.key
  role     = each.value
}
