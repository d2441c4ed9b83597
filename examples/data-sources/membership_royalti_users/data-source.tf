data "membership_royalti_users" "admins" {
  role = "admin"
}

output "royalti_admin_emails" {
  value = [for u in data.membership_royalti_users.admins.users : u.email]
}

# Every member an invitation resource can manage (the owner and cancelled
# invitations left out), e.g. for import blocks with for_each.
data "membership_royalti_users" "manageable" {
  manageable_only = true
}

# Invitations sent more than 30 days ago that nobody accepted.
data "membership_royalti_users" "never_joined" {
  pending_older_than = "720h"
}

output "royalti_never_joined" {
  value = { for u in data.membership_royalti_users.never_joined.users : u.email => u.invited_at }
}
