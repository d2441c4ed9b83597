package shared

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The rate limit attributes every platform block has (added by
// WithRateLimitAttributes, read by ResolveRateLimit).
const (
	AttrRequestsPerSecond = "requests_per_second"
	AttrBurst             = "burst"
)

// RateLimitDefault is a platform's default client-side rate limit and
// where it comes from, for the documentation.
type RateLimitDefault struct {
	RateLimit
	// Source says why this default: the vendor's published limit, or that
	// the vendor publishes none (Markdown, one sentence).
	Source string
}

// RateLimitEnv are the environment variables of a platform's rate limit:
// DOCSPACE_REQUESTS_PER_SECOND and DOCSPACE_BURST for "docspace". They are
// not in Platform.EnvVars: setting one does not configure the platform.
func RateLimitEnv(platform string) (requestsPerSecond, burst string) {
	p := strings.ToUpper(platform) + "_"
	return p + "REQUESTS_PER_SECOND", p + "BURST"
}

// WithRateLimitAttributes returns the platform's block with the
// requests_per_second and burst attributes added, validated at plan time.
func WithRateLimitAttributes(p Platform) schema.SingleNestedBlock {
	b := p.Block
	attrs := make(map[string]schema.Attribute, len(b.Attributes)+2)
	for k, v := range b.Attributes {
		attrs[k] = v
	}
	envRate, envBurst := RateLimitEnv(p.Name)
	def := p.RateLimit
	attrs[AttrRequestsPerSecond] = schema.Float64Attribute{
		Optional: true,
		MarkdownDescription: fmt.Sprintf("Client-side limit on the requests sent to %s per second, a positive number, or `%s`. "+
			"Every attempt of every request waits for it, retries included; a `Retry-After` from the API also holds every request to the platform until it has passed. "+
			"Default `%s`: %s",
			p.Title, envRate, strconv.FormatFloat(def.RequestsPerSecond, 'f', -1, 64), def.Source),
		Validators: []validator.Float64{PositiveFloat64()},
	}
	attrs[AttrBurst] = schema.Int64Attribute{
		Optional: true,
		MarkdownDescription: fmt.Sprintf("How many requests may go at once before `requests_per_second` paces them, at least 1, or `%s`. "+
			"Default: one second's worth of `requests_per_second` (`%d` with the default rate).",
			envBurst, DefaultBurst(def.RequestsPerSecond)),
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
	b.Attributes = attrs
	return b
}

// ResolveRateLimit reads a platform's rate limit from its block (null when
// absent), else from its environment variables, else the platform's
// default. A bad environment value is an error on the attribute's path.
func ResolveRateLimit(ctx context.Context, p Platform, block types.Object) (RateLimit, diag.Diagnostics) {
	var diags diag.Diagnostics
	at := path.Root(p.Name)
	envRate, envBurst := RateLimitEnv(p.Name)
	var rps types.Float64
	var burst types.Int64
	if !block.IsNull() && !block.IsUnknown() {
		if v, ok := block.Attributes()[AttrRequestsPerSecond].(types.Float64); ok {
			rps = v
		}
		if v, ok := block.Attributes()[AttrBurst].(types.Int64); ok {
			burst = v
		}
	}
	limit := RateLimit{RequestsPerSecond: p.RateLimit.RequestsPerSecond}
	switch {
	case !rps.IsNull() && !rps.IsUnknown():
		limit.RequestsPerSecond = rps.ValueFloat64()
	case os.Getenv(envRate) != "":
		raw := os.Getenv(envRate)
		f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			diags.AddAttributeError(at.AtName(AttrRequestsPerSecond), "Invalid "+envRate,
				fmt.Sprintf("%s is %q: it must be a positive number of requests per second such as 10 or 0.5.", envRate, raw))
		} else {
			limit.RequestsPerSecond = f
		}
	}
	switch {
	case !burst.IsNull() && !burst.IsUnknown():
		limit.Burst = int(min(burst.ValueInt64(), math.MaxInt32))
	case os.Getenv(envBurst) != "":
		raw := os.Getenv(envBurst)
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || n < 1 {
			diags.AddAttributeError(at.AtName(AttrBurst), "Invalid "+envBurst,
				fmt.Sprintf("%s is %q: it must be a whole number of requests, at least 1.", envBurst, raw))
		} else {
			limit.Burst = int(min(n, math.MaxInt32))
		}
	default:
		limit.Burst = DefaultBurst(limit.RequestsPerSecond)
	}
	if !(limit.RequestsPerSecond > 0) {
		// A platform without a default and no setting: a bug, not a user error.
		diags.AddError("No rate limit for "+p.Title, "The platform has no default requests_per_second. This is a bug in the provider.")
	}
	return limit, diags
}

// withoutRateLimit drops the rate limit attributes from a platform block's
// value, so that a platform's own model decodes the rest (DecodeBlock).
func withoutRateLimit(block types.Object) (types.Object, diag.Diagnostics) {
	vals := block.Attributes()
	if _, ok := vals[AttrRequestsPerSecond]; !ok {
		if _, ok := vals[AttrBurst]; !ok {
			return block, nil
		}
	}
	attrTypes := map[string]attr.Type{}
	rest := map[string]attr.Value{}
	for k, t := range block.AttributeTypes(context.Background()) {
		if k == AttrRequestsPerSecond || k == AttrBurst {
			continue
		}
		attrTypes[k] = t
		rest[k] = vals[k]
	}
	return types.ObjectValue(attrTypes, rest)
}

// PositiveFloat64 checks at plan time that a number is greater than zero.
func PositiveFloat64() validator.Float64 { return positiveFloat64{} }

type positiveFloat64 struct{}

func (positiveFloat64) Description(context.Context) string { return "must be a number greater than 0" }
func (v positiveFloat64) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (v positiveFloat64) ValidateFloat64(ctx context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if f := req.ConfigValue.ValueFloat64(); !(f > 0) || math.IsInf(f, 0) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number",
			fmt.Sprintf("Attribute %s %s; got %s.", req.Path, v.Description(ctx), strconv.FormatFloat(f, 'g', -1, 64)))
	}
}

// UnpublishedRateLimit is the default of a platform whose vendor publishes
// no rate limit: 25 requests a second, burst 25 (1500 a minute). An
// unknown limit is better approached at a pace than met with 429s, yet a
// refresh or an apply of a thousand members should not take minutes for
// it; a team that knows its tenant's limit sets it.
func UnpublishedRateLimit() RateLimitDefault {
	return RateLimitDefault{
		RateLimit: RateLimit{RequestsPerSecond: 25, Burst: 25},
		Source: "the vendor publishes no rate limit, so the provider paces itself at 25 requests a second; " +
			"set your tenant's limit if you know it (a run of N requests takes at least N/25 seconds).",
	}
}
