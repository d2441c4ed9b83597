package shared

import (
	"context"
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
