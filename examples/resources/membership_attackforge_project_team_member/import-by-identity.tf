# Terraform 1.12 and later: import a team member by identity, the project
# id and the user's email (any letter case; kept in lower case). The
# access level and project role cannot be read: leave access_level unset to
# keep the member's level (setting it overwrites their level; the plan
# warns), and the configured project role is adopted without a request.
import {
  to = membership_attackforge_project_team_member.jane
  identity = {
    project_id = "620f1707c66ef8821d35ee17"
    email      = "jane@example.com"
  }
}
