package shared

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later): every member resource is
// identified by its scope (a workspace, a project, a portal) and the
// member's email address in lower case, so that
//
//	import {
//	  to       = membership_smartdocumentor_workspace_invitation.jane
//	  identity = { workspace_id = 12, email = "jane@example.com" }
//	}
//
// works alongside the string import ids, and `terraform query` results
// (Terraform 1.14) carry an identity an import block can use as it is.

// EmailIdentityAttribute is the identity's "email" attribute.
func EmailIdentityAttribute() identityschema.StringAttribute {
	return identityschema.StringAttribute{
		RequiredForImport: true,
		Description:       "The member's email address, in lower case (an import accepts any letter case).",
	}
}

// IdentityEmail checks the email of an identity given to an import and
// returns it in lower case, or adds an error naming the expected shape
// (for example `{ workspace_id = 12, email = "jane@example.com" }`).
func IdentityEmail(v types.String, resourceType, shape string, diags *diag.Diagnostics) string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		IdentityError(diags, resourceType, shape, "email is missing")
		return ""
	}
	if why := ValidateEmail(v.ValueString()); why != "" {
		IdentityError(diags, resourceType, shape, fmt.Sprintf("email %q %s", v.ValueString(), why))
		return ""
	}
	return NormalizeEmail(v.ValueString())
}

// IdentityError adds the error for a malformed identity: what is wrong and
// the shape an identity of resourceType has.
func IdentityError(diags *diag.Diagnostics, resourceType, shape, why string) {
	diags.AddError("Invalid identity for "+resourceType,
		fmt.Sprintf("The identity of an import block for %s must look like\n\n  identity = %s\n\nbut %s.", resourceType, shape, why))
}

// SetIdentity stores v (an identity model) in identity; a nil identity
// (a resource type without identity support in this request) is left alone.
func SetIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, v any, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	diags.Append(identity.Set(ctx, v)...)
}

// IdentityIsNull reports whether identity holds no value yet (state written
// before the resource had an identity, or a Terraform older than 1.12).
func IdentityIsNull(identity *tfsdk.ResourceIdentity) bool {
	return identity == nil || identity.Raw.IsNull() || identity.Raw.IsFullyNull()
}

// AddImportNotFound adds the error of an import that finds no such member,
// instead of Terraform's "Cannot import non-existent remote object", which
// names neither the member nor where they were looked for. detail says
// what was looked up and what to check.
func AddImportNotFound(diags *diag.Diagnostics, member, where, detail string) {
	diags.AddError(fmt.Sprintf("Cannot import %s: not a member of %s", member, where),
		detail+"\n\nNothing was imported. To add them instead, apply the resource without importing it: that invites them.")
}
