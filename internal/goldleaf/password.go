package goldleaf

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

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
