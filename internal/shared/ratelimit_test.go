package shared

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func rateBlock(t *testing.T, rps attr.Value, burst attr.Value) types.Object {
	t.Helper()
	o, d := types.ObjectValue(
		map[string]attr.Type{"endpoint": types.StringType, AttrRequestsPerSecond: types.Float64Type, AttrBurst: types.Int64Type},
		map[string]attr.Value{"endpoint": types.StringValue("https://x.example.com"), AttrRequestsPerSecond: rps, AttrBurst: burst})
	if d.HasError() {
		t.Fatal(d)
	}
	return o
}

// The block wins over the environment, which wins over the default; the
// burst defaults to one second's worth of the rate.
func TestResolveRateLimit(t *testing.T) {
	p := Platform{Name: "demo", Title: "Demo", RateLimit: RateLimitDefault{RateLimit: RateLimit{RequestsPerSecond: 45, Burst: 45}}}
	ctx := context.Background()
	nullRate, nullBurst := types.Float64Null(), types.Int64Null()
	cases := []struct {
		name  string
		block types.Object
		env   map[string]string
		want  RateLimit
	}{
		{"default, no block", types.ObjectNull(map[string]attr.Type{}), nil, RateLimit{45, 45}},
		{"default, block without settings", rateBlock(t, nullRate, nullBurst), nil, RateLimit{45, 45}},
		{"rate only: burst is a second's worth", rateBlock(t, types.Float64Value(2.5), nullBurst), nil, RateLimit{2.5, 3}},
		{"slow rate: burst 1", rateBlock(t, types.Float64Value(0.1), nullBurst), nil, RateLimit{0.1, 1}},
		{"both", rateBlock(t, types.Float64Value(7), types.Int64Value(70)), nil, RateLimit{7, 70}},
		{"environment", rateBlock(t, nullRate, nullBurst), map[string]string{"DEMO_REQUESTS_PER_SECOND": " 12 ", "DEMO_BURST": "4"}, RateLimit{12, 4}},
		{"block over environment", rateBlock(t, types.Float64Value(3), nullBurst), map[string]string{"DEMO_REQUESTS_PER_SECOND": "12"}, RateLimit{3, 3}},
		{"unknown at plan: default", rateBlock(t, types.Float64Unknown(), types.Int64Unknown()), nil, RateLimit{45, 45}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DEMO_REQUESTS_PER_SECOND", "")
			t.Setenv("DEMO_BURST", "")
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			got, diags := ResolveRateLimit(ctx, p, c.block)
			if diags.HasError() || got != c.want {
				t.Fatalf("got %+v %v, want %+v", got, diags, c.want)
			}
		})
	}
	for _, bad := range []map[string]string{
		{"DEMO_REQUESTS_PER_SECOND": "0"}, {"DEMO_REQUESTS_PER_SECOND": "-1"}, {"DEMO_REQUESTS_PER_SECOND": "Inf"},
		{"DEMO_REQUESTS_PER_SECOND": "NaN"}, {"DEMO_REQUESTS_PER_SECOND": "ten"}, {"DEMO_BURST": "0"}, {"DEMO_BURST": "1.5"},
	} {
		t.Run("bad "+strings.Join(keys(bad), ","), func(t *testing.T) {
			t.Setenv("DEMO_REQUESTS_PER_SECOND", "")
			t.Setenv("DEMO_BURST", "")
			for k, v := range bad {
				t.Setenv(k, v)
			}
			_, diags := ResolveRateLimit(ctx, p, types.ObjectNull(map[string]attr.Type{}))
			if !diags.HasError() {
				t.Fatalf("%v accepted", bad)
			}
			for k := range bad {
				if !strings.Contains(diags[0].Summary(), k) {
					t.Fatalf("the error does not name %s: %v", k, diags)
				}
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// DecodeBlock hands a platform's model the block without the rate limit
// attributes, which its model does not declare.
func TestDecodeBlockIgnoresRateLimit(t *testing.T) {
	var m struct {
		Endpoint types.String `tfsdk:"endpoint"`
	}
	if d := DecodeBlock(context.Background(), rateBlock(t, types.Float64Value(1), types.Int64Value(2)), &m); d.HasError() {
		t.Fatal(d)
	}
	if m.Endpoint.ValueString() != "https://x.example.com" {
		t.Fatalf("endpoint %v", m.Endpoint)
	}
}
