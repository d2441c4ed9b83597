# Every member of the workspace (except the owner) is listed here. Creating
# this adopts the workspace and removes nobody; the next plan shows anyone
# else found leaving unlisted_members, which removes them.
resource "membership_royalti_workspace_invitations" "team" {
  members = {
    "ada@example.com"   = { role = "admin", first_name = "Ada", last_name = "Lovelace" }
    "grace@example.com" = { role = "user" }
    "alan@example.com"  = {}
  }
  message      = "Welcome to the label's royalty workspace."
  redirect_url = "https://app.royalti.io/welcome"
}

# Manage only the listed members and leave everyone else alone.
resource "membership_royalti_workspace_invitations" "partners" {
  exclusive = false
  members = {
    "partner@example.com" = { role = "user" }
  }
}
