# Every Guest who has not joined yet (the portal applies the filters).
data "membership_docspace_users" "pending_guests" {
  activation_status = "pending"
  type              = "Guest"
}

output "pending_guest_emails" {
  value = [for u in data.membership_docspace_users.pending_guests.users : u.email]
}
