package provider_test

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// State written by Terraform 1.11 or OpenTofu 1.11 holds no resource
// identity, and those send none: every RPC's identity is nil. Providers
// with identity have failed there on an update planned with
// -refresh=false ("Missing Resource Identity After Update": no refresh
// set the identity first). legacyCase is one resource type with identity:
// how to create it, an in-place update, and an out-of-band removal.
type legacyCase struct {
	// create and update are the resource's configuration before and after
	// an in-place update.
	create, update map[string]any
	// identity is the identity every response must carry.
	identity func(env *acctest.Env) map[string]any
	// gone removes the member out of band; nil for a resource that is a
	// whole team or portal (a refresh then changes its members, tested by
	// drift instead).
	gone func(env *acctest.Env)
	// drift changes the resource out of band so that a refresh changes its
	// state (aggregate resources); nil when gone is set.
	drift func(env *acctest.Env)
}

func docspacePortal(env *acctest.Env) string {
	u, _ := url.Parse(env.URL)
	return strings.ToLower(u.Host)
}

var legacyCases = map[string]legacyCase{
	"membership_docspace_invitation": {
		create: map[string]any{"email": "Legacy@Example.com", "type": "User"},
		update: map[string]any{"email": "Legacy@Example.com", "type": "RoomAdmin"},
		identity: func(env *acctest.Env) map[string]any {
			return map[string]any{"portal": docspacePortal(env), "email": "legacy@example.com"}
		},
		gone: func(env *acctest.Env) { env.Sandbox.DocSpace.DeleteUser("legacy@example.com") },
	},
	"membership_docspace_invitations": {
		create:   map[string]any{"members": map[string]any{"legacy1@example.com": "User"}},
		update:   map[string]any{"members": map[string]any{"legacy1@example.com": "RoomAdmin", "legacy2@example.com": "User"}},
		identity: func(env *acctest.Env) map[string]any { return map[string]any{"portal": docspacePortal(env)} },
		drift:    func(env *acctest.Env) { env.Sandbox.DocSpace.DeleteUser("legacy2@example.com") },
	},
	"membership_smartdocumentor_workspace_invitation": {
		// The role cannot change (refused at plan): the update is the one
		// Terraform sends when a value known only at apply turns out the
		// same, which reaches Update with nothing to send.
		create: map[string]any{"workspace_id": 1, "email": "Legacy@Example.com", "role": "Viewer"},
		update: map[string]any{"workspace_id": 1, "email": "Legacy@Example.com", "role": "Viewer"},
		identity: func(*acctest.Env) map[string]any {
			return map[string]any{"workspace_id": int64(1), "email": "legacy@example.com"}
		},
		gone: func(env *acctest.Env) { env.Sandbox.SmartDocumentor.RemoveUser(1, "legacy@example.com") },
	},
	"membership_attackforge_project_team_member": {
		create: map[string]any{"project_id": sandbox.AFProjectNetwork, "user": "alice@example.com", "access_level": "View"},
		update: map[string]any{"project_id": sandbox.AFProjectNetwork, "user": "alice@example.com", "access_level": "Edit"},
		identity: func(*acctest.Env) map[string]any {
			return map[string]any{"project_id": sandbox.AFProjectNetwork, "email": "alice@example.com"}
		},
		gone: func(env *acctest.Env) {
			env.Sandbox.AttackForge.RemoveFromProject(sandbox.AFProjectNetwork, sandbox.AFUserAlice)
		},
	},
	"membership_attackforge_project_team": {
		create: map[string]any{"project_id": sandbox.AFProjectRedTeam, "members": map[string]any{
			"bob@example.com": map[string]any{"access_level": "View"},
		}},
		update: map[string]any{"project_id": sandbox.AFProjectRedTeam, "members": map[string]any{
			"bob@example.com":  map[string]any{"access_level": "Upload"},
			"dave@example.com": map[string]any{"access_level": "View", "project_role": "Pentester"},
		}},
		identity: func(*acctest.Env) map[string]any { return map[string]any{"project_id": sandbox.AFProjectRedTeam} },
		drift: func(env *acctest.Env) {
			env.Sandbox.AttackForge.RemoveFromProject(sandbox.AFProjectRedTeam, sandbox.AFUserDave)
		},
	},
	"membership_royalti_workspace_invitation": {
		create: map[string]any{"email": "Legacy@Example.com", "role": "user"},
		update: map[string]any{"email": "Legacy@Example.com", "role": "admin", "first_name": "Lea"},
		identity: func(*acctest.Env) map[string]any {
			return map[string]any{"workspace_id": "default", "email": "legacy@example.com"}
		},
		gone: func(env *acctest.Env) { env.Sandbox.Royalti.DeleteUser("legacy@example.com") },
	},
}

