package attackforge_test

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

// seedTeam adds n users to the sandbox, every other one on the project's
// team with mixed access levels and roles, emails in mixed case. It
// returns the team members' emails in lower case.
func seedTeam(t testing.TB, af *sandbox.AttackForge, projectID string, n int) []string {
	t.Helper()
	levels := []string{"View", "Upload", "Edit"}
	var team []string
	for i := 1; i <= n; i++ {
		email := fmt.Sprintf("Tester%03d@Example.com", i)
		if i%3 == 0 {
			email = strings.ToLower(email)
		}
		af.AddUser(fmt.Sprintf("tester%03d", i), email, "Tess", fmt.Sprintf("Ter%d", i))
		if i%2 == 1 {
			continue
		}
		if err := af.SetMember(projectID, email, levels[i%3], sandbox.AFProjectRoles[i%len(sandbox.AFProjectRoles)]); err != nil {
			t.Fatal(err)
		}
		team = append(team, strings.ToLower(email))
	}
	return team
}

// TestListResource runs the list resource (`terraform query`, Terraform
// 1.14) at the protocol level: count, identity, resource object (access
// level and role null: unreadable), its cost (1 + one request per user),
// limit and a consumer that stop the requests, cancellation, a bad
// project id at validation and an unknown project.
func TestListResource(t *testing.T) {
	env := acctest.New(t)
	team := seedTeam(t, env.Sandbox.AttackForge, sandbox.AFProjectNetwork, 40)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	users := len(env.Sandbox.AttackForge.Users())

	env.Sandbox.ClearLog()
	results, diags := srv.List(ctx, teamMemberType, map[string]any{"project_id": sandbox.AFProjectNetwork}, true, 0, nil)
	if acctest.HasError(diags) || len(results) != len(team) {
		t.Fatalf("want %d results, got %d: %s", len(team), len(results), acctest.DiagText(diags))
	}
	if n, p := env.Sandbox.Count("attackforge", routeUsers), env.Sandbox.Count("attackforge", routeProjects); n != 1 || p != users {
		t.Fatalf("cost: %d user listings and %d project look-ups, want 1 and %d (one per user)", n, p, users)
	}
	want := map[string]bool{}
	for _, e := range team {
		want[e] = true
	}
	for i, r := range results {
		email, _ := r.Identity["email"].(string)
		if r.Identity["project_id"] != sandbox.AFProjectNetwork || !want[email] {
			t.Fatalf("result %d identity %v: not a team member", i, r.Identity)
		}
		delete(want, email)
		if r.Resource["user"] != email || r.Resource["access_level"] != nil || r.Resource["project_role"] != nil ||
			r.Resource["user_id"] == nil || !strings.EqualFold(r.Resource["email"].(string), email) {
			t.Fatalf("result %d resource %v", i, r.Resource)
		}
	}

	// a limit and a consumer that stops reading stop the look-ups too
	env.Sandbox.ClearLog()
	if results, _ = srv.List(ctx, teamMemberType, map[string]any{"project_id": sandbox.AFProjectNetwork}, false, 3, nil); len(results) != 3 || results[0].Resource != nil {
		t.Fatalf("limit 3: %d results", len(results))
	}
	if results, _ = srv.List(ctx, teamMemberType, map[string]any{"project_id": sandbox.AFProjectNetwork}, false, 0, func(n int) bool { return n == 2 }); len(results) != 2 {
		t.Fatalf("stopped after 2: %d results", len(results))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if results, _ = srv.List(cctx, teamMemberType, map[string]any{"project_id": sandbox.AFProjectNetwork}, false, 0, nil); len(results) != 0 {
		t.Fatalf("cancelled: %d results", len(results))
	}
	// (the look-ups are cached for the run: a second listing costs nothing)
	if n := env.Sandbox.Count("attackforge", routeProjects); n != 0 {
		t.Fatalf("%d look-ups after the first listing; they are cached", n)
	}

	// a fresh provider: a consumer that stops after 2 members stops the look-ups
	srv2 := env.ProtocolServer(t, nil)
	env.Sandbox.ClearLog()
	if results, _ = srv2.List(ctx, teamMemberType, map[string]any{"project_id": sandbox.AFProjectNetwork}, false, 0, func(n int) bool { return n == 2 }); len(results) != 2 {
		t.Fatalf("stopped after 2: %d results", len(results))
	}
	if p := env.Sandbox.Count("attackforge", routeProjects); p >= users {
		t.Fatalf("a consumer that stopped after 2 members cost %d look-ups of %d", p, users)
	}

	// a malformed project id fails at validation, before any request
	env.Sandbox.ClearLog()
	_, diags = srv.List(ctx, teamMemberType, map[string]any{"project_id": "web-app"}, false, 0, nil)
	if !acctest.HasError(diags) {
		t.Fatal("a malformed project id was accepted")
	}
	env.CheckNoRequests(t)
	// an unknown project: the API cannot tell, so a warning says so
	results, diags = srv.List(ctx, teamMemberType, map[string]any{"project_id": "650f1707c66ef8821d35eeff"}, false, 0, nil)
	if text := acctest.DiagText(diags); len(results) != 0 || acctest.HasError(diags) || !strings.Contains(text, "No team members found") {
		t.Fatalf("unknown project: %d results, %s", len(results), text)
	}
}

// TestAccQuery runs `terraform query` on the list resource (Terraform 1.14
// and later; skipped with an older terraform on TF_ACC_TERRAFORM_PATH,
// where TestListResource covers the protocol).
func TestAccQuery(t *testing.T) {
	env := acctest.New(t)
	team := seedTeam(t, env.Sandbox.AttackForge, sandbox.AFProjectNetwork, 40)
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
				Config: fmt.Sprintf(`
list "membership_attackforge_project_team_member" "team" {
  provider = membership
  config {
    project_id = %q
  }
}
`, sandbox.AFProjectNetwork),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("membership_attackforge_project_team_member.team", len(team)),
					querycheck.ExpectIdentity("membership_attackforge_project_team_member.team", map[string]knownvalue.Check{
						"project_id": knownvalue.StringExact(sandbox.AFProjectNetwork),
						"email":      knownvalue.StringExact(team[0]),
					}),
				},
			},
		},
	})
}

