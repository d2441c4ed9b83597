# Terraform 1.14 and later, in a .tfquery.hcl file:
#   terraform query -generate-config-out=team.tf
# writes a resource and an import block for every team member. The API
# cannot report access levels: the generated access_level is null, which
# leaves each member's level as it is (set it only to change a level: that
# overwrites the current one). Listing a team costs 1 + one request per
# AttackForge user.
list "membership_attackforge_project_team_member" "team" {
  provider = membership
  config {
    project_id = "620f1707c66ef8821d35ee17"
  }
}
