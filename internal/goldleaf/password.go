package goldleaf

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Password policy rules, in the words used in plan-time errors.
const (
	ruleLength  = "at least 8 characters"
	ruleUpper   = "an upper-case letter"
	ruleLower   = "a lower-case letter"
	ruleDigit   = "a digit"
	ruleSpecial = "a special character (anything other than a letter, a digit or a space)"
)

// passwordProblems lists the policy rules pw breaks: at least 8
// characters, an upper-case letter, a lower-case letter, a digit and a
// special character.
func passwordProblems(pw string) []string {
	var upper, lower, digit, special bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case !unicode.IsLetter(r) && !unicode.IsSpace(r):
			special = true
		}
	}
	var out []string
	if utf8.RuneCountInString(pw) < 8 {
		out = append(out, ruleLength)
	}
	if !upper {
		out = append(out, ruleUpper)
	}
	if !lower {
		out = append(out, ruleLower)
	}
	if !digit {
		out = append(out, ruleDigit)
	}
	if !special {
		out = append(out, ruleSpecial)
	}
	return out
}

// passwordPolicy validates GoldLeaf's password policy at plan time. Its
// messages name the rules that failed and never the value.
type passwordPolicy struct{}

func (passwordPolicy) Description(context.Context) string {
	return "must have at least 8 characters, with an upper-case letter, a lower-case letter, a digit and a special character"
}

func (v passwordPolicy) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v passwordPolicy) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	problems := passwordProblems(req.ConfigValue.ValueString())
	if len(problems) == 0 {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Password does not meet GoldLeaf's policy",
		"Attribute "+req.Path.String()+" must contain "+strings.Join(problems, ", ")+
			". GoldLeaf requires at least 8 characters with an upper-case letter, a lower-case letter, a digit and a special character. "+
			"The value is not shown because it is secret.")
}
