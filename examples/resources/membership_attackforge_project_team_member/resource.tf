# Jane can view the project; the user must already exist in AttackForge.
resource "membership_attackforge_project_team_member" "jane" {
  project_id   = "620f1707c66ef8821d35ee17"
  user         = "jane@example.com"
  access_level = "View"
  project_role = "Client"
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
