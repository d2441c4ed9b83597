locals {
  smartdocumentor_out = {
    for email, m in membership_smartdocumentor_workspace_invitation.member : email => {
      role    = m.role
      status  = m.status # Invited until accepted, then Active
      pending = m.status == "Invited"
      user_id = m.user_id
    }
  }
  docspace_out = {
    for email, m in membership_docspace_invitation.member : email => {
      type              = m.type
      status            = m.status # active, pending or terminated
      activation_status = m.activation_status
      pending           = m.activation_status == "pending"
      id                = m.id
    }
  }
  attackforge_out = {
    for key, m in membership_attackforge_project_team_member.member : key => {
      project      = local.attackforge[key].project
      email        = local.attackforge[key].email
      project_id   = m.project_id
      access_level = m.access_level
      project_role = m.project_role
      user_id      = m.user_id
      username     = m.username
    }
  }
  royalti_out = {
    for email, m in membership_royalti_workspace_invitation.member : email => {
      role          = m.role
      invite_status = m.invite_status # invited until accepted, then joined
      pending       = m.invite_status == "invited"
      id            = m.id
    }
  }
  goldleaf_out = {
    for email, m in membership_goldleaf_organization_invitation.member : email => {
      status = m.status # always invited: GoldLeaf cannot say whether it was accepted
    }
  }
}

output "people" {
  description = "Per person, per platform, what the platform reports: smartdocumentor { role, status, pending, user_id }, docspace { type, status, activation_status, pending, id }, attackforge (project as given in people => { project_id, access_level, project_role, user_id, username }), royalti { role, invite_status, pending, id }, goldleaf { status }. null (attackforge: {}) where the person has no membership."
  value = {
    for email in keys(var.people) : email => {
      smartdocumentor = lookup(local.smartdocumentor_out, email, null)
      docspace        = lookup(local.docspace_out, email, null)
      attackforge = {
        for key, m in local.attackforge_out : m.project => {
          project_id   = m.project_id
          access_level = m.access_level
          project_role = m.project_role
          user_id      = m.user_id
          username     = m.username
        } if m.email == email
      }
      royalti  = lookup(local.royalti_out, email, null)
      goldleaf = lookup(local.goldleaf_out, email, null)
    }
  }
}

output "pending" {
  description = "Emails whose invitation is not accepted yet, per platform that can tell: smartdocumentor, docspace, royalti. (AttackForge puts people on the team at once; GoldLeaf cannot say.)"
  value = {
    smartdocumentor = sort([for email, m in local.smartdocumentor_out : email if m.pending])
    docspace        = sort([for email, m in local.docspace_out : email if m.pending])
    royalti         = sort([for email, m in local.royalti_out : email if m.pending])
  }
}

output "attackforge_memberships" {
  description = "Every AttackForge membership, keyed \"<project id>/<email>\" (the import ID): { project, email, project_id, access_level, project_role, user_id, username }."
  value       = local.attackforge_out
}
