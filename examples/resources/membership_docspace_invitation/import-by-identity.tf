# Terraform 1.12 and later: import a person by identity, the email (any
# letter case; kept in lower case) and, optionally, the portal's host name,
# which must then be the portal the provider is configured for.
import {
  to = membership_docspace_invitation.jane
  identity = {
    email = "jane@example.com"
  }
}
