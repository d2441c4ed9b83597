# Bring the team of an AttackForge project under Terraform in one apply
# (Terraform 1.7 and later), changing nobody's access.
#
# The Self-Service API has no listing of a project's team and cannot read
# a member's access level or project role, so:
# - finding the team costs 1 + one request per user of the AttackForge
#   instance (GET /api/ss/users, then GET /api/ss/user/:id/projects);
# - access_level is left unset: it is then not managed, and every member
#   keeps the level they have. Setting it on an imported member overwrites
#   their level, whatever it is (the plan warns, naming them): put a member
#   in access_levels only to change their level on purpose;
# - the configured project role is adopted without a request: put the
#   roles members have today in project_roles.

variable "project_id" {
  type        = string
  description = "The project to onboard (24 hexadecimal characters)."
}

variable "access_levels" {
  type        = map(string) # email (lower case) => View, Upload or Edit
  default     = {}
  description = "Access levels to set (overwriting the member's current level). Members not in it keep theirs."
}

variable "project_roles" {
  type        = map(string) # email (lower case) => project role
  default     = {}
  description = "Project role of members who have one (the API cannot read it)."
}

data "membership_attackforge_project_team_members" "existing" {
  project_id = var.project_id
}

locals {
  members = {
    for m in data.membership_attackforge_project_team_members.existing.members : m.user => m
  }
}

import {
  for_each = local.members
  to       = membership_attackforge_project_team_member.member[each.key]
  id       = "${var.project_id}/${each.value.user}"
}

resource "membership_attackforge_project_team_member" "member" {
  for_each     = local.members
  project_id   = var.project_id
  user         = each.value.user
  access_level = lookup(var.access_levels, each.key, null) # null: not managed, kept as it is
  project_role = lookup(var.project_roles, each.key, null)
}
