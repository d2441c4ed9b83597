# Bring every member of a Royalti.io workspace under Terraform in one
# apply (Terraform 1.7 and later): the data source lists the members, the
# import blocks adopt them, the resources describe them. manageable_only
# leaves out the workspace owner and cancelled invitations. The whole
# import costs the pages of the workspace's two listings (GET /user/ and
# GET /user/invites, 100 a page): the imports and the reads after them
# use the data source's listing.

data "membership_royalti_users" "existing" {
  manageable_only = true
}

locals {
  # keyed by the email in lower case: stable whatever the letter case
  members = {
    for u in data.membership_royalti_users.existing.users : lower(u.email) => u
  }
}

import {
  for_each = local.members
  to       = membership_royalti_workspace_invitation.member[each.key]
  id       = each.value.id
}

resource "membership_royalti_workspace_invitation" "member" {
  for_each   = local.members
  email      = each.value.email
  role       = each.value.role
  first_name = each.value.first_name
  last_name  = each.value.last_name
}
