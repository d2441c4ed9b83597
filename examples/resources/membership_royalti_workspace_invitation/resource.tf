# Invite an administrator with a personal message.
resource "membership_royalti_workspace_invitation" "ada" {
  email        = "ada@example.com"
  role         = "admin"
  first_name   = "Ada"
  last_name    = "Lovelace"
  message      = "Welcome to the label's royalty workspace."
  redirect_url = "https://app.royalti.io/welcome"
}

# Many members: each is its own resource; a refresh lists the workspace
# once instead of reading every member.
variable "artists" {
  type    = map(string) # email => role
  default = { "grace@example.com" = "user", "alan@example.com" = "user" }
}

resource "membership_royalti_workspace_invitation" "artists" {
  for_each   = var.artists
  email      = each.key
  role       = each.value
  send_email = true
}
