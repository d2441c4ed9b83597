# Everyone on the portal, with their type. With exclusive = true (the
# default) anyone else found on the portal is planned for removal, except
# those DocSpace refuses to remove: the owner, the account the provider
# signs in as and, unless that account is the owner's, DocSpace admins.
resource "membership_docspace_invitations" "portal" {
  members = {
    "jane@example.com" = "DocSpaceAdmin"
    "omar@example.com" = "RoomAdmin"
    "li@example.com"   = "User"
  }
}

# Only manage the listed people; leave everybody else alone. Guests join
# DocSpace through rooms: list someone as "Guest" once they are on the
# portal (people/invite refuses to invite a Guest).
resource "membership_docspace_invitations" "contractors" {
  exclusive = false
  members = {
    "contractor1@example.net" = "User"
    "contractor2@example.net" = "User"
  }
}
