# Terraform 1.12 and later: import a team member by identity, the project
# id and the user's email (any letter case; kept in lower case). The
# access level and project role cannot be read: the configuration's are
# adopted (the access level is set once by the first apply).
import {
  to = membership_attackforge_project_team_member.jane
  identity = {
    project_id = "620f1707c66ef8821d35ee17"
    email      = "jane@example.com"
  }
}
