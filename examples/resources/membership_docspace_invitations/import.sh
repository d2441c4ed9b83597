# The import id is the portal's endpoint URL, as in the provider's docspace
# block. Everyone on the portal except the owner and the caller is
# imported, with exclusive = true.
terraform import membership_docspace_invitations.portal https://yourportal.onlyoffice.com
