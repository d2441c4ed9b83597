# Terraform 1.14 and later. The people invited more than a week ago who
# never joined...
data "membership_docspace_users" "never_joined" {
  pending_older_than = "168h"
}

# ...get their invitation again. By hand:
#   terraform apply -invoke=action.membership_docspace_resend_invitation.reminder
# The plan refuses anyone who is not a pending invitee of the portal.
action "membership_docspace_resend_invitation" "reminder" {
  config {
    emails = [for u in data.membership_docspace_users.never_joined.users : u.email]
  }
}

# Or once a month, from a scheduled `terraform apply`: the month changes,
# terraform_data is updated, and its action_trigger runs the action after
# the update.
resource "terraform_data" "monthly_reminder" {
  input = formatdate("YYYY-MM", plantimestamp())

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.membership_docspace_resend_invitation.reminder]
    }
  }
}
