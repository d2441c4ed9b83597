# Terraform 1.12 and later: import a project's whole team by identity.
import {
  to = membership_attackforge_project_team.web_app
  identity = {
    project_id = "620f1707c66ef8821d35ee17"
  }
}
