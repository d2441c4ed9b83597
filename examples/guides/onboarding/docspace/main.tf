# Bring every person of an ONLYOFFICE DocSpace portal under Terraform in
# one apply (Terraform 1.7 and later). manageable_only leaves out the
# portal owner, the account the provider signs in as, terminated users
# and, unless that account is the owner's, DocSpace admins. The whole
# import costs the listing's pages (GET /api/2.0/people/filter, 100 people
# a page) and one GET /api/2.0/people/@self: the imports and the reads
# after them use the same listing.

data "membership_docspace_users" "existing" {
  manageable_only = true
}

locals {
  members = {
    for u in data.membership_docspace_users.existing.users : lower(u.email) => u
  }
}

import {
  for_each = local.members
  to       = membership_docspace_invitation.member[each.key]
  id       = each.value.email
}

resource "membership_docspace_invitation" "member" {
  for_each = local.members
  email    = each.value.email
  type     = each.value.type
}
