package smartdocumentor_test

import (
	"context"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

// TestListResource runs the list resource (`terraform query`, Terraform
// 1.14) at the protocol level: count, identity, resource object, filters,
// limit, a consumer that stops, cancellation, an unknown filter value and
// a workspace the credentials cannot see.
func TestListResource(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.SmartDocumentor.SeedMembers(2, 40) // workspace 2 also has martin.manager@example.com
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	env.Sandbox.ClearLog()
	results, diags := srv.List(ctx, invitationType, map[string]any{"workspace_id": 2}, true, 0, nil)
	if acctest.HasError(diags) || len(results) != 41 {
		t.Fatalf("want 41 results, got %d: %s", len(results), acctest.DiagText(diags))
	}
	if n := env.Sandbox.Count(platform, routeUsers); n != 1 {
		t.Fatalf("listing took %d allusers requests, want 1", n)
	}
	byEmail := map[string]acctest.ListResult{}
	for _, r := range results {
		if len(r.Diagnostics) > 0 {
			t.Fatalf("result %s: %s", r.DisplayName, acctest.DiagText(r.Diagnostics))
		}
		email, _ := r.Identity["email"].(string)
		if email != strings.ToLower(email) || r.Identity["workspace_id"] != int64(2) {
			t.Fatalf("identity %v: want workspace 2 and a lower-case email", r.Identity)
		}
		byEmail[email] = r
	}
	r := byEmail["member003@example.com"] // listed as Member003@Example.com
	if r.Resource == nil || r.Resource["email"] != "Member003@Example.com" || r.Resource["role"] != "Reviewer" ||
		r.Resource["workspace_id"] != int64(2) || r.Resource["id"] != "2/Member003@Example.com" || r.Resource["status"] != "Active" {
		t.Fatalf("resource object: %v", r.Resource)
	}
	if p := byEmail["member005@example.com"]; p.Resource["status"] != "Invited" || p.Resource["email_confirmed"] != false {
		t.Fatalf("pending member: %v", p.Resource)
	}

	// without the resource object
	results, _ = srv.List(ctx, invitationType, map[string]any{"workspace_id": 2}, false, 0, nil)
	if len(results) != 41 || results[0].Resource != nil || results[0].Identity == nil {
		t.Fatalf("without resource: %d results, first %+v", len(results), results[0])
	}

	// filters
	results, diags = srv.List(ctx, invitationType, map[string]any{"workspace_id": 2, "status": "Invited"}, false, 0, nil)
	if acctest.HasError(diags) || len(results) != 8 {
		t.Fatalf("status Invited: %d results %s", len(results), acctest.DiagText(diags))
	}
	results, diags = srv.List(ctx, invitationType, map[string]any{"workspace_id": 2, "role": "Viewer", "status": "Active"}, true, 0, nil)
	if acctest.HasError(diags) || len(results) != 8 {
		t.Fatalf("role Viewer, Active: %d results %s", len(results), acctest.DiagText(diags))
	}
	for _, r := range results {
		if r.Resource["role"] != "Viewer" || r.Resource["status"] != "Active" {
			t.Fatalf("filtered result %v", r.Resource)
		}
	}

	// limit, a consumer that stops reading, cancellation
	if results, _ = srv.List(ctx, invitationType, map[string]any{"workspace_id": 2}, false, 5, nil); len(results) != 5 {
		t.Fatalf("limit 5: %d results", len(results))
	}
	if results, _ = srv.List(ctx, invitationType, map[string]any{"workspace_id": 2}, false, 0, func(n int) bool { return n == 3 }); len(results) != 3 {
		t.Fatalf("stopped after 3: %d results", len(results))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if results, _ = srv.List(cctx, invitationType, map[string]any{"workspace_id": 2}, false, 0, nil); len(results) != 0 {
		t.Fatalf("cancelled: %d results", len(results))
	}

	// an unknown status fails at validation, before any request
	env.Sandbox.ClearLog()
	_, diags = srv.List(ctx, invitationType, map[string]any{"workspace_id": 2, "status": "Pending"}, false, 0, nil)
	if !acctest.HasError(diags) || !strings.Contains(acctest.DiagText(diags), `"Active"`) {
		t.Fatalf("unknown status: %s", acctest.DiagText(diags))
	}
	env.CheckNoRequests(t)
	// a role the tenant doesn't have fails with the tenant's roles
	_, diags = srv.List(ctx, invitationType, map[string]any{"workspace_id": 2, "role": "viewer"}, false, 0, nil)
	if text := acctest.DiagText(diags); !acctest.HasError(diags) || !strings.Contains(text, `did you mean "Viewer"`) {
		t.Fatalf("unknown role: %s", text)
	}
	// a workspace the credentials can't see
	_, diags = srv.List(ctx, invitationType, map[string]any{"workspace_id": 99}, false, 0, nil)
	if text := acctest.DiagText(diags); !acctest.HasError(diags) || !strings.Contains(text, "Workspace 99 does not exist or the provider's credentials cannot see it") {
		t.Fatalf("unknown workspace: %s", text)
	}
}

// TestAccQuery runs `terraform query` on the list resource (Terraform 1.14
// and later; skipped with an older terraform on TF_ACC_TERRAFORM_PATH,
// where TestListResource covers the protocol).
func TestAccQuery(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.SmartDocumentor.SeedMembers(2, 40)
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
list "membership_smartdocumentor_workspace_invitation" "members" {
  provider = membership
  config {
    workspace_id = 2
  }
}
list "membership_smartdocumentor_workspace_invitation" "pending" {
  provider = membership
  config {
    workspace_id = 2
    status       = "Invited"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("membership_smartdocumentor_workspace_invitation.members", 41),
					querycheck.ExpectLength("membership_smartdocumentor_workspace_invitation.pending", 8),
					querycheck.ExpectIdentity("membership_smartdocumentor_workspace_invitation.members", map[string]knownvalue.Check{
						"workspace_id": knownvalue.Int64Exact(2),
						"email":        knownvalue.StringExact("member003@example.com"),
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
	env.Sandbox.SmartDocumentor.SeedMembers(2, 40) // 41 members with martin.manager@example.com
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	cfg := map[string]any{"workspace_id": 2}

	results, diags := srv.List(ctx, invitationType, cfg, false, 40, nil)
	all := acctest.ListDiagnostics(results, diags)
	text := acctest.DiagText(all)
	if len(results) != 40 || len(all) != 1 || all[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(text, "Only 40 of the 41 members of SmartDocumentor workspace 2 were listed") ||
		!strings.Contains(text, "1 more exist") || !strings.Contains(text, "limit = 41") {
		t.Fatalf("limit 40 of 41: %d results, %s", len(results), text)
	}
	if len(results[39].Diagnostics) != 1 {
		t.Fatalf("the warning is not on the last result read: %s", text)
	}
	for _, limit := range []int64{41, 100} {
		results, diags = srv.List(ctx, invitationType, cfg, false, limit, nil)
		if all := acctest.ListDiagnostics(results, diags); len(results) != 41 || len(all) != 0 {
			t.Fatalf("limit %d of 41: %d results, %s", limit, len(results), acctest.DiagText(all))
		}
	}
}
