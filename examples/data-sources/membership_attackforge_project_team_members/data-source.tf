# The users on a project's team (1 + one request per AttackForge user: the
# API has no team listing).
data "membership_attackforge_project_team_members" "web_app" {
  project_id = "620f1707c66ef8821d35ee17"
}

output "web_app_team" {
  value = [for m in data.membership_attackforge_project_team_members.web_app.members : m.user]
}
