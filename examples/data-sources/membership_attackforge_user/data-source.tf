data "membership_attackforge_user" "jane" {
  email = "jane@example.com"
}

data "membership_attackforge_user" "bob" {
  username = "bob"
}

output "jane_id" {
  value = data.membership_attackforge_user.jane.id
}
