# Terraform 1.12 and later: import the portal's people by identity, the
# host name of the portal the provider is configured for.
import {
  to = membership_docspace_invitations.portal
  identity = {
    portal = "example.onlyoffice.com"
  }
}
