# The import ID is the invited email address. GoldLeaf's API cannot read
# users, so the import is recorded without being checked.
terraform import membership_goldleaf_organization_invitation.jane jane@example.com
