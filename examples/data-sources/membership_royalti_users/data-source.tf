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
