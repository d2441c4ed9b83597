# After the onboarding apply: the team written down as a map literal
# (email in lower case => access level and project role), in place of the
# data source. The resources keep their addresses, so the first plan is
# empty; from then on the plan compares the team with this map: someone
# removed from the team by hand shows in `terraform plan`, and removing a
# line here removes the member from the team. (The API cannot read access
# levels and project roles: a change of those made by hand is not seen, and
# a member without access_level keeps their level.) Write the map from the
# onboarding configuration's variables access_levels and project_roles,
# and its output:
#   output "members" { value = keys(local.members) }

variable "project_id" {
  type        = string
  description = "The onboarded project (24 hexadecimal characters)."
}

locals {
  members = {
    "alice@example.com" = { access_level = "Upload", project_role = "Pentester" }
    "bob@example.com"   = {} # no access_level: his level is kept as it is
    "carol@example.com" = { access_level = "Edit", project_role = "Client" }
  }
}

resource "membership_attackforge_project_team_member" "member" {
  for_each     = local.members
  project_id   = var.project_id
  user         = each.key
  access_level = try(each.value.access_level, null)
  project_role = try(each.value.project_role, null)
}
