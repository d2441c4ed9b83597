# Royalti: two invitations in the sandbox workspace (seeded with an owner,
# owner@royalti.example, and a member, member@royalti.example).
#
# Out-of-band change for the drift demo (makes Ada a plain user; the next
# `terraform plan` shows role "user" -> "admin" as an in-place update):
#
#   curl -s -X POST "$SANDBOX_URL/_admin/royalti/users/ada@example.com/role" -d '{"role":"user"}'
#
# Other out-of-band changes: .../users/{email or id}/name {"firstName","lastName"},
# .../users/{email or id}/invite-status {"status":"joined"|"cancelled"},
# DELETE .../users/{email or id}; GET $SANDBOX_URL/_admin/royalti/users lists them.

resource "membership_royalti_workspace_invitation" "ada" {
  email      = "ada@example.com"
  role       = "admin"
  first_name = "Ada"
  last_name  = "Lovelace"
  message    = "Welcome to the royalty workspace."
}

resource "membership_royalti_workspace_invitation" "grace" {
  email        = "grace@example.com"
  redirect_url = "https://app.royalti.io/welcome"
}

data "membership_royalti_users" "admins" {
  role = "admin"
}
