# The whole team of a project. Creating this adopts the team and removes
# nobody; the next plan shows anyone else found leaving unlisted_members,
# which removes them. AttackForge cannot report access levels: leave
# access_level unset to keep the level a member already has.
resource "membership_attackforge_project_team" "web_app" {
  project_id = "620f1707c66ef8821d35ee17"
  members = {
    "jane@example.com"         = { access_level = "View", project_role = "Client" }
    "bob"                      = { access_level = "Edit", project_role = "Pentest Lead" }
    "6132a2db9239f0975f505c4b" = {}
  }
}

# Only the listed members; others on the team are left alone (and not read).
resource "membership_attackforge_project_team" "network" {
  project_id = "620f1707c66ef8821d35ee18"
  exclusive  = false
  members = {
    "jane@example.com" = { access_level = "Upload" }
  }
}
