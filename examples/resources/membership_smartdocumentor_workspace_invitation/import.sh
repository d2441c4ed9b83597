# Import an existing member by "<workspace_id>/<email>" (the email matches in any case).
terraform import membership_smartdocumentor_workspace_invitation.jane "1/jane@example.com"
