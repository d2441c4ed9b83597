package shared

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// KeptAccess describes people who keep their access when Terraform
// destroys (or replaces) the resource that manages them: the platform's
// API cannot remove them (SmartDocumentor, GoldLeaf), or the provider
// will not. Its warnings say so at plan time, from ModifyPlan (which the
// framework also calls for a destroy, with a null plan), so that a
// `terraform plan -destroy` never reads as a revocation it is not.
//
// Each warning's summary names the person (or the count and the place):
// Terraform's CLI folds warnings with the same summary into "(and N more
// similar warnings elsewhere)", which would hide the other people's names.
type KeptAccess struct {
	// Where is the place they keep access to, platform included:
	// "SmartDocumentor workspace 12", "the GoldLeaf organization".
	Where string
	// People names each person: their email, with their role if known
	// (`jane@example.com (role "Reviewer")`).
	People []string
	// Why says why Terraform does not remove them: "SmartDocumentor's API
	// has no call to remove a workspace member or revoke an invitation".
	Why string
	// Remove says how to take their access away by hand: "remove them in
	// the SmartDocumentor web app".
	Remove string
	// OnlyForgets is true when the destroy revokes nobody at all (the
	// resource's destroy only forgets): the destroy warning then says how
	// to forget on purpose, without the warning. Leave it false when the
	// same destroy revokes others' access (people a destroy protects).
	OnlyForgets bool
}

// who is the people as a sentence's subject, as People describes them.
func (k KeptAccess) who() string { return andList(k.People) }

// names is the people by email only.
func (k KeptAccess) names() string {
	emails := make([]string, len(k.People))
	for i, p := range k.People {
		emails[i] = email(p)
	}
	return andList(emails)
}

// andList is "a", "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return "nobody"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// subject is who for a summary: the person, or how many people.
func (k KeptAccess) subject() string {
	if len(k.People) == 1 {
		return email(k.People[0])
	}
	return fmt.Sprintf("%d people", len(k.People))
}

// email is the first word of a person's description (their email).
func email(person string) string {
	e, _, _ := strings.Cut(person, " ")
	return e
}

func (k KeptAccess) keep() string {
	if len(k.People) == 1 {
		return "keeps"
	}
	return "keep"
}

func (k KeptAccess) has() string {
	if len(k.People) == 1 {
		return "has"
	}
	return "have"
}

// DestroySummary is the summary of the plan-time warning of a destroy.
func (k KeptAccess) DestroySummary() string {
	return fmt.Sprintf("Destroy does not revoke: %s %s access to %s", k.subject(), k.keep(), k.Where)
}

// DestroyDetail is the detail of the plan-time warning of a destroy: what
// happens, why, what to do and, when the destroy only forgets, how to
// forget on purpose: `lifecycle { destroy = false }` in a `removed` block
// (Terraform 1.7 and later) or in the resource block (Terraform 1.16 and
// later) makes Terraform forget the resource without asking the provider,
// so without this warning.
func (k KeptAccess) DestroyDetail() string {
	detail := fmt.Sprintf("This plan destroys the Terraform resource of %s in %s, but does not revoke their access: %s. "+
		"The destroy only removes them from the Terraform state; %s %s access.\n\n"+
		"If they should lose access, %s.",
		k.who(), k.Where, k.Why, k.names(), k.keep(), k.Remove)
	if k.OnlyForgets {
		detail += "\n\nTo make Terraform forget them on purpose, without this warning: set lifecycle { destroy = false } in the resource block " +
			"(Terraform 1.16 or later), or, when deleting the resource block, put in its place a removed block with " +
			"from = <the resource's address> and lifecycle { destroy = false } (Terraform 1.7 or later)."
	}
	return detail
}

// AddDestroyWarning adds the plan-time warning of a destroy that keeps
// everyone's access. Call it from ModifyPlan when req.Plan.Raw.IsNull().
func AddDestroyWarning(diags *diag.Diagnostics, k KeptAccess) {
	diags.AddWarning(k.DestroySummary(), k.DestroyDetail())
}

// AddReplaceWarning adds the plan-time warning of a replacement whose
// destroy of the old object keeps everyone's access: replacement names
// what replaces it ("a membership of workspace 13"). Terraform runs the
// destroy of a replacement whatever the resource's lifecycle says
// (`destroy = false` only forgets on a plain destroy), so only the manual
// removal is offered.
func AddReplaceWarning(diags *diag.Diagnostics, k KeptAccess, replacement string) {
	diags.AddWarning(
		fmt.Sprintf("Replacement does not revoke: %s %s access to %s", k.subject(), k.keep(), k.Where),
		fmt.Sprintf("This plan replaces the Terraform resource of %s in %s by %s, but does not revoke their access: %s. "+
			"The replacement only removes them from the Terraform state; %s %s access to %s.\n\n"+
			"If they should lose that access, %s.",
			k.who(), k.Where, replacement, k.Why, k.names(), k.keep(), k.Where, k.Remove))
}

// AddForgottenWarning adds the apply-time warning of a destroy that kept
// everyone's access. A saved plan applied later does not show the plan's
// warnings again: this one is the apply's own record of who kept access.
func AddForgottenWarning(diags *diag.Diagnostics, k KeptAccess) {
	diags.AddWarning(
		fmt.Sprintf("Not revoked: %s still %s access to %s", k.subject(), k.has(), k.Where),
		fmt.Sprintf("Terraform removed %s in %s from its state only: %s. "+
			"If they should lose access, %s.", k.who(), k.Where, k.Why, k.Remove))
}
