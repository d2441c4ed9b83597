package docspace_test

import (
	"context"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const invitationType = "membership_docspace_invitation"

// TestIdentity covers resource identity (Terraform 1.12 and later) at the
// protocol level: the schema, import by identity with and without the
// portal, the read returning the identity, import by the string id
// giving the same identity, and malformed identities.
func TestIdentity(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	u, _ := url.Parse(env.URL)
	portal := strings.ToLower(u.Host)

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
	if len(got) != 2 || got["email"] != "required" || got["portal"] != "optional" {
		t.Fatalf("identity schema: %+v", got)
	}

	want := map[string]any{"portal": portal, "email": sandbox.DocSpaceRoomAdminEmail}
	for _, id := range []map[string]any{
		{"email": strings.ToUpper(sandbox.DocSpaceRoomAdminEmail)},
		{"portal": strings.ToUpper(portal), "email": sandbox.DocSpaceRoomAdminEmail},
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
		if state["type"] != "RoomAdmin" || state["email"] != sandbox.DocSpaceRoomAdminEmail || state["status"] != "active" {
			t.Fatalf("state after import: %v", state)
		}
		if got := srv.DecodeIdentity(invitationType, read.NewIdentity); !maps.Equal(got, want) {
			t.Fatalf("identity after read %v, want %v", got, want)
		}
		// state without an identity (an older provider) gets it at its
		// next refresh
		upgraded := srv.Read(ctx, invitationType, read.NewState, nil, read.Private)
		if got := srv.DecodeIdentity(invitationType, upgraded.NewIdentity); acctest.HasError(upgraded.Diagnostics) || !maps.Equal(got, want) {
			t.Fatalf("identity after a refresh of state without one: %v %s", got, acctest.DiagText(upgraded.Diagnostics))
		}
		// the import and the read share one listing of the portal: no
		// per-person look-up
		if n := env.Sandbox.Count("docspace", "GET /api/2.0/people/email"); n != 0 {
			t.Fatalf("import by identity asked GET people/email %d times; the listing has the person", n)
		}
	}

	imp := srv.ImportByID(ctx, invitationType, "Room.Admin@DocSpace.example")
	if acctest.HasError(imp.Diagnostics) {
		t.Fatalf("import by id: %s", acctest.DiagText(imp.Diagnostics))
	}
	ir := imp.ImportedResources[0]
	read := srv.Read(ctx, invitationType, ir.State, ir.Identity, ir.Private)
	if got := srv.DecodeIdentity(invitationType, read.NewIdentity); acctest.HasError(read.Diagnostics) || !maps.Equal(got, want) {
		t.Fatalf("identity after import by id: %v %s", got, acctest.DiagText(read.Diagnostics))
	}

	for name, id := range map[string]map[string]any{
		"bad email":    {"email": "jane.example.com"},
		"no email":     {"portal": portal},
		"empty portal": {"portal": "", "email": "jane@example.com"},
		"other portal": {"portal": "other.onlyoffice.com", "email": "jane@example.com"},
	} {
		env.Sandbox.ClearLog()
		imp := srv.ImportByIdentity(ctx, invitationType, id)
		text := acctest.DiagText(imp.Diagnostics)
		if !acctest.HasError(imp.Diagnostics) || !strings.Contains(text, "Invalid identity for "+invitationType) ||
			!strings.Contains(text, `{ email = "jane@example.com" }`) {
			t.Errorf("%s: want an error with the expected shape, got %s", name, text)
		}
		env.CheckNoRequests(t)
	}
	imp = srv.ImportByIdentity(ctx, invitationType, map[string]any{"email": "nobody@example.com"})
	if text := acctest.DiagText(imp.Diagnostics); !strings.Contains(text, "No such ONLYOFFICE DocSpace user") {
		t.Errorf("unknown email: %s", text)
	}
}

// TestAccIdentityImport imports by identity with an import block
// (Terraform 1.12 and later; skipped with an older terraform on
// TF_ACC_TERRAFORM_PATH, where TestIdentity covers the protocol).
func TestAccIdentityImport(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitationHCL("Jane@Example.com", "User", ""))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{Config: cfg, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

// TestInvitationsIdentity: the authoritative resource is the whole portal,
// identified by the portal alone.
func TestInvitationsIdentity(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	const typ = "membership_docspace_invitations"
	u, _ := url.Parse(env.URL)
	want := map[string]any{"portal": strings.ToLower(u.Host)}
	imp := srv.ImportByIdentity(ctx, typ, map[string]any{"portal": u.Host})
	if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		t.Fatalf("import by identity: %s", acctest.DiagText(imp.Diagnostics))
	}
	ir := imp.ImportedResources[0]
	read := srv.Read(ctx, typ, ir.State, ir.Identity, ir.Private)
	if id := srv.DecodeIdentity(typ, read.NewIdentity); acctest.HasError(read.Diagnostics) || !maps.Equal(id, want) {
		t.Fatalf("identity after read %v, want %v: %s", id, want, acctest.DiagText(read.Diagnostics))
	}
	if members, _ := srv.Decode(typ, read.NewState)["members"].(map[string]any); len(members) == 0 {
		t.Fatalf("imported portal: %v", srv.Decode(typ, read.NewState))
	}
	env.Sandbox.ClearLog()
	imp = srv.ImportByIdentity(ctx, typ, map[string]any{"portal": "other.onlyoffice.com"})
	if text := acctest.DiagText(imp.Diagnostics); !strings.Contains(text, "Invalid identity for "+typ) || !strings.Contains(text, `{ portal = "`+want["portal"].(string)+`" }`) {
		t.Fatalf("other portal: %s", text)
	}
	env.CheckNoRequests(t)
}
