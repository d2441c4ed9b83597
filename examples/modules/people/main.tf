# One membership resource per person and platform, each with for_each over
# var.people: a person's entry is all Terraform knows of them, so removing it
# plans the removal of every membership they have (and nothing else).

locals {
  smartdocumentor = var.smartdocumentor_workspace_id == null ? {} : {
    for email, p in var.people : email => p.smartdocumentor if p.smartdocumentor != null
  }
  docspace = { for email, p in var.people : email => p.docspace if p.docspace != null }
  royalti  = { for email, p in var.people : email => p.royalti if p.royalti != null }
  goldleaf = { for email, p in var.people : email => p if p.goldleaf }

  # AttackForge: one membership per person and project, keyed
  # "<project id>/<email>", which is also the import ID.
  attackforge = merge([
    for email, p in var.people : {
      for project, access in p.attackforge : "${lower(lookup(var.attackforge_projects, project, project))}/${email}" => {
        project      = project
        project_id   = lower(lookup(var.attackforge_projects, project, project))
        email        = email
        access_level = try(access.access_level, null)
        project_role = try(access.project_role, null)
      }
    }
  ]...)

  smartdocumentor_ignored = var.smartdocumentor_workspace_id != null ? [] : sort([
    for email, p in var.people : email if p.smartdocumentor != null
  ])
}

check "smartdocumentor_enabled" {
  assert {
    condition     = length(local.smartdocumentor_ignored) == 0
    error_message = "SmartDocumentor is disabled (smartdocumentor_workspace_id = null), so these people's smartdocumentor roles are ignored: ${join(", ", local.smartdocumentor_ignored)}. Set smartdocumentor_workspace_id to manage them."
  }
}

resource "membership_smartdocumentor_workspace_invitation" "member" {
  for_each = local.smartdocumentor

  workspace_id = var.smartdocumentor_workspace_id
  email        = each.key
  role         = each.value
}

resource "membership_docspace_invitation" "member" {
  for_each = local.docspace

  email = each.key
  type  = each.value
}

resource "membership_attackforge_project_team_member" "member" {
  for_each = local.attackforge

  project_id = each.value.project_id
  user       = each.value.email
  # null when the person's entry sets none: the level is then not managed
  access_level = each.value.access_level
  project_role = each.value.project_role
}

resource "membership_royalti_workspace_invitation" "member" {
  for_each = local.royalti

  email        = each.key
  role         = each.value
  workspace_id = var.royalti_workspace_id
}

resource "membership_goldleaf_organization_invitation" "member" {
  for_each = local.goldleaf

  email               = each.key
  password_wo         = lookup(var.goldleaf_passwords, each.key, null)
  password_wo_version = each.value.goldleaf_password_version
}
