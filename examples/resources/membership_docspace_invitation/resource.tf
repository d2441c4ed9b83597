# Invite Jane as a room admin (a paid admin seat). Changing `type` later is
# done in place.
resource "membership_docspace_invitation" "jane" {
  email   = "jane@example.com"
  type    = "RoomAdmin"
  culture = "en-US"

  # When Jane is removed (destroy, or a new email), her rooms and shared
  # files go to this active RoomAdmin or DocSpaceAdmin before her profile is
  # deleted. Without a successor (here or in the provider's docspace block),
  # removing someone who owns data is refused at plan time.
  data_successor = "lead@example.com"
}

# Many invitations: concurrent creates of one type share one
# POST /api/2.0/people/invite and one read-back of the portal's listing,
# and a refresh lists the portal once.
variable "team" {
  type    = set(string)
  default = ["ann@example.com", "bob@example.com"]
}

resource "membership_docspace_invitation" "team" {
  for_each = var.team
  email    = each.value
  type     = "User"
}

# DocSpace never invites guests to the portal: guests join through rooms
# (a room's sharing settings). `type = "Guest"` is for people already on
# the portal, where the portal allows guests.

output "jane_accepted" {
  value = membership_docspace_invitation.jane.activation_status == "activated"
}
