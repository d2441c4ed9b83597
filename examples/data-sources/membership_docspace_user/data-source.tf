data "membership_docspace_user" "jane" {
  email = "jane@example.com"
}

output "jane_type" {
  value = data.membership_docspace_user.jane.type
}
