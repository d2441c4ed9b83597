# Three people on three tools with the people module. The provider block
# (credentials for SmartDocumentor, DocSpace and AttackForge) is the one of
# the provider's documentation; keep the credentials in the environment.

module "people" {
  # Here, the module's path in the provider's repository. In your
  # configuration: the path of your copy (such as "./modules/people"), or
  # source = "git::https://github.com/workspace-membership/terraform-provider-membership.git//examples/modules/people?ref=v0.1.0"
  source = "../../modules/people"

  smartdocumentor_workspace_id = 2

  attackforge_projects = {
    web_app = "650f1707c66ef8821d35ee01"
    network = "650f1707c66ef8821d35ee02"
  }

  people = {
    "jane@example.com" = {
      smartdocumentor = "Reviewer"
      docspace        = "User"
      attackforge = {
        web_app = { access_level = "Upload" }
        network = { access_level = "Upload" }
      }
    }
    "raj@example.com" = {
      smartdocumentor = "Viewer"
      docspace        = "RoomAdmin"
      attackforge = {
        web_app = { access_level = "Edit", project_role = "Pentester" }
      }
    }
    "li@example.com" = {
      docspace = "User"
    }
  }
}

output "people" {
  value = module.people.people
}

output "pending" {
  value = module.people.pending
}
