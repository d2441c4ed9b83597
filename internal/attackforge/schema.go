package attackforge

// Schema pieces the resources, data sources and list resource share: the
// plan-time validators and plan modifiers over the rules of rules.go, and
// the description fragments.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// teamCostDoc says what finding a team costs, for the docs.
const teamCostDoc = "The Self-Service API has no listing of a project's team: the provider lists the users (`GET /api/ss/users`, one request) " +
	"and asks each user's projects (`GET /api/ss/user/:id/projects`, one request per user, " + "8 at a time), so finding a team costs 1 + the number of users " +
	"in the AttackForge instance, whatever the size of the team. The API reports neither a member's access level nor project role: they are null here."

// quotedList renders values as a Markdown list of code spans: `a`, `b`.
func quotedList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}

// funcValidator is a string validator over a rule that returns why a value
// is invalid ("" when valid).
type funcValidator struct {
	desc    string
	summary string
	check   func(string) string
}

func (v funcValidator) Description(context.Context) string { return v.desc }
func (v funcValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v funcValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if why := v.check(req.ConfigValue.ValueString()); why != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary,
			fmt.Sprintf("Attribute %s %s; got %q.", req.Path, why, req.ConfigValue.ValueString()))
	}
}

// userValidator checks a `user` value at plan time.
func userValidator() validator.String {
	return funcValidator{desc: "must be an email address, a username or a 24-hex user id", summary: "Invalid AttackForge user", check: validateUser}
}

// objectIDValidator checks a 24-hex id at plan time.
func objectIDValidator() validator.String {
	return funcValidator{desc: "must be a 24-character hexadecimal id", summary: "Invalid AttackForge id", check: validateObjectID}
}

// userIgnoreCase keeps the prior `user` when it is an email address and
// the configuration differs from it only in letter case.
func userIgnoreCase() planmodifier.String { return userIgnoreCaseModifier{} }

type userIgnoreCaseModifier struct{}

func (userIgnoreCaseModifier) Description(context.Context) string {
	return "an email address that changes only in letter case is not a change"
}
func (m userIgnoreCaseModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (userIgnoreCaseModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	p, s := req.PlanValue.ValueString(), req.StateValue.ValueString()
	if p != s && sameUser(p, s) {
		resp.PlanValue = req.StateValue
	}
}
