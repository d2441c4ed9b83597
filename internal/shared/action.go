package shared

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Helpers of the actions (Terraform 1.14 and later) that take the members
// they act on by email.

// ActionEmailsAttribute is the emails attribute of an action: a non-empty
// set of email addresses.
func ActionEmailsAttribute(description string) schema.SetAttribute {
	return schema.SetAttribute{
		ElementType:         types.StringType,
		Required:            true,
		MarkdownDescription: description,
		Validators: []validator.Set{
			setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(EmailValidator()),
		},
	}
}

// ActionEmails returns the known emails of the set and whether some are
// not known yet (a value computed during the apply). It adds an error on
// at (the attribute's path) for the same address given twice in different
// letter cases: a set keeps both, and the member would be acted on twice.
func ActionEmails(ctx context.Context, set types.Set, at path.Path, diags *diag.Diagnostics) (emails []string, unknown bool) {
	if set.IsNull() || set.IsUnknown() {
		return nil, set.IsUnknown()
	}
	var elems []types.String
	if d := set.ElementsAs(ctx, &elems, true); d.HasError() {
		diags.Append(d...)
		return nil, false
	}
	var known []string
	for _, e := range elems {
		if e.IsUnknown() {
			unknown = true
			continue
		}
		if !e.IsNull() {
			known = append(known, e.ValueString())
		}
	}
	emails, dups := UniqueMembers(known)
	for _, d := range dups {
		diags.AddAttributeError(at, "Duplicate email",
			fmt.Sprintf("%q and %q are the same address (emails are compared case-insensitively): list it once.", d.First, d.Again))
	}
	return emails, unknown
}
