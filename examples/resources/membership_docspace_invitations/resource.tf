# Everyone on the portal, with their type. Creating this adopts the portal
# and removes nobody; with exclusive = true (the default) the next plan
# shows the people not listed leaving unlisted_members, which removes them
# (never the owner, the account the provider signs in as or, unless that
# account is the owner's, DocSpace admins). A plan removing more than
# max_removals people (default 10) fails until you raise it.
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