// Every resource type with an identity is covered: a resource that gains
// one must be added to legacyCases.
func TestLegacyStateCoversEveryResourceWithIdentity(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	resp, err := srv.Raw().GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	have := slices.Sorted(maps.Keys(resp.IdentitySchemas))
	want := slices.Sorted(maps.Keys(legacyCases))
	if !slices.Equal(have, want) {
		t.Fatalf("resources with identity %v, covered by legacyCases %v", have, want)
	}
}

// TestLegacyStateWithoutIdentity drives each resource type with identity
// as Terraform 1.11 or OpenTofu 1.11 does (no identity in any request, none
// kept from any response): a create, an in-place update planned without a
// refresh (-refresh=false), a refresh, and a refresh of a member removed
// out of band. Each succeeds, and each response carries the identity, so
// that state taken over by Terraform 1.12 or later has it.
func TestLegacyStateWithoutIdentity(t *testing.T) {
	for typ, c := range legacyCases {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t)
			srv := env.ProtocolServer(t, nil)
			ctx := context.Background()
			want := c.identity(env)
			check := func(step string, diags []*tfprotov6.Diagnostic, id *tfprotov6.ResourceIdentityData) {
				t.Helper()
				if acctest.HasError(diags) {
					t.Fatalf("%s: %s", step, acctest.DiagText(diags))
				}
				if got := srv.DecodeIdentity(typ, id); !maps.Equal(got, want) {
					t.Fatalf("%s: identity %v, want %v", step, got, want)
				}
			}

			// Create, keeping no identity.
			plan := srv.Plan(ctx, typ, nil, c.create, nil, nil)
			if acctest.HasError(plan.Diagnostics) {
				t.Fatalf("plan create: %s", acctest.DiagText(plan.Diagnostics))
			}
			created := srv.Apply(ctx, typ, nil, plan, c.create, nil)
			check("create", created.Diagnostics, created.NewIdentity)

			// An in-place update planned without a refresh: no ReadResource
			// has set the identity, and the prior state has none.
			plan = srv.Plan(ctx, typ, created.NewState, c.update, created.Private, nil)
			if acctest.HasError(plan.Diagnostics) {
				t.Fatalf("plan update: %s", acctest.DiagText(plan.Diagnostics))
			}
			if len(plan.RequiresReplace) != 0 {
				t.Fatalf("the update replaces the resource (%v): the case does not test an update", plan.RequiresReplace)
			}
			updated := srv.Apply(ctx, typ, created.NewState, plan, c.update, nil)
			check("update", updated.Diagnostics, updated.NewIdentity)
			state := srv.Decode(typ, updated.NewState)
			for k, v := range c.update {
				if k == "email" || k == "members" {
					continue // normalised or reshaped; the refresh below compares
				}
				if got := state[k]; got != v && (!isNumber(got) || !isNumber(v)) {
					t.Fatalf("after the update %s = %v, want %v", k, got, v)
				}
			}

			// A refresh of state without identity.
			read := srv.Read(ctx, typ, updated.NewState, nil, updated.Private)
			check("refresh", read.Diagnostics, read.NewIdentity)
			if srv.Decode(typ, read.NewState) == nil {
				t.Fatal("refresh removed the resource")
			}

			// And once the member has gone (or the team changed) out of band,
			// in a later run (a new provider: listings are cached per run).
			srv = env.ProtocolServer(t, nil)
			switch {
			case c.gone != nil:
				c.gone(env)
				read = srv.Read(ctx, typ, updated.NewState, nil, updated.Private)
				if acctest.HasError(read.Diagnostics) {
					t.Fatalf("refresh after removal: %s", acctest.DiagText(read.Diagnostics))
				}
				if s := srv.Decode(typ, read.NewState); s != nil {
					t.Fatalf("refresh after removal kept %v", s)
				}
			case c.drift != nil:
				c.drift(env)
				drifted := srv.Read(ctx, typ, updated.NewState, nil, updated.Private)
				check("refresh after drift", drifted.Diagnostics, drifted.NewIdentity)
				if maps.EqualFunc(srv.Decode(typ, drifted.NewState), srv.Decode(typ, read.NewState), equalValues) {
					t.Fatal("the out-of-band change did not show in the refresh: the step proves nothing")
				}
			default:
				t.Fatal("a case needs gone or drift")
			}
		})
	}
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, int64, float64:
		return true
	}
	return false
}

