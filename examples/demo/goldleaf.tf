# GoldLeaf: one invitation with a write-only initial password.
#
# GoldLeaf's API has no list, read or removal of users, so drift CANNOT be
# detected: after the out-of-band change below, `terraform plan` still shows
# no changes (and sends no GoldLeaf request). This is expected and documented.
# Remove the invited user in the sandbox behind Terraform's back:
#
#   curl -X DELETE "$SANDBOX_URL/_admin/goldleaf/users/grace@goldleaf.example"
#
# or mark them as having accepted the invitation:
#
#   curl -X POST "$SANDBOX_URL/_admin/goldleaf/users/grace@goldleaf.example/activate"
#
# See who the sandbox organization holds (the password itself is never shown):
#
#   curl "$SANDBOX_URL/_admin/goldleaf/users"

variable "goldleaf_initial_password" {
  type        = string
  sensitive   = true
  ephemeral   = true
  description = "Initial password of the demo GoldLeaf user (sandbox only)."
  default     = "Demo-Passw0rd!"
}

resource "membership_goldleaf_organization_invitation" "grace" {
  email               = "Grace@GoldLeaf.example"
  password_wo         = var.goldleaf_initial_password
  password_wo_version = 1
}
