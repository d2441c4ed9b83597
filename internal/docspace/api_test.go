package docspace

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// A change DocSpace refuses carries what to do about it from where the
// client made the error (a 402 is a paid admin seat, a 403 a change the
// credentials may not make); a refused read keeps the generic hint.
func TestRefusedWritesCarryTheirHint(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	generic403 := shared.Hint(&shared.APIError{Status: http.StatusForbidden}, Name)
	for _, tc := range []struct {
		method, path string
		status       int
		call         func() error
		hint         string
	}{
		{http.MethodPost, "/people/invite", http.StatusPaymentRequired, func() error {
			return c.Invite(ctx, "", []Invitation{{Email: "seat@example.com", Type: "RoomAdmin"}})
		}, seatHint},
		{http.MethodPut, "/people/type/", http.StatusForbidden, func() error {
			_, err := c.SetType(ctx, "User", []string{"3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8"})
			return err
		}, forbiddenHint},
		{http.MethodDelete, "/people/", http.StatusForbidden, func() error {
			return c.DeleteUser(ctx, "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8")
		}, forbiddenHint},
		{http.MethodGet, "/people/filter", http.StatusForbidden, func() error {
			_, err := c.ListUsers(ctx, Filter{ActivationStatus: anyActivation})
			return err
		}, generic403},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			sb.AddFault(sandbox.Fault{Platform: "docspace", Method: tc.method, Path: tc.path, Status: tc.status, Count: 1})
			err := tc.call()
			if shared.StatusOf(err) != tc.status {
				t.Fatalf("got %v, want HTTP %d", err, tc.status)
			}
			if got := shared.Hint(err, Name); got != tc.hint {
				t.Fatalf("hint %q, want %q", got, tc.hint)
			}
			if detail := shared.ErrorDetail(err, Name); !strings.HasSuffix(detail, "\n\n"+tc.hint) {
				t.Fatalf("detail %q does not end with the hint", detail)
			}
		})
	}
}
