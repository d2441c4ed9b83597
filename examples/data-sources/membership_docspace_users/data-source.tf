# Every Guest who has not joined yet (the portal applies the filters).
data "membership_docspace_users" "pending_guests" {
  activation_status = "pending"
  type              = "Guest"
}

output "pending_guest_emails" {
  value = [for u in data.membership_docspace_users.pending_guests.users : u.email]
}

# Who was invited more than 30 days ago and never joined (a scheduled plan
# shows the list; the membership_docspace_resend_invitation action can
# re-send their invitations).
data "membership_docspace_users" "never_joined" {
  pending_older_than = "720h"
}

output "never_joined" {
  value = { for u in data.membership_docspace_users.never_joined.users : u.email => u.invited_at }
}
