variable "people" {
  description = <<-EOT
    Everyone this module manages: email address (lower case) => where they are a member. Every platform is optional:
    leave it out for no membership there. Removing a person's entry offboards them from every platform whose API can
    remove members (DocSpace, AttackForge, Royalti); SmartDocumentor and GoldLeaf have no removal API, so there the
    person is only forgotten (the plan warns). Attributes:
    - smartdocumentor: role in the SmartDocumentor workspace, as the tenant names it (by default Administrator, Manager,
      Creator, Reviewer or Viewer). Needs smartdocumentor_workspace_id. SmartDocumentor cannot change a role: a
      change is refused at plan time.
    - docspace: DocSpace user type: User, RoomAdmin, DocSpaceAdmin or Guest. Changed in place.
    - attackforge: project => { access_level, project_role }. The project is a name from attackforge_projects or a
      project id (24 hexadecimal characters). access_level is View, Upload or Edit, changed in place; when unset the
      level is not managed (a new member gets View). project_role is one of AttackForge's project roles; a change
      re-adds the member. The person must already be an AttackForge user.
    - royalti: role in the Royalti workspace: user or admin. Changed in place.
    - goldleaf: true to invite the person to the GoldLeaf organization.
    - goldleaf_password_version: set with a password in goldleaf_passwords; bump it to re-invite with a new password.
  EOT
  type = map(object({
    smartdocumentor = optional(string)
    docspace        = optional(string)
    attackforge = optional(map(object({
      access_level = optional(string)
      project_role = optional(string)
    })), {})
    royalti                   = optional(string)
    goldleaf                  = optional(bool, false)
    goldleaf_password_version = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for email in keys(var.people) : email == lower(email) && can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "Each key of people must be an email address in lower case (platforms compare emails case-insensitively, so two spellings would be one person). Not valid: ${join(", ", [for email in keys(var.people) : email if !(email == lower(email) && can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email)))])}."
  }

  validation {
    condition     = alltrue([for p in values(var.people) : p.smartdocumentor == null || try(trimspace(p.smartdocumentor) != "", false)])
    error_message = "smartdocumentor must be a role name of the SmartDocumentor tenant (such as \"Reviewer\"), not empty. Leave it out for no SmartDocumentor membership."
  }

  validation {
    condition     = alltrue([for p in values(var.people) : p.docspace == null || contains(["User", "RoomAdmin", "DocSpaceAdmin", "Guest"], coalesce(p.docspace, "-"))])
    error_message = "docspace must be one of User, RoomAdmin, DocSpaceAdmin or Guest. Not valid: ${join(", ", [for email, p in var.people : "${email} = ${jsonencode(p.docspace)}" if p.docspace != null && !contains(["User", "RoomAdmin", "DocSpaceAdmin", "Guest"], coalesce(p.docspace, "-"))])}."
  }

  validation {
    condition     = alltrue([for p in values(var.people) : p.royalti == null || contains(["user", "admin"], coalesce(p.royalti, "-"))])
    error_message = "royalti must be user or admin (owner cannot be assigned). Not valid: ${join(", ", [for email, p in var.people : "${email} = ${jsonencode(p.royalti)}" if p.royalti != null && !contains(["user", "admin"], coalesce(p.royalti, "-"))])}."
  }

  validation {
    condition = alltrue(flatten([for p in values(var.people) : [
      for a in values(p.attackforge) : a == null ? true : (a.access_level == null || contains(["View", "Upload", "Edit"], coalesce(a.access_level, "-")))
    ]]))
    error_message = "attackforge access_level must be View, Upload or Edit (or unset: not managed). Not valid: ${join(", ", flatten([for email, p in var.people : [for project, a in p.attackforge : "${email} on ${project} = ${jsonencode(a.access_level)}" if a != null && a.access_level != null && !contains(["View", "Upload", "Edit"], coalesce(a.access_level, "-"))]]))}."
  }

  validation {
    condition = alltrue(flatten([for p in values(var.people) : [
      for a in values(p.attackforge) : a == null ? true : (a.project_role == null || contains([
        "Not Assigned", "Client", "Consultant", "Pentester", "Pentest Lead", "Security Manager", "Project Manager",
        "Executive", "Business Owner", "Developer", "Engineer", "Architect", "Red Team", "Blue Team", "SOC",
      ], coalesce(a.project_role, "-")))
    ]]))
    error_message = "attackforge project_role must be one of Not Assigned, Client, Consultant, Pentester, Pentest Lead, Security Manager, Project Manager, Executive, Business Owner, Developer, Engineer, Architect, Red Team, Blue Team or SOC (or unset)."
  }

  validation {
    condition = alltrue(flatten([for p in values(var.people) : [
      for project in keys(p.attackforge) : contains(keys(var.attackforge_projects), project) || can(regex("^[0-9a-fA-F]{24}$", project))
    ]]))
    error_message = "Each attackforge project must be a name from attackforge_projects or a project id (24 hexadecimal characters). Unknown: ${join(", ", distinct(flatten([for p in values(var.people) : [for project in keys(p.attackforge) : project if !(contains(keys(var.attackforge_projects), project) || can(regex("^[0-9a-fA-F]{24}$", project)))]])))}."
  }

  validation {
    condition = alltrue([for p in values(var.people) : length(keys(p.attackforge)) == length(distinct([
      for project in keys(p.attackforge) : lower(lookup(var.attackforge_projects, project, project))
    ]))])
    error_message = "A person names the same AttackForge project twice (by its name in attackforge_projects and by its id): keep one."
  }

  validation {
    condition     = alltrue([for p in values(var.people) : p.goldleaf_password_version == null || p.goldleaf])
    error_message = "goldleaf_password_version is only for people with goldleaf = true."
  }
}

variable "smartdocumentor_workspace_id" {
  description = "ID of the SmartDocumentor workspace the people's smartdocumentor roles are in (see the membership_smartdocumentor_workspaces data source). null (the default) disables SmartDocumentor: no memberships there, whatever people says."
  type        = number
  default     = null
}

variable "attackforge_projects" {
  description = "Names for AttackForge projects, so people can say { web_app = { access_level = \"Upload\" } } instead of a project id: name => project id (24 hexadecimal characters, as in the project's URL)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for id in values(var.attackforge_projects) : can(regex("^[0-9a-fA-F]{24}$", id))])
    error_message = "Each attackforge_projects value must be an AttackForge project id: 24 hexadecimal characters, as in the project's URL."
  }
}

variable "royalti_workspace_id" {
  description = "Royalti workspace to invite into. null (the default): the workspace of the provider's token."
  type        = string
  default     = null
}

variable "goldleaf_passwords" {
  description = "Initial GoldLeaf passwords: email => password, for people with goldleaf = true who should get one (the others choose theirs when accepting). Sent once with the invitation as a write-only value: never stored in the plan or the state. Give each such person a goldleaf_password_version; GoldLeaf's policy: at least 8 characters with an upper-case letter, a lower-case letter, a digit and a special character."
  type        = map(string)
  default     = {}
  nullable    = false
  sensitive   = true
  ephemeral   = true
}
