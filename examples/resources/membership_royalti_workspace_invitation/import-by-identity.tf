# Terraform 1.12 and later: import a member by identity, the email (any
# letter case; kept in lower case) and, optionally, the workspace
# ("default", the default, for the workspace of the provider's token).
import {
  to = membership_royalti_workspace_invitation.ada
  identity = {
    email = "ada@example.com"
  }
}
