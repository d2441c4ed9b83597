package shared

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Invitation age: when an invitation was sent (invited_at) and the
// pending_older_than filter of the data sources and list resources.

// timestampLayouts are the date forms the APIs report: RFC 3339 (with or
// without a fraction: Royalti's "2024-06-10T12:00:00.000Z", DocSpace's
// "2024-01-15T10:30:00.0000000+03:00"), and .NET's round-trip form
// without a zone, taken as UTC.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02 15:04:05"}

// ParseTimestamp reads a date an API reports; ok is false when s is empty
// or in no known form.
func ParseTimestamp(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return t, false
	}
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return t, false
}

// TimestampValue is s as RFC 3339 in UTC ("2024-06-10T12:00:00Z"), null
// when s is empty or unreadable: a date the provider cannot read is never
// guessed.
func TimestampValue(s string) types.String {
	t, ok := ParseTimestamp(s)
	if !ok {
		return types.StringNull()
	}
	return types.StringValue(t.Format(time.RFC3339))
}

// PendingOlderThanDoc documents the pending_older_than filter.
const PendingOlderThanDoc = "Only pending invitations (not yet accepted) sent longer ago than this, as a Go duration string " +
	"(`\"720h\"` for 30 days, `\"168h\"` for a week): who never joined. Compared with `invited_at` at the time of the read; " +
	"members whose invitation date the API does not report are left out."

// PendingFilter is a parsed pending_older_than: it keeps every member when
// unset.
type PendingFilter struct {
	cutoff time.Time
	set    bool
}

// NewPendingFilter parses pending_older_than (null or unknown: unset)
// against now.
func NewPendingFilter(v types.String, now time.Time) (PendingFilter, error) {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return PendingFilter{}, nil
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil || d <= 0 {
		return PendingFilter{}, fmt.Errorf("pending_older_than must be a positive duration such as \"720h\"; got %q", v.ValueString())
	}
	return PendingFilter{cutoff: now.Add(-d), set: true}, nil
}

// Set reports whether the filter is in use.
func (f PendingFilter) Set() bool { return f.set }

// Keep reports whether a member passes: always when the filter is unset;
// otherwise only a pending invitation whose date (as the API reports it)
// is known and before the cutoff.
func (f PendingFilter) Keep(pending bool, invitedAt string) bool {
	if !f.set {
		return true
	}
	t, ok := ParseTimestamp(invitedAt)
	return pending && ok && t.Before(f.cutoff)
}
