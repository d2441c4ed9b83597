package shared

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// EmailType is a string attribute type for email addresses, compared
// case-insensitively: a value the API returns in another case is not drift.
type EmailType struct{ basetypes.StringType }

var (
	_ basetypes.StringTypable                    = EmailType{}
	_ basetypes.StringValuableWithSemanticEquals = Email{}
)

func (t EmailType) Equal(o attr.Type) bool { _, ok := o.(EmailType); return ok }
func (t EmailType) String() string         { return "shared.EmailType" }
func (t EmailType) ValueType(context.Context) attr.Value {
	return Email{}
}

func (t EmailType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return Email{StringValue: in}, nil
}

func (t EmailType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	sv, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return Email{StringValue: sv}, nil
}

// Email is a value of EmailType.
type Email struct{ basetypes.StringValue }

func (v Email) Type(context.Context) attr.Type { return EmailType{} }

func (v Email) Equal(o attr.Value) bool {
	other, ok := o.(Email)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals keeps the prior value when the new one differs only
// in case.
func (v Email) StringSemanticEquals(ctx context.Context, newV basetypes.StringValuable) (bool, diag.Diagnostics) {
	nv, diags := newV.ToStringValue(ctx)
	if diags.HasError() {
		return false, diags
	}
	return NormalizeEmail(v.ValueString()) == NormalizeEmail(nv.ValueString()), diags
}

// EmailValue makes a known Email.
func EmailValue(s string) Email { return Email{StringValue: basetypes.NewStringValue(s)} }

// EmailNull makes a null Email.
func EmailNull() Email { return Email{StringValue: basetypes.NewStringNull()} }

// ValidateEmail returns why s is not a plain email address, or "". Beyond
// the syntax of RFC 5322 it refuses what no mailbox can be: control and
// invisible format characters (bidi overrides such as U+202E, zero-width
// spaces), IP-literal or bare IP domains, and domain labels that DNS does
// not allow (starting or ending with '-', with '_' or other punctuation,
// empty or longer than 63 characters). Internationalised addresses (UTF-8
// local parts, IDN domains such as jöhn@exämple.com) are accepted.
func ValidateEmail(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if strings.TrimSpace(s) != s {
		return "must not start or end with spaces"
	}
	for _, r := range s {
		if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r) ||
			r == utf8.RuneError || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) {
			return fmt.Sprintf("must not contain control or invisible formatting characters (found U+%04X)", r)
		}
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "must be a plain email address such as jane@example.com (no display name or angle brackets)"
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return "must not contain spaces"
	}
	at := strings.LastIndex(s, "@")
	domain := s[at+1:]
	if strings.HasPrefix(domain, "[") || net.ParseIP(domain) != nil {
		return fmt.Sprintf("must have a domain name, not an IP address (got %q)", domain)
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return fmt.Sprintf("must have a domain with a dot, such as example.com (got %q)", domain)
	}
	labels := strings.Split(domain, ".")
	for _, label := range labels {
		if why := domainLabelProblem(label); why != "" {
			return fmt.Sprintf("must have a valid domain: label %q %s", label, why)
		}
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return fmt.Sprintf("must have a domain name, not an IP address (got %q)", domain)
	}
	if len(s) > 254 {
		return "must be at most 254 characters long"
	}
	return ""
}

// domainLabelProblem says why one label of a domain cannot be in DNS:
// letters (any script, for IDN), digits, combining marks and inner hyphens
// only, 1 to 63 characters.
func domainLabelProblem(label string) string {
	if label == "" {
		return "is empty"
	}
	if utf8.RuneCountInString(label) > 63 {
		return "is longer than 63 characters"
	}
	if strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
		return "starts or ends with '-'"
	}
	for _, r := range label {
		if r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			continue
		}
		return fmt.Sprintf("contains %q, which domain names cannot", r)
	}
	return ""
}

// EmailValidator validates email addresses at plan time.
func EmailValidator() validator.String { return emailValidator{} }

type emailValidator struct{}

func (emailValidator) Description(context.Context) string { return "must be a valid email address" }
func (v emailValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (emailValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if why := ValidateEmail(req.ConfigValue.ValueString()); why != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid email address",
			fmt.Sprintf("Attribute %s %s; got %q.", req.Path, why, req.ConfigValue.ValueString()))
	}
}

// EmailIgnoreCase is a plan modifier that keeps the prior state's email
// when the configuration differs from it only in case, so a case change in
// configuration plans neither an update nor a replacement. Put it before
// RequiresReplace.
func EmailIgnoreCase() planmodifier.String { return emailIgnoreCase{} }

type emailIgnoreCase struct{}

func (emailIgnoreCase) Description(context.Context) string {
	return "a change of letter case only is not a change"
}
func (m emailIgnoreCase) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (emailIgnoreCase) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() || req.StateValue.IsUnknown() {
		return
	}
	if req.PlanValue.ValueString() != req.StateValue.ValueString() &&
		NormalizeEmail(req.PlanValue.ValueString()) == NormalizeEmail(req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// EmailAttribute is the schema of the email a membership is for:
// required, validated at plan time, compared without regard to letter case
// (a case-only change plans nothing) and replaced on any other change.
func EmailAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		CustomType:          EmailType{},
		Required:            true,
		MarkdownDescription: description,
		Validators:          []validator.String{EmailValidator()},
		PlanModifiers:       []planmodifier.String{EmailIgnoreCase(), stringplanmodifier.RequiresReplace()},
	}
}

// NormalizeEmail is the canonical key used to match emails.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
