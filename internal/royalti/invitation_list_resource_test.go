package royalti_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// seedMembers adds n members out of band: every third an admin, every
// fourth pending, names on the even ones, mixed-case emails; the last one
// cancelled.
func seedMembers(env *acctest.Env, n int) {
	for i := 0; i < n; i++ {
		role, status, first := "user", "joined", ""
		if i%3 == 0 {
			role = "admin"
		}
		if i%4 == 0 {
			status = "invited"
		}
		if i%2 == 0 {
			first = fmt.Sprintf("P%d", i)
		}
		if i == n-1 {
			status = "cancelled"
		}
		env.Sandbox.Royalti.AddUser(fmt.Sprintf("Person%03d@Example.com", i), role, first, "", status)
	}
}

// TestListResource runs the list resource (`terraform query`, Terraform
// 1.14) at the protocol level: count across sandbox pages, identity,
// resource object, the owner and cancelled users left out, filters (role
// sent to the API), limit, a consumer that stops, cancellation and an
// unknown filter value.
func TestListResource(t *testing.T) {
	env := acctest.New(t)
	seedMembers(env, 250) // with the 2 seeded: 252 users, 3 pages of 100
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	env.Sandbox.ClearLog()
	results, diags := srv.List(ctx, invitationType, map[string]any{}, true, 0, nil)
	// 252 less the owner and the cancelled one
	if acctest.HasError(diags) || len(results) != 250 {
		t.Fatalf("want 250 results, got %d: %s", len(results), acctest.DiagText(diags))
	}
	if n, m := env.Sandbox.Count("royalti", "GET /user/{$}"), env.Sandbox.Count("royalti", "GET /user/invites"); n != 3 || m != 3 {
		t.Fatalf("listing took %d user pages and %d invite pages, want 3 and 3", n, m)
	}
	byEmail := map[string]acctest.ListResult{}
	for _, r := range results {
		if len(r.Diagnostics) > 0 {
			t.Fatalf("result %s: %s", r.DisplayName, acctest.DiagText(r.Diagnostics))
		}
		email, _ := r.Identity["email"].(string)
		if email != strings.ToLower(email) || r.Identity["workspace_id"] != "default" {
			t.Fatalf("identity %v: want the workspace and a lower-case email", r.Identity)
		}
		byEmail[email] = r
	}
	if _, ok := byEmail[sandbox.RoyaltiOwnerEmail]; ok {
		t.Fatal("the owner is listed")
	}
	if _, ok := byEmail["person249@example.com"]; ok {
		t.Fatal("a cancelled invitation is listed")
	}
	r := byEmail["person012@example.com"]
	if r.Resource == nil || r.Resource["email"] != "Person012@Example.com" || r.Resource["role"] != "admin" || r.Resource["first_name"] != "P12" ||
		r.Resource["invite_status"] != "invited" || r.Resource["id"] == nil || r.Resource["send_email"] != true {
		t.Fatalf("resource object: %v", r.Resource)
	}

	// filters: role goes to the API, status is the invitations'
	env.Sandbox.ClearLog()
	results, diags = srv.List(ctx, invitationType, map[string]any{"role": "admin"}, false, 0, nil)
	if acctest.HasError(diags) || len(results) != 83 { // 0, 3, ..., 246 (249 is the cancelled one)
		t.Fatalf("role admin: %d results %s", len(results), acctest.DiagText(diags))
	}
	for _, q := range env.Sandbox.Requests("royalti") {
		if q.Route == "GET /user/{$}" && !strings.Contains(q.Query, "role=admin") {
			t.Fatalf("role filter not sent: %s?%s", q.Path, q.Query)
		}
	}
	results, diags = srv.List(ctx, invitationType, map[string]any{"status": "invited", "role": "user"}, true, 0, nil)
	if acctest.HasError(diags) || len(results) != 42 { // multiples of 4 below 249 (63) that are not multiples of 3 (21)
		t.Fatalf("pending users: %d results %s", len(results), acctest.DiagText(diags))
	}

	// limit, a consumer that stops reading, cancellation
	if results, _ = srv.List(ctx, invitationType, map[string]any{}, false, 7, nil); len(results) != 7 {
		t.Fatalf("limit 7: %d results", len(results))
	}
	if results, _ = srv.List(ctx, invitationType, map[string]any{}, false, 0, func(n int) bool { return n == 2 }); len(results) != 2 {
		t.Fatalf("stopped after 2: %d results", len(results))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	env.Sandbox.ClearLog()
	if results, _ = srv.List(cctx, invitationType, map[string]any{}, false, 0, nil); len(results) != 0 {
		t.Fatalf("cancelled: %d results", len(results))
	}
	if n := env.Sandbox.Count("royalti", "GET /user/{$}"); n != 0 {
		t.Fatalf("a cancelled listing read %d pages", n)
	}

	// an unknown filter value fails at validation, before any request
	for _, cfg := range []map[string]any{{"role": "owner"}, {"status": "cancelled"}} {
		env.Sandbox.ClearLog()
		_, diags = srv.List(ctx, invitationType, cfg, false, 0, nil)
		if !acctest.HasError(diags) || !strings.Contains(acctest.DiagText(diags), "value must be one of") {
			t.Fatalf("%v: %s", cfg, acctest.DiagText(diags))
		}
		env.CheckNoRequests(t)
	}
}

// A token the workspace refuses is a clear error.
func TestListResourceRefused(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, map[string]any{"royalti": map[string]any{"endpoint": env.URL + sandbox.PrefixRoyalti, "token": "RWAK_wrong"}})
	_, diags := srv.List(context.Background(), invitationType, map[string]any{}, false, 0, nil)
	if text := acctest.DiagText(diags); !acctest.HasError(diags) || !strings.Contains(text, "HTTP 401") || !strings.Contains(text, "cannot list this workspace") {
		t.Fatalf("refused token: %s", text)
	}
}

