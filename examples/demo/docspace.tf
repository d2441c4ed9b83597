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

  # Offboarding keeps Dana's rooms and files: when she is removed, DocSpace
  # reassigns them to this active admin before her profile is deleted.
  # Without a successor, removing someone who owns data is refused at plan.
  data_successor = "admin@docspace.example"
}

resource "membership_docspace_invitation" "eli" {
  email = "eli@example.com"
  type  = "User"
}

# Invitations nobody accepted yet (read after the invitations above). In
# real life, pending_older_than = "720h" on the data source lists only who
# has not joined in 30 days; membership_docspace_resend_invitation
# (Terraform 1.14+) sends their invitations again.
data "membership_docspace_users" "everyone" {
  depends_on = [membership_docspace_invitation.dana, membership_docspace_invitation.eli]
}

output "docspace_never_joined" {
  value = sort([for u in data.membership_docspace_users.everyone.users : "${u.email} (invited ${u.invited_at})" if u.pending])
}