// A list stopped at its limit while more members exist warns, with the
// last result Terraform reads (it reads no more than the limit): the team
// has no listing, so the provider looks for one member past the limit
// (and no further) before it can say more exist. A list that fits,
// exactly or not, does not warn; proving that the team fits exactly costs
// the look-ups of every user, as a listing without a limit does.
func TestListResourceLimitWarning(t *testing.T) {
	env := acctest.New(t)
	team := seedTeam(t, env.Sandbox.AttackForge, sandbox.AFProjectNetwork, 40)
	users := len(env.Sandbox.AttackForge.Users())
	ctx := context.Background()
	cfg := map[string]any{"project_id": sandbox.AFProjectNetwork}
	n := int64(len(team))

	const cut = int64(3)
	srv := env.ProtocolServer(t, nil)
	env.Sandbox.ClearLog()
	results, diags := srv.List(ctx, teamMemberType, cfg, false, cut, nil)
	all := acctest.ListDiagnostics(results, diags)
	text := acctest.DiagText(all)
	if int64(len(results)) != cut || len(all) != 1 || len(results[cut-1].Diagnostics) != 1 ||
		!strings.Contains(text, fmt.Sprintf("Only the first %d members of AttackForge project %s were listed: more exist", cut, sandbox.AFProjectNetwork)) ||
		!strings.Contains(text, "Set limit higher") {
		t.Fatalf("limit %d of %d: %d results, %s", cut, n, len(results), text)
	}
	// the look-ups stop at the member past the limit (users are listed
	// by id, and 8 look-ups run at once), not at the last user
	onTeam := map[string]bool{}
	for _, e := range team {
		onTeam[e] = true
	}
	pos, found := 0, int64(0)
	for i, u := range env.Sandbox.AttackForge.Users() {
		if onTeam[strings.ToLower(u.Email)] {
			if found++; found == cut+1 {
				pos = i + 1
				break
			}
		}
	}
	if p := env.Sandbox.Count("attackforge", routeProjects); p > pos+8 || (pos+8 < users && p >= users) {
		t.Fatalf("finding member %d (user %d of %d) cost %d look-ups", cut+1, pos, users, p)
	}

	for _, limit := range []int64{n, n + 1} {
		srv := env.ProtocolServer(t, nil) // a fresh provider: no cached look-ups
		env.Sandbox.ClearLog()
		results, diags = srv.List(ctx, teamMemberType, cfg, false, limit, nil)
		if all := acctest.ListDiagnostics(results, diags); int64(len(results)) != n || len(all) != 0 {
			t.Fatalf("limit %d of %d: %d results, %s", limit, n, len(results), acctest.DiagText(all))
		}
		if p := env.Sandbox.Count("attackforge", routeProjects); p != users {
			t.Fatalf("limit %d: %d look-ups, want one per user (%d)", limit, p, users)
		}
	}
}
