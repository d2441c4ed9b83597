# Bring every member of a SmartDocumentor workspace under Terraform in one
# apply (Terraform 1.7 and later): the data source lists the members, the
# import blocks adopt them, the resources describe them. The whole import
# costs one listing of the workspace (GET .../sdworkspace/allusers/{id}).

variable "workspace_id" {
  type        = number
  description = "The workspace to onboard (see the membership_smartdocumentor_workspaces data source)."
}

data "membership_smartdocumentor_workspace_users" "existing" {
  workspace_id = var.workspace_id
}

locals {
  # keyed by the email in lower case: stable whatever the letter case
  members = {
    for u in data.membership_smartdocumentor_workspace_users.existing.users : lower(u.email) => u
  }
}

import {
  for_each = local.members
  to       = membership_smartdocumentor_workspace_invitation.member[each.key]
  id       = "${var.workspace_id}/${each.value.email}"
}

resource "membership_smartdocumentor_workspace_invitation" "member" {
  for_each     = local.members
  workspace_id = var.workspace_id
  email        = each.value.email
  role         = each.value.role
}
