package docspace_test

import (
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const routeFilter = "GET /api/2.0/people/filter"

// TestListResource runs the list resource (`terraform query`, Terraform
// 1.14) at the protocol level: count across sandbox pages, identity,
// resource object, the owner/caller and terminated users left out,
// filters sent to the API, limit, a consumer that stops, cancellation and
// an unknown filter value.
func TestListResource(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.SeedPeople(250) // with the 5 seeded: 255 people, 3 pages of 100
	env.Sandbox.DocSpace.Terminate("person250@example.com")
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	env.Sandbox.ClearLog()
	results, diags := srv.List(ctx, invitationType, map[string]any{}, true, 0, nil)
	// 255 less the owner (who is also the caller) and the terminated one
	if acctest.HasError(diags) || len(results) != 253 {
		t.Fatalf("want 253 results, got %d: %s", len(results), acctest.DiagText(diags))
	}
	if n := env.Sandbox.Count("docspace", routeFilter); n != 3 {
		t.Fatalf("listing took %d pages, want 3", n)
	}
	if n := len(env.Sandbox.Requests("docspace")); n != 4 {
		t.Fatalf("listing took %d requests, want 3 pages and @self: %v", n, env.Sandbox.Counts())
	}
	byEmail := map[string]acctest.ListResult{}
	for _, r := range results {
		if len(r.Diagnostics) > 0 {
			t.Fatalf("result %s: %s", r.DisplayName, acctest.DiagText(r.Diagnostics))
		}
		email, _ := r.Identity["email"].(string)
		if email != strings.ToLower(email) || r.Identity["portal"] == "" {
			t.Fatalf("identity %v: want the portal and a lower-case email", r.Identity)
		}
		byEmail[email] = r
	}
	if _, ok := byEmail[sandbox.DocSpaceOwnerEmail]; ok {
		t.Fatal("the owner (and caller) is listed")
	}
	if _, ok := byEmail["person250@example.com"]; ok {
		t.Fatal("a terminated user is listed")
	}
	r := byEmail["person003@example.com"]
	if r.Resource == nil || r.Resource["email"] != "Person003@Example.com" || r.Resource["type"] != "DocSpaceAdmin" ||
		r.Resource["status"] != "active" || r.Resource["culture"] != nil || r.Resource["id"] == nil {
		t.Fatalf("resource object: %v", r.Resource)
	}
	if p := byEmail["person005@example.com"]; p.Resource["activation_status"] != "pending" || p.Resource["type"] != "RoomAdmin" {
		t.Fatalf("pending person: %v", p.Resource)
	}

	// filters go to the API
	env.Sandbox.ClearLog()
	results, diags = srv.List(ctx, invitationType, map[string]any{"type": "Guest"}, false, 0, nil)
	if acctest.HasError(diags) || len(results) != 63 { // the seeded guest and 62 of the 250 (person250 was one, terminated)
		t.Fatalf("type Guest: %d results %s", len(results), acctest.DiagText(diags))
	}
	for _, q := range env.Sandbox.Requests("docspace") {
		if !strings.Contains(q.Query, "employeeType=Guest") {
			t.Fatalf("filter not sent: %s?%s", q.Path, q.Query)
		}
	}
	results, diags = srv.List(ctx, invitationType, map[string]any{"activation_status": "pending", "type": "User"}, true, 0, nil)
	if acctest.HasError(diags) || len(results) != 12 {
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
	if n := env.Sandbox.Count("docspace", routeFilter); n != 0 {
		t.Fatalf("a cancelled listing read %d pages", n)
	}

	// an unknown filter value fails at validation, before any request
	for _, cfg := range []map[string]any{{"type": "Owner"}, {"activation_status": "invited"}} {
		env.Sandbox.ClearLog()
		_, diags = srv.List(ctx, invitationType, cfg, false, 0, nil)
		if !acctest.HasError(diags) || !strings.Contains(acctest.DiagText(diags), "value must be one of") {
			t.Fatalf("%v: %s", cfg, acctest.DiagText(diags))
		}
		env.CheckNoRequests(t)
	}
}

// TestAccQuery runs `terraform query` on the list resource (Terraform 1.14
// and later; skipped with an older terraform on TF_ACC_TERRAFORM_PATH,
// where TestListResource covers the protocol).
func TestAccQuery(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.SeedPeople(250)
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
list "membership_docspace_invitation" "people" {
  provider = membership
  limit    = 1000 # terraform query lists 100 results per block unless told
}
list "membership_docspace_invitation" "guests" {
  provider = membership
  limit    = 1000 # terraform query lists 100 results per block unless told
  config {
    type = "Guest"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("membership_docspace_invitation.people", 254),
					querycheck.ExpectLength("membership_docspace_invitation.guests", 64),
					querycheck.ExpectIdentity("membership_docspace_invitation.people", map[string]knownvalue.Check{
						"portal": knownvalue.NotNull(),
						"email":  knownvalue.StringExact("person003@example.com"),
					}),
				},
			},
		},
	})
}

// A list stopped at its limit while more people exist warns, with the
// last result Terraform reads (it reads no more than the limit), saying
// how many were listed of how many and to raise limit; a list that fits,
// exactly or not, does not warn.
func TestListResourceLimitWarning(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.SeedPeople(120) // more than a page of 100
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	results, diags := srv.List(ctx, invitationType, map[string]any{}, false, 0, nil)
	n := int64(len(results))
	if acctest.HasError(diags) || n < 100 {
		t.Fatalf("%d results: %s", n, acctest.DiagText(diags))
	}
	results, diags = srv.List(ctx, invitationType, map[string]any{}, false, 100, nil)
	all := acctest.ListDiagnostics(results, diags)
	text := acctest.DiagText(all)
	if len(results) != 100 || len(all) != 1 || len(results[99].Diagnostics) != 1 ||
		!strings.Contains(text, fmt.Sprintf("Only 100 of the %d people of the ONLYOFFICE DocSpace portal", n)) ||
		!strings.Contains(text, fmt.Sprintf("%d more exist", n-100)) || !strings.Contains(text, fmt.Sprintf("limit = %d", n)) {
		t.Fatalf("limit 100 of %d: %d results, %s", n, len(results), text)
	}
	for _, limit := range []int64{n, n + 1} {
		results, diags = srv.List(ctx, invitationType, map[string]any{}, false, limit, nil)
		if all := acctest.ListDiagnostics(results, diags); int64(len(results)) != n || len(all) != 0 {
			t.Fatalf("limit %d of %d: %d results, %s", limit, n, len(results), acctest.DiagText(all))
		}
	}
}
