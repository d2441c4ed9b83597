# The import id is the portal's endpoint URL, as in the provider's docspace
# block. Everyone on the portal the provider may remove (all but the owner,
# the caller and, unless the caller is the owner, DocSpace admins) except
# terminated users is imported, with exclusive = true.
terraform import membership_docspace_invitations.portal https://yourportal.onlyoffice.com
