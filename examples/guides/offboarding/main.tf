# Offboarding settings for a platform team: whose data a DocSpace leaver's
# rooms and files go to, how many people one plan may remove, and who is
# never removed.
provider "membership" {
  max_removals      = 5
  protected_members = ["it-admin@example.com", "*@founders.example.com"]

  docspace {
    endpoint       = "https://example.onlyoffice.com"
    data_successor = "team-lead@example.com" # an active RoomAdmin or DocSpaceAdmin
  }
  attackforge {
    endpoint = "https://example.attackforge.com"
  }
  royalti {}
}

# The people, one line each: offboarding Raj is deleting his line. The
# next plan names him on every platform: a destroy of his DocSpace and
# Royalti invitations and of his AttackForge membership, with a warning
# saying whose DocSpace data moves to team-lead@example.com.
locals {
  people = {
    "jane@example.com" = { docspace = "RoomAdmin", royalti = "admin" }
    "raj@example.com"  = { docspace = "User", royalti = "user" }
  }
  project_id = "620f1707c66ef8821d35ee17"
}

resource "membership_docspace_invitation" "person" {
  for_each = local.people
  email    = each.key
  type     = each.value.docspace
}

resource "membership_royalti_workspace_invitation" "person" {
  for_each = local.people
  email    = each.key
  role     = each.value.royalti
}

resource "membership_attackforge_project_team_member" "person" {
  for_each   = local.people
  project_id = local.project_id
  user       = each.key
}

# Who was invited more than 30 days ago and never joined.
data "membership_docspace_users" "stale" {
  pending_older_than = "720h"
}

data "membership_royalti_users" "stale" {
  pending_older_than = "720h"
}

output "never_joined" {
  value = concat(
    [for u in data.membership_docspace_users.stale.users : "docspace: ${u.email} (invited ${u.invited_at})"],
    [for u in data.membership_royalti_users.stale.users : "royalti: ${u.email} (invited ${u.invited_at})"],
  )
}
