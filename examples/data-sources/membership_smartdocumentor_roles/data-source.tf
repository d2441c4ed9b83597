# The roles of the tenant, the values an invitation's role accepts.
data "membership_smartdocumentor_roles" "all" {}

output "smartdocumentor_roles" {
  value = data.membership_smartdocumentor_roles.all.names # ["Administrator", "Manager", ...]
}
