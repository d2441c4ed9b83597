# Invite Jane as a room admin (a paid admin seat). Changing `type` later is
# done in place.
resource "membership_docspace_invitation" "jane" {
  email   = "jane@example.com"
  type    = "RoomAdmin"
  culture = "en-US"
}

# Many invitations: concurrent creates of one type share one
# POST /api/2.0/people/invite, and a refresh lists the portal once.
variable "guests" {
  type    = set(string)
  default = ["ann@example.com", "bob@example.com"]
}

resource "membership_docspace_invitation" "guests" {
  for_each = var.guests
  email    = each.value
  type     = "Guest"
}

output "jane_accepted" {
  value = membership_docspace_invitation.jane.activation_status == "activated"
}
