# By tenant user id (uuid):
terraform import membership_royalti_workspace_invitation.ada 0a1b2c3d-0000-4000-8000-000000000002

# By email (matched case-insensitively):
terraform import membership_royalti_workspace_invitation.ada ada@example.com

# Either, in a given workspace (the resource's workspace_id):
terraform import membership_royalti_workspace_invitation.ada 8d7c5b3a-1f2e-4d6c-9b8a-7e6f5d4c3b2a/ada@example.com
