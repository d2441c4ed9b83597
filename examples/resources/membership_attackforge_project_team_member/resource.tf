# Jane can view the project; the user must already exist in AttackForge.
resource "membership_attackforge_project_team_member" "jane" {
  project_id   = "620f1707c66ef8821d35ee17"
  user         = "jane@example.com"
  access_level = "View"
  project_role = "Client"
}

# Without access_level, the level is not managed: Terraform never changes
# it. Kim is invited with View (the least access) if she is not on the team,
# and keeps her level if she already is.
resource "membership_attackforge_project_team_member" "kim" {
  project_id = "620f1707c66ef8821d35ee17"
  user       = "kim@example.com"
}

# By username or by user id; access_level changes in place. The API cannot
# read access levels or roles back: changes made in AttackForge's web app are
# not detected.
resource "membership_attackforge_project_team_member" "pentesters" {
  for_each = {
    "bob"                      = "Edit"
    "6132a2db9239f0975f505c4b" = "Upload"
  }
  project_id   = "620f1707c66ef8821d35ee17"
  user         = each.key
  access_level = each.value
  project_role = "Pentester"
}
