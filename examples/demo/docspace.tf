# ONLYOFFICE DocSpace: two invitations on the sandbox portal.
#
# Out-of-band change for the drift demo (the sandbox admin API changes
# Dana's type on the portal; the next `terraform plan` shows an in-place
# update of membership_docspace_invitation.dana back to RoomAdmin):
#
#   curl -X PUT "$SANDBOX_URL/_admin/docspace/users/dana@example.com/type" -d '{"type":"Guest"}'
#
# Or delete her (the next plan invites her again):
#
#   curl -X DELETE "$SANDBOX_URL/_admin/docspace/users/dana@example.com"

resource "membership_docspace_invitation" "dana" {
  email   = "dana@example.com"
  type    = "RoomAdmin"
  culture = "en-US"
}

resource "membership_docspace_invitation" "eli" {
  email = "eli@example.com"
  type  = "User"
}
