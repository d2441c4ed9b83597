# AttackForge: two members of the seeded "Internal Network" project.
#
# Out-of-band change for the drift step (removes Alice from the team behind
# Terraform's back; the next plan re-creates her membership):
#
#   curl -X DELETE "$SANDBOX_URL/_admin/attackforge/projects/650f1707c66ef8821d35ee02/team/alice@example.com"
#
# A change of her access level or project role is not detected: no
# Self-Service API endpoint reports them.

data "membership_attackforge_user" "bob" {
  username = "bob"
}

resource "membership_attackforge_project_team_member" "alice" {
  project_id   = "650f1707c66ef8821d35ee02"
  user         = "alice@example.com"
  access_level = "View"
  project_role = "Pentester"
}

resource "membership_attackforge_project_team_member" "bob" {
  project_id   = "650f1707c66ef8821d35ee02"
  user         = data.membership_attackforge_user.bob.id
  access_level = "Upload"
}

# The whole team of the seeded "Red Team Exercise" project, authoritatively.
# Someone added to it by hand shows in the next plan as a person leaving
# unlisted_members: the removal is in the plan's diff, never only a warning.
#
#   curl -X PUT "$SANDBOX_URL/_admin/attackforge/projects/650f1707c66ef8821d35ee03/team/erin@example.com" -d '{"access_level":"Edit"}'
resource "membership_attackforge_project_team" "red_team" {
  project_id = "650f1707c66ef8821d35ee03"
  members = {
    "carol@example.com" = { access_level = "Edit", project_role = "Red Team" }
    "dave@example.com"  = {}
  }
}
