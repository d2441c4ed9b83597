package shared

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestTimestampValue(t *testing.T) {
	for in, want := range map[string]string{
		"2024-06-10T12:00:00.000Z":          "2024-06-10T12:00:00Z", // Royalti
		"2024-01-15T10:30:00.0000000+03:00": "2024-01-15T07:30:00Z", // DocSpace ApiDateTime
		"2024-01-15T10:30:00Z":              "2024-01-15T10:30:00Z",
		"2024-01-15T10:30:00.1234567":       "2024-01-15T10:30:00Z", // .NET, no zone: UTC
		"2024-01-15 10:30:00":               "2024-01-15T10:30:00Z",
	} {
		if got := TimestampValue(in); got.ValueString() != want {
			t.Errorf("%q: %v, want %s", in, got, want)
		}
	}
	for _, in := range []string{"", "yesterday", "15/01/2024"} {
		if got := TimestampValue(in); !got.IsNull() {
			t.Errorf("%q: %v, want null", in, got)
		}
	}
}

func TestPendingFilter(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f, err := NewPendingFilter(types.StringValue("720h"), now)
	if err != nil || !f.Set() {
		t.Fatal(err)
	}
	old, recent := "2026-01-01T00:00:00Z", "2026-02-25T00:00:00Z"
	if !f.Keep(true, old) || f.Keep(true, recent) || f.Keep(false, old) || f.Keep(true, "") || f.Keep(true, "garbage") {
		t.Fatal("the filter keeps only pending invitations older than 30 days with a known date")
	}
	unset, _ := NewPendingFilter(types.StringNull(), now)
	if unset.Set() || !unset.Keep(false, "") {
		t.Fatal("an unset filter keeps everyone")
	}
	for _, bad := range []string{"30d", "-1h", "0s"} {
		if _, err := NewPendingFilter(types.StringValue(bad), now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