// TestAccQuery runs `terraform query` on the list resource (Terraform 1.14
// and later; skipped with an older terraform on TF_ACC_TERRAFORM_PATH,
// where TestListResource covers the protocol).
func TestAccQuery(t *testing.T) {
	env := acctest.New(t)
	seedMembers(env, 250)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.ProviderConfig()},
			{
				Query: true,
				// The provider block stays in the previous step's .tf file:
				// the query file holds only the list blocks.
				Config: `
list "membership_royalti_workspace_invitation" "members" {
  provider = membership
  limit    = 1000 # terraform query lists 100 results per block unless told
}
list "membership_royalti_workspace_invitation" "admins" {
  provider = membership
  limit    = 1000 # terraform query lists 100 results per block unless told
  config {
    role = "admin"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("membership_royalti_workspace_invitation.members", 250),
					querycheck.ExpectLength("membership_royalti_workspace_invitation.admins", 83),
					querycheck.ExpectIdentity("membership_royalti_workspace_invitation.members", map[string]knownvalue.Check{
						"workspace_id": knownvalue.StringExact("default"),
						"email":        knownvalue.StringExact("person003@example.com"),
					}),
				},
			},
		},
	})
}

// A list stopped at its limit while more members exist warns, with the
// last result Terraform reads (it reads no more than the limit), saying
// how many were listed of how many and to raise limit; a list that fits,
// exactly or not, does not warn.
func TestListResourceLimitWarning(t *testing.T) {
	env := acctest.New(t)
	seedMembers(env, 139)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	results, diags := srv.List(ctx, invitationType, map[string]any{}, false, 0, nil)
	n := int64(len(results))
	if acctest.HasError(diags) || n < 101 {
		t.Fatalf("%d results: %s", n, acctest.DiagText(diags))
	}
	// Terraform's limit when the list block sets none
	results, diags = srv.List(ctx, invitationType, map[string]any{}, false, 100, nil)
	all := acctest.ListDiagnostics(results, diags)
	text := acctest.DiagText(all)
	if len(results) != 100 || len(all) != 1 || len(results[99].Diagnostics) != 1 ||
		!strings.Contains(text, fmt.Sprintf("Only 100 of the %d members of the Royalti workspace", n)) ||
		!strings.Contains(text, "Terraform's limit is 100") || !strings.Contains(text, fmt.Sprintf("limit = %d", n)) {
		t.Fatalf("limit 100 of %d: %d results, %s", n, len(results), text)
	}
	for _, limit := range []int64{n, n + 1} {
		results, diags = srv.List(ctx, invitationType, map[string]any{}, false, limit, nil)
		if all := acctest.ListDiagnostics(results, diags); int64(len(results)) != n || len(all) != 0 {
			t.Fatalf("limit %d of %d: %d results, %s", limit, n, len(results), acctest.DiagText(all))
		}
	}
}
