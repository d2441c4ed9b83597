package provider_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// An action's diagnostics go through the same redaction as every other
// RPC's: an API quoting the request (the DocSpace token, the Royalti
// token) in its error brings no credential out of InvokeAction.
func TestActionDiagnosticsAreRedacted(t *testing.T) {
	env := acctest.New(t)
	echo := &echoServer{next: env.Sandbox, echoed: map[string]string{}}
	echo.setEcho(sandbox.PrefixDocSpace+"/api/2.0/people/invite", sandbox.PrefixRoyalti+"/user/invites/")
	front := httptest.NewServer(echo)
	t.Cleanup(front.Close)
	srv := env.ProtocolServer(t, map[string]any{
		"max_retries": 0,
		"docspace":    map[string]any{"endpoint": front.URL + sandbox.PrefixDocSpace, "token": sandbox.DocSpaceToken},
		"royalti":     map[string]any{"endpoint": front.URL + sandbox.PrefixRoyalti, "token": sandbox.RoyaltiToken},
	})
	env.Sandbox.Royalti.AddUser("ann@example.com", "user", "", "", "invited")
	ctx := context.Background()
	for action, email := range map[string]string{
		"membership_docspace_resend_invitation": sandbox.DocSpaceGuestEmail,
		"membership_royalti_resend_invitation":  "ann@example.com",
	} {
		_, diags := srv.InvokeAction(ctx, action, map[string]any{"emails": []any{email}})
		text := acctest.DiagText(diags)
		if !acctest.HasError(diags) || !strings.Contains(text, "ECHO") {
			t.Fatalf("%s: the echoed error is missing, the test would prove nothing: %s", action, text)
		}
		for _, secret := range acctest.Secrets() {
			if strings.Contains(text, secret) {
				t.Errorf("%s: a credential reached the diagnostics: %s", action, text)
			}
		}
	}
	if len(echo.echoed) < 2 {
		t.Fatalf("the echo server quoted %v: both tokens should have been sent and quoted", echo.echoed)
	}
}
