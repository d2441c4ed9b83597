# Import by the user's email address (any letter case)...
terraform import membership_docspace_invitation.jane jane@example.com

# ...or by the user's id (a uuid).
terraform import membership_docspace_invitation.jane 3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8
