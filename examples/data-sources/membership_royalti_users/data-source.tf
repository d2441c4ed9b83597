data "membership_royalti_users" "admins" {
  role = "admin"
}

output "royalti_admin_emails" {
  value = [for u in data.membership_royalti_users.admins.users : u.email]
}
