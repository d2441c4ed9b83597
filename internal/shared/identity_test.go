package shared

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestIdentityEmail(t *testing.T) {
	const shape = `{ email = "jane@example.com" }`
	var diags diag.Diagnostics
	if got := IdentityEmail(types.StringValue("Jane@Example.COM"), "membership_x", shape, &diags); got != "jane@example.com" || diags.HasError() {
		t.Fatalf("got %q %v", got, diags)
	}
	for _, v := range []types.String{types.StringNull(), types.StringValue(""), types.StringValue("jane"), types.StringValue(" jane@example.com"), types.StringValue("Jane <jane@example.com>")} {
		var diags diag.Diagnostics
		if got := IdentityEmail(v, "membership_x", shape, &diags); got != "" || !diags.HasError() {
			t.Fatalf("%v: got %q without an error", v, got)
		}
		d := diags[0]
		if d.Summary() != "Invalid identity for membership_x" || !strings.Contains(d.Detail(), "identity = "+shape) {
			t.Fatalf("%v: %s: %s", v, d.Summary(), d.Detail())
		}
	}
}
