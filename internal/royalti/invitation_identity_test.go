package royalti_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const invitationType = "membership_royalti_workspace_invitation"

// TestIdentity covers resource identity (Terraform 1.12 and later) at the
// protocol level: the schema, import by identity with and without the
// workspace, the read returning the identity, import by the string ids
// giving the same identity, and malformed identities.
func TestIdentity(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	is := srv.IdentitySchema(invitationType)
	got := map[string]string{}
	for _, a := range is.IdentityAttributes {
		switch {
		case a.RequiredForImport:
			got[a.Name] = "required"
		case a.OptionalForImport:
			got[a.Name] = "optional"
		}
	}
	if len(got) != 2 || got["email"] != "required" || got["workspace_id"] != "optional" {
		t.Fatalf("identity schema: %+v", got)
	}

	want := map[string]any{"workspace_id": "default", "email": sandbox.RoyaltiMemberEmail}
	for _, id := range []map[string]any{
		{"email": strings.ToUpper(sandbox.RoyaltiMemberEmail)},
		{"workspace_id": "default", "email": sandbox.RoyaltiMemberEmail},
	} {
		env.Sandbox.ClearLog()
		imp := srv.ImportByIdentity(ctx, invitationType, id)
		if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
			t.Fatalf("import by identity %v: %s", id, acctest.DiagText(imp.Diagnostics))
		}
		ir := imp.ImportedResources[0]
		if got := srv.DecodeIdentity(invitationType, ir.Identity); !maps.Equal(got, want) {
			t.Fatalf("imported identity %v, want %v", got, want)
		}
		read := srv.Read(ctx, invitationType, ir.State, ir.Identity, ir.Private)
		if acctest.HasError(read.Diagnostics) {
			t.Fatalf("read after import: %s", acctest.DiagText(read.Diagnostics))
		}
		state := srv.Decode(invitationType, read.NewState)
		if state["id"] != sandbox.RoyaltiMemberID || state["role"] != "user" || state["invite_status"] != "joined" || state["first_name"] != "Mina" {
			t.Fatalf("state after import: %v", state)
		}
		if got := srv.DecodeIdentity(invitationType, read.NewIdentity); !maps.Equal(got, want) {
			t.Fatalf("identity after read %v, want %v", got, want)
		}
		// the import and the read share one listing: no per-member look-up
		if n := env.Sandbox.Count("royalti", "GET /user/{id}"); n != 0 {
			t.Fatalf("import by identity read GET /user/{id} %d times; the listing has the member", n)
		}
	}

	// the string ids (email, uuid) give the same identity
	for _, sid := range []string{"Member@Royalti.example", sandbox.RoyaltiMemberID} {
		imp := srv.ImportByID(ctx, invitationType, sid)
		if acctest.HasError(imp.Diagnostics) {
			t.Fatalf("import by id %s: %s", sid, acctest.DiagText(imp.Diagnostics))
		}
		ir := imp.ImportedResources[0]
		read := srv.Read(ctx, invitationType, ir.State, ir.Identity, ir.Private)
		if got := srv.DecodeIdentity(invitationType, read.NewIdentity); acctest.HasError(read.Diagnostics) || !maps.Equal(got, want) {
			t.Fatalf("identity after import by id %s: %v %s", sid, got, acctest.DiagText(read.Diagnostics))
		}
	}

	for name, id := range map[string]map[string]any{
		"bad email":          {"email": "jane.example.com"},
		"no email":           {"workspace_id": "default"},
		"empty workspace":    {"workspace_id": "", "email": "jane@example.com"},
		"workspace with a /": {"workspace_id": "a/b", "email": "jane@example.com"},
	} {
		env.Sandbox.ClearLog()
		imp := srv.ImportByIdentity(ctx, invitationType, id)
		text := acctest.DiagText(imp.Diagnostics)
		if !acctest.HasError(imp.Diagnostics) || !strings.Contains(text, "Invalid identity for "+invitationType) ||
			!strings.Contains(text, `{ workspace_id = "default", email = "jane@example.com" }`) {
			t.Errorf("%s: want an error with the expected shape, got %s", name, text)
		}
		env.CheckNoRequests(t)
	}
	imp := srv.ImportByIdentity(ctx, invitationType, map[string]any{"email": "nobody@example.com"})
	if text := acctest.DiagText(imp.Diagnostics); !strings.Contains(text, "No such Royalti tenant user") {
		t.Errorf("unknown email: %s", text)
	}
	imp = srv.ImportByIdentity(ctx, invitationType, map[string]any{"email": sandbox.RoyaltiOwnerEmail})
	if acctest.HasError(imp.Diagnostics) {
		t.Errorf("the owner can be imported (it is read, never changed): %s", acctest.DiagText(imp.Diagnostics))
	}
}

// TestAccIdentityImport imports by identity with an import block
// (Terraform 1.12 and later; skipped with an older terraform on
// TF_ACC_TERRAFORM_PATH, where TestIdentity covers the protocol).
func TestAccIdentityImport(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitationHCL("Jane@Example.com", `  role = "admin"`))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{Config: cfg, ResourceName: invAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}