func equalValues(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		return maps.EqualFunc(am, bm, equalValues)
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok {
		return slices.EqualFunc(al, bl, equalValues)
	}
	return a == b
}

// legacyHCL is each resource type with identity before and after an
// in-place update, for TestAccLegacyState_updateWithoutRefresh.
var legacyHCL = map[string][2]string{
	"membership_docspace_invitation": {
		`resource "membership_docspace_invitation" "m" {
  email = "Legacy@Example.com"
  type  = "User"
}`, `resource "membership_docspace_invitation" "m" {
  email = "Legacy@Example.com"
  type  = "RoomAdmin"
}`},
	// Not exclusive: the portal's owner and admin are not listed, and an
	// exclusive resource plans their removal after the create (the plan
	// names them), which is not what this test is about.
	"membership_docspace_invitations": {
		`resource "membership_docspace_invitations" "m" {
  members   = { "legacy1@example.com" = "User" }
  exclusive = false
}`, `resource "membership_docspace_invitations" "m" {
  members   = { "legacy1@example.com" = "RoomAdmin", "legacy2@example.com" = "User" }
  exclusive = false
}`},
	// The role cannot change: the update Terraform makes is the one where
	// a role unknown at plan (terraform_data's output, replaced) turns out
	// the same at apply.
	"membership_smartdocumentor_workspace_invitation": {
		`resource "terraform_data" "role" {
  input            = "Viewer"
  triggers_replace = ["1"]
}
resource "membership_smartdocumentor_workspace_invitation" "m" {
  workspace_id = 1
  email        = "Legacy@Example.com"
  role         = terraform_data.role.output
}`, `resource "terraform_data" "role" {
  input            = "Viewer"
  triggers_replace = ["2"]
}
resource "membership_smartdocumentor_workspace_invitation" "m" {
  workspace_id = 1
  email        = "Legacy@Example.com"
  role         = terraform_data.role.output
}`},
	"membership_attackforge_project_team_member": {
		`resource "membership_attackforge_project_team_member" "m" {
  project_id   = "` + sandbox.AFProjectNetwork + `"
  user         = "alice@example.com"
  access_level = "View"
}`, `resource "membership_attackforge_project_team_member" "m" {
  project_id   = "` + sandbox.AFProjectNetwork + `"
  user         = "alice@example.com"
  access_level = "Edit"
}`},
	"membership_attackforge_project_team": {
		`resource "membership_attackforge_project_team" "m" {
  project_id = "` + sandbox.AFProjectRedTeam + `"
  members = {
    "bob@example.com" = { access_level = "View" }
  }
}`, `resource "membership_attackforge_project_team" "m" {
  project_id = "` + sandbox.AFProjectRedTeam + `"
  members = {
    "bob@example.com"  = { access_level = "Upload" }
    "dave@example.com" = { access_level = "View", project_role = "Pentester" }
  }
}`},
	"membership_royalti_workspace_invitation": {
		`resource "membership_royalti_workspace_invitation" "m" {
  email = "Legacy@Example.com"
  role  = "user"
}`, `resource "membership_royalti_workspace_invitation" "m" {
  email      = "Legacy@Example.com"
  role       = "admin"
  first_name = "Lea"
}`},
}

// TestAccLegacyState_updateWithoutRefresh applies each resource type with
// identity, then updates it in place with every plan made with
// -refresh=false, with the terraform under test: on Terraform 1.11 (what
// `make test` uses) the state holds no identity and no request carries
// one, which is where providers with identity have failed with "Missing
// Resource Identity After Update". On Terraform 1.12 and later it checks
// the same update with the identity in state.
func TestAccLegacyState_updateWithoutRefresh(t *testing.T) {
	if !slices.Equal(slices.Sorted(maps.Keys(legacyHCL)), slices.Sorted(maps.Keys(legacyCases))) {
		t.Fatal("legacyHCL and legacyCases cover different resource types")
	}
	for typ, hcl := range legacyHCL {
		t.Run(typ, func(t *testing.T) {
			env := acctest.New(t)
			addr := typ + ".m"
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				AdditionalCLIOptions:     &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
				Steps: []resource.TestStep{
					{Config: env.Config(hcl[0])},
					{
						Config: env.Config(hcl[1]),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
						},
					},
				},
			})
		})
	}
}
