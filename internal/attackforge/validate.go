package attackforge

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// accessLevels are the project access levels the API accepts.
var accessLevels = []string{"View", "Upload", "Edit"}

// leastAccessLevel is the level a member is invited with when the
// configuration sets none: the least access (team/invite needs one).
const leastAccessLevel = "View"

// projectRoles are the project roles team/invite accepts.
var projectRoles = []string{
	"Not Assigned", "Client", "Consultant", "Pentester", "Pentest Lead", "Security Manager",
	"Project Manager", "Executive", "Business Owner", "Developer", "Engineer", "Architect",
	"Red Team", "Blue Team", "SOC",
}

var (
	objectIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)
	usernameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+\-]{0,99}$`)
)

type kindOfUser int

const (
	kindInvalid kindOfUser = iota
	kindEmail
	kindID
	kindUsername
)

// userKind says what a `user` value is: an email (it has an @), a 24-hex
// user id, or a username.
func userKind(s string) kindOfUser {
	switch {
	case strings.Contains(s, "@"):
		if shared.ValidateEmail(s) == "" {
			return kindEmail
		}
		return kindInvalid
	case objectIDRe.MatchString(s):
		return kindID
	case usernameRe.MatchString(s):
		return kindUsername
	}
	return kindInvalid
}

// validateUser returns why s is not a valid `user` value, or "".
func validateUser(s string) string {
	if strings.Contains(s, "@") {
		if why := shared.ValidateEmail(s); why != "" {
			return "looks like an email address but " + why
		}
		return ""
	}
	if userKind(s) == kindInvalid {
		return "must be an email address, a username (letters, digits, '.', '_', '+' or '-', at most 100 characters) or a 24-character lowercase hexadecimal user id"
	}
	return ""
}

// validateObjectID returns why s is not a 24-hex ObjectId, or "".
func validateObjectID(s string) string {
	if !objectIDRe.MatchString(s) {
		return "must be a 24-character lowercase hexadecimal id such as 620f1707c66ef8821d35ee17"
	}
	return ""
}

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

// sameUser reports whether two `user` values are the same member: emails
// compare case-insensitively, anything else exactly (shared.MemberKey).
func sameUser(a, b string) bool { return shared.MemberKey(a) == shared.MemberKey(b) }

// parseImportID splits "<project_id>/<user>".
func parseImportID(id string) (projectID, user string, err error) {
	projectID, user, ok := strings.Cut(id, "/")
	format := "expected \"<project_id>/<user>\" where project_id is a 24-hex project id and user an email address, username or 24-hex user id, such as \"620f1707c66ef8821d35ee17/jane@example.com\""
	if !ok {
		return "", "", fmt.Errorf("import id %q: %s", id, format)
	}
	if why := validateObjectID(projectID); why != "" {
		return "", "", fmt.Errorf("import id %q: project_id %s; %s", id, why, format)
	}
	if why := validateUser(user); why != "" {
		return "", "", fmt.Errorf("import id %q: user %s; %s", id, why, format)
	}
	return projectID, user, nil
}
