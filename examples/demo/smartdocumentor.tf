# SmartDocumentor: two invitations to the sandbox's seeded workspaces
# (1 "Default", 2 "Engineering"); roles are checked against the tenant's.
#
# Out-of-band change for the drift demo: remove Jane from workspace 1 through
# the sandbox admin API (SmartDocumentor itself has no removal API), then
# `terraform plan` shows her invitation again:
#
#   curl -X DELETE "$SANDBOX_URL/_admin/smartdocumentor/workspaces/1/users/jane.doe@example.com"
#
# Or change her role: the API cannot change it back, so the plan fails and
# says what to do (change it in the web app, or set the new role here):
#
#   curl -X PUT "$SANDBOX_URL/_admin/smartdocumentor/workspaces/1/users/jane.doe@example.com" \
#     -H 'Content-Type: application/json' -d '{"roleName":"Viewer"}'

resource "membership_smartdocumentor_workspace_invitation" "jane" {
  workspace_id = 1
  email        = "jane.doe@example.com"
  role         = "Reviewer"
}

resource "membership_smartdocumentor_workspace_invitation" "raj" {
  workspace_id = 2
  email        = "raj@example.com"
  role         = "Creator"
}

data "membership_smartdocumentor_workspace_users" "engineering" {
  workspace_id = membership_smartdocumentor_workspace_invitation.raj.workspace_id
}
