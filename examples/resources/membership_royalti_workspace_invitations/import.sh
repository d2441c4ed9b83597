# The workspace of the provider's token:
terraform import membership_royalti_workspace_invitations.team default

# A given workspace (the resource's workspace_id):
terraform import membership_royalti_workspace_invitations.team 8d7c5b3a-1f2e-4d6c-9b8a-7e6f5d4c3b2a
