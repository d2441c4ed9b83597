package attackforge_test

import (
	"context"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"maps"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const teamMemberType = "membership_attackforge_project_team_member"

// TestIdentity covers resource identity (Terraform 1.12 and later) at the
// protocol level: the schema, import by identity, the read returning the
// identity, import by the string id (by username too) giving the email
// identity, and malformed identities.
func TestIdentity(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	is := srv.IdentitySchema(teamMemberType)
	got := map[string]bool{}
	for _, a := range is.IdentityAttributes {
		got[a.Name] = a.RequiredForImport
	}
	if len(got) != 2 || !got["project_id"] || !got["email"] {
		t.Fatalf("identity schema: %+v", got)
	}

	want := map[string]any{"project_id": sandbox.AFProjectWebApp, "email": "frank@example.com"}
	imp := srv.ImportByIdentity(ctx, teamMemberType, map[string]any{"project_id": strings.ToUpper(sandbox.AFProjectWebApp), "email": "Frank@Example.com"})
	if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		t.Fatalf("import by identity: %s", acctest.DiagText(imp.Diagnostics))
	}
	ir := imp.ImportedResources[0]
	if id := srv.DecodeIdentity(teamMemberType, ir.Identity); !maps.Equal(id, want) {
		t.Fatalf("imported identity %v, want %v", id, want)
	}
	read := srv.Read(ctx, teamMemberType, ir.State, ir.Identity, ir.Private)
	if acctest.HasError(read.Diagnostics) {
		t.Fatalf("read after import: %s", acctest.DiagText(read.Diagnostics))
	}
	state := srv.Decode(teamMemberType, read.NewState)
	if state["user_id"] != sandbox.AFUserFrank || state["project_id"] != sandbox.AFProjectWebApp {
		t.Fatalf("state after import: %v", state)
	}
	if id := srv.DecodeIdentity(teamMemberType, read.NewIdentity); !maps.Equal(id, want) {
		t.Fatalf("identity after read %v, want %v", id, want)
	}

	// state without an identity (an older provider) gets it at its next
	// refresh
	upgraded := srv.Read(ctx, teamMemberType, read.NewState, nil, read.Private)
	if id := srv.DecodeIdentity(teamMemberType, upgraded.NewIdentity); acctest.HasError(upgraded.Diagnostics) || !maps.Equal(id, want) {
		t.Fatalf("identity after a refresh of state without one: %v %s", id, acctest.DiagText(upgraded.Diagnostics))
	}

	// by the string id with a username: the identity carries the email
	imp = srv.ImportByID(ctx, teamMemberType, sandbox.AFProjectWebApp+"/frank")
	ir = imp.ImportedResources[0]
	read = srv.Read(ctx, teamMemberType, ir.State, ir.Identity, ir.Private)
	if id := srv.DecodeIdentity(teamMemberType, read.NewIdentity); acctest.HasError(read.Diagnostics) || !maps.Equal(id, want) {
		t.Fatalf("identity after import by username: %v %s", id, acctest.DiagText(read.Diagnostics))
	}

	// not on the team: the import says who and where (Terraform's own
	// error names neither), and imports nothing
	imp = srv.ImportByIdentity(ctx, teamMemberType, map[string]any{"project_id": sandbox.AFProjectNetwork, "email": "alice@example.com"})
	if text := acctest.DiagText(imp.Diagnostics); !acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 0 ||
		!strings.Contains(text, "Cannot import alice@example.com: not a member of AttackForge project "+sandbox.AFProjectNetwork) ||
		!strings.Contains(text, "Check the project id") {
		t.Fatalf("import of a non-member: %d resources, %s", len(imp.ImportedResources), text)
	}

	for name, id := range map[string]map[string]any{
		"bad email":   {"project_id": sandbox.AFProjectWebApp, "email": "frank"},
		"no email":    {"project_id": sandbox.AFProjectWebApp},
		"no project":  {"email": "frank@example.com"},
		"bad project": {"project_id": "web-app", "email": "frank@example.com"},
	} {
		env.Sandbox.ClearLog()
		imp := srv.ImportByIdentity(ctx, teamMemberType, id)
		text := acctest.DiagText(imp.Diagnostics)
		if !acctest.HasError(imp.Diagnostics) || !strings.Contains(text, "Invalid identity for "+teamMemberType) ||
			!strings.Contains(text, `{ project_id = "620f1707c66ef8821d35ee17", email = "jane@example.com" }`) {
			t.Errorf("%s: want an error with the expected shape, got %s", name, text)
		}
		env.CheckNoRequests(t)
	}
}

// TestAccIdentityImport imports by identity with an import block
// (Terraform 1.12 and later; skipped with an older terraform on
// TF_ACC_TERRAFORM_PATH, where TestIdentity covers the protocol).
func TestAccIdentityImport(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(memberConfig(sandbox.AFProjectNetwork, "alice@example.com", "Upload", "Pentester"))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				Config: cfg, ResourceName: "membership_attackforge_project_team_member.test", ImportState: true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				// the access level can't be read: the import plans setting it
				// once, in place
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("membership_attackforge_project_team_member.test", plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// TestTeamIdentity: the authoritative team is one resource per project,
// identified by the project alone.
func TestTeamIdentity(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	const teamType = "membership_attackforge_project_team"
	want := map[string]any{"project_id": sandbox.AFProjectWebApp}
	imp := srv.ImportByIdentity(ctx, teamType, map[string]any{"project_id": strings.ToUpper(sandbox.AFProjectWebApp)})
	if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		t.Fatalf("import by identity: %s", acctest.DiagText(imp.Diagnostics))
	}
	ir := imp.ImportedResources[0]
	read := srv.Read(ctx, teamType, ir.State, ir.Identity, ir.Private)
	if id := srv.DecodeIdentity(teamType, read.NewIdentity); acctest.HasError(read.Diagnostics) || !maps.Equal(id, want) {
		t.Fatalf("identity after read %v, want %v: %s", id, want, acctest.DiagText(read.Diagnostics))
	}
	if members, _ := srv.Decode(teamType, read.NewState)["members"].(map[string]any); len(members) != 1 {
		t.Fatalf("imported team: %v", srv.Decode(teamType, read.NewState))
	}
	imp = srv.ImportByIdentity(ctx, teamType, map[string]any{"project_id": "web-app"})
	if text := acctest.DiagText(imp.Diagnostics); !strings.Contains(text, "Invalid identity for "+teamType) || !strings.Contains(text, `{ project_id = "620f1707c66ef8821d35ee17" }`) {
		t.Fatalf("malformed identity: %s", text)
	}
}
