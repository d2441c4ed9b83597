# Invite a user to the GoldLeaf organization with an initial password.
# password_wo is write-only (Terraform >= 1.11): it is sent with the
# invitation and never stored in the plan or the state. An ephemeral
# variable keeps it out of saved plan files too.
variable "initial_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "membership_goldleaf_organization_invitation" "jane" {
  email               = "jane@example.com"
  password_wo         = var.initial_password
  password_wo_version = 1 # bump to re-invite with a new password_wo
}

# Without a password the user chooses one when accepting the invitation.
# Invitations created together are sent in one request.
resource "membership_goldleaf_organization_invitation" "team" {
  for_each = toset(["ann@example.com", "ben@example.com", "cat@example.com"])
  email    = each.value
}
