# Terraform 1.12 and later: import a member by identity, the workspace ID
# and the email (any letter case; kept in lower case).
import {
  to = membership_smartdocumentor_workspace_invitation.jane
  identity = {
    workspace_id = 1
    email        = "jane@example.com"
  }
}
