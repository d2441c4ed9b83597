# Bring the team of an AttackForge project under Terraform in one apply
# (Terraform 1.7 and later).
#
# The Self-Service API has no listing of a project's team and cannot read
# a member's access level or project role, so:
# - finding the team costs 1 + one request per user of the AttackForge
#   instance (GET /api/ss/users, then GET /api/ss/user/:id/projects);
# - the first apply sets each imported member's access level to the one
#   configured here (one PUT /api/ss/project/:project_id/access/:user_id
#   per member), and adopts the configured project role without a
#   request. Put the levels members have today in access_levels: anyone
#   not in it gets default_access_level.

variable "project_id" {
  type        = string
  description = "The project to onboard (24 hexadecimal characters)."
}

variable "default_access_level" {
  type    = string
  default = "View"
}

variable "access_levels" {
  type        = map(string) # email (lower case) => View, Upload or Edit
  default     = {}
  description = "Access level of members who should not get default_access_level."
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
  access_level = lookup(var.access_levels, each.key, var.default_access_level)
  project_role = lookup(var.project_roles, each.key, null)
}
