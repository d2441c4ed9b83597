# Terraform 1.14 and later. The members invited more than a week ago who
# never joined...
data "membership_royalti_users" "never_joined" {
  pending_older_than = "168h"
}

# ...get a fresh activation email. By hand:
#   terraform apply -invoke=action.membership_royalti_resend_invitation.reminder
# The plan refuses anyone whose invitation is not pending.
action "membership_royalti_resend_invitation" "reminder" {
  config {
    emails       = [for u in data.membership_royalti_users.never_joined.users : u.email]
    message      = "A reminder: your invitation to our Royalti workspace is waiting."
    redirect_url = "https://app.royalti.io/email/activate"
  }
}
