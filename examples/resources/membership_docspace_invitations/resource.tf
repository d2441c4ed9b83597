# Everyone on the portal, with their type. With exclusive = true (the
# default) anyone else found on the portal is planned for removal, except
# the owner and the account the provider signs in as.
resource "membership_docspace_invitations" "portal" {
  members = {
    "jane@example.com"    = "DocSpaceAdmin"
    "omar@example.com"    = "RoomAdmin"
    "li@example.com"      = "User"
    "partner@example.org" = "Guest"
  }
}

# Only manage the listed people; leave everybody else alone.
resource "membership_docspace_invitations" "contractors" {
  exclusive = false
  members = {
    "contractor1@example.net" = "Guest"
    "contractor2@example.net" = "Guest"
  }
}
