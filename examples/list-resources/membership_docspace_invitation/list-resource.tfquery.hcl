# Terraform 1.14 and later, in a .tfquery.hcl file:
#   terraform query -generate-config-out=people.tf
# writes a resource and an import block for every person listed (the
# owner, the provider's own account and terminated users are left out).
list "membership_docspace_invitation" "people" {
  provider = membership
}

# Only the room admins who have not joined yet.
list "membership_docspace_invitation" "pending_room_admins" {
  provider = membership
  config {
    type              = "RoomAdmin"
    activation_status = "pending"
  }
}

# Who was invited more than 30 days ago and never joined.
list "membership_docspace_invitation" "never_joined" {
  provider = membership
  config {
    pending_older_than = "720h"
  }
}
