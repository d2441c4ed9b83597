# After the onboarding apply: the people written down as a map literal
# (email in lower case => type), in place of the data source. The
# resources keep their addresses, so the first plan is empty; from then on
# the plan compares the portal with this map: someone whose type was
# changed by hand, or who was removed by hand, shows in `terraform plan`,
# and removing a line here removes the person from the portal.
# Write the map from the onboarding configuration's output:
#   output "members" { value = { for k, m in local.members : k => m.type } }
# (terraform output -json members).

locals {
  members = {
    "admin@docspace.example"      = "DocSpaceAdmin"
    "guest@docspace.example"      = "Guest"
    "room.admin@docspace.example" = "RoomAdmin"
    "user@docspace.example"       = "User"
  }
}

resource "membership_docspace_invitation" "member" {
  for_each = local.members
  email    = each.key
  type     = each.value
}
