package shared

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestValidateEmail(t *testing.T) {
	for _, ok := range []string{"jane@example.com", "Jane.Doe+ops@Sub.Example.co.uk", "a_b@x.io"} {
		if why := ValidateEmail(ok); why != "" {
			t.Errorf("%q rejected: %s", ok, why)
		}
	}
	for _, bad := range []string{"", "jane", "jane@", "@example.com", "jane@localhost", "Jane <jane@example.com>", " jane@example.com", "jane@example..com", "jane@.example.com", "jane@@example.com", "jane@example.com."} {
		if why := ValidateEmail(bad); why == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

// What no mailbox can be is refused at plan; valid internationalised
// addresses are kept.
func TestValidateEmailHostileInput(t *testing.T) {
	for _, ok := range []string{"jöhn@exämple.com", "用户@例子.广告", "o'brien@example.com", "x%y@example.com", "a-b@my-host.example.com",
		"jane@xn--exmple-cua.com", "ünïcode@bücher.de", "a@b2.io"} {
		if why := ValidateEmail(ok); why != "" {
			t.Errorf("%q rejected: %s", ok, why)
		}
	}
	bad := map[string]string{
		"RLO in local part":     "jane\u202e@example.com",
		"RLO in domain":         "jane@exa\u202emple.com",
		"zero-width space":      "ja\u200bne@example.com",
		"BOM":                   "\ufeffjane@example.com",
		"NUL":                   "jane\x00@example.com",
		"tab":                   "ja\tne@example.com",
		"newline":               "jane@example.com\nBcc: x@y.z",
		"line separator":        "jane@example.com\u2028",
		"IP literal":            "jane@[1.2.3.4]",
		"IPv6 literal":          "jane@[IPv6:::1]",
		"bare IP":               "jane@1.2.3.4",
		"numeric TLD":           "jane@example.123",
		"label starting with -": "jane@-example.com",
		"label ending with -":   "jane@example-.com",
		"TLD ending with -":     "jane@example.com-",
		"underscore in domain":  "jane@my_host.example.com",
		"punctuation in domain": "jane@ex!ample.com",
		"label too long":        "jane@" + strings.Repeat("a", 64) + ".com",
	}
	for name, addr := range bad {
		if why := ValidateEmail(addr); why == "" {
			t.Errorf("%s: %q accepted", name, addr)
		}
	}
}

func TestEmailValidatorNamesTheAttribute(t *testing.T) {
	resp := &validator.StringResponse{}
	EmailValidator().ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("email"), ConfigValue: types.StringValue("not-an-email"),
	}, resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("expected an error")
	}
	d := resp.Diagnostics[0]
	if d.Summary() != "Invalid email address" || !strings.Contains(d.Detail(), "email") || !strings.Contains(d.Detail(), "not-an-email") {
		t.Fatalf("unexpected diagnostic: %s / %s", d.Summary(), d.Detail())
	}
	resp = &validator.StringResponse{}
	EmailValidator().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("email"), ConfigValue: types.StringUnknown()}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatal("unknown values are checked at apply, not plan")
	}
}

func TestEmailSemanticEquality(t *testing.T) {
	eq, _ := EmailValue("Jane@Example.com").StringSemanticEquals(context.Background(), EmailValue("jane@example.com"))
	if !eq {
		t.Fatal("case-only difference must be semantically equal")
	}
	eq, _ = EmailValue("jane@example.com").StringSemanticEquals(context.Background(), EmailValue("john@example.com"))
	if eq {
		t.Fatal("different addresses must differ")
	}
}

func TestEmailTypeRoundTrip(t *testing.T) {
	v, err := EmailType{}.ValueFromTerraform(context.Background(), tftypes.NewValue(tftypes.String, "a@b.co"))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := v.(Email)
	if !ok || e.ValueString() != "a@b.co" || !e.Equal(EmailValue("a@b.co")) || e.Equal(EmailValue("A@b.co")) {
		t.Fatalf("round trip: %#v", v)
	}
	if !(EmailType{}).Equal(EmailType{}) || (EmailType{}).Equal(types.StringType) {
		t.Fatal("type equality")
	}
}

func TestEmailIgnoreCasePlanModifier(t *testing.T) {
	run := func(state, plan types.String) types.String {
		resp := &planmodifier.StringResponse{PlanValue: plan}
		EmailIgnoreCase().PlanModifyString(context.Background(), planmodifier.StringRequest{StateValue: state, PlanValue: plan, ConfigValue: plan}, resp)
		return resp.PlanValue
	}
	if got := run(types.StringValue("jane@example.com"), types.StringValue("Jane@Example.com")); got.ValueString() != "jane@example.com" {
		t.Fatalf("case change should keep the state value, got %s", got)
	}
	if got := run(types.StringValue("jane@example.com"), types.StringValue("john@example.com")); got.ValueString() != "john@example.com" {
		t.Fatalf("a real change must stay, got %s", got)
	}
	if got := run(types.StringNull(), types.StringValue("John@example.com")); got.ValueString() != "John@example.com" {
		t.Fatalf("create must keep config, got %s", got)
	}
}

// Problem details with several invalid fields give the same message every
// time (fields sorted), so plans and test output are stable.
func TestErrorMessageIsDeterministic(t *testing.T) {
	body := []byte(`{"title":"Invalid","errors":{"zeta":["z bad"],"alpha":["a bad"],"mid":["m bad"],"beta":"b bad"}}`)
	want := ErrorMessage(body)
	if !strings.Contains(want, "alpha: a bad; beta: b bad; mid: m bad; zeta: z bad") {
		t.Fatalf("fields not sorted: %s", want)
	}
	for range 50 {
		if got := ErrorMessage(body); got != want {
			t.Fatalf("message changed: %q then %q", want, got)
		}
	}
}

// A client of the wrong type is a clear bug report, not a nil client.
func TestClientForWrongType(t *testing.T) {
	d := NewProviderData()
	d.Set(Platform{Name: "x", Title: "X"}, 42)
	_, ok, diags := ClientFor[*Client](d, "x")
	if ok || !diags.HasError() || !strings.Contains(diags[0].Detail(), "bug in the provider") {
		t.Fatalf("ok=%v diags=%v", ok, diags)
	}
}

// UniqueMembers is the one duplicate-email check (UniqueMemberKeys and
// ActionEmails use it): the first of each member stays, in order.
func TestUniqueMembers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		keys   []string
		unique []string
		dups   []Duplicate
	}{
		{name: "none", keys: nil},
		{name: "all different", keys: []string{"b@x.io", "a@x.io"}, unique: []string{"b@x.io", "a@x.io"}},
		{name: "letter case", keys: []string{"Jane@X.io", "a@x.io", "jane@x.io", "JANE@x.IO"},
			unique: []string{"Jane@X.io", "a@x.io"},
			dups:   []Duplicate{{First: "Jane@X.io", Again: "jane@x.io"}, {First: "Jane@X.io", Again: "JANE@x.IO"}}},
		{name: "keys that are not emails compare exactly", keys: []string{"ID-1", "id-1"}, unique: []string{"ID-1", "id-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unique, dups := UniqueMembers(tc.keys)
			if !slices.Equal(unique, tc.unique) || !slices.Equal(dups, tc.dups) {
				t.Errorf("UniqueMembers(%q) = %q, %+v; want %q, %+v", tc.keys, unique, dups, tc.unique, tc.dups)
			}
		})
	}
}
