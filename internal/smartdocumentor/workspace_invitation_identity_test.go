package smartdocumentor_test

import (
	"context"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"maps"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

const invitationType = "membership_smartdocumentor_workspace_invitation"

// TestIdentity covers resource identity (Terraform 1.12 and later) at the
// protocol level: the identity schema, import by identity (any letter
// case), the read after it returning the identity, import by the string id
// returning the same identity, and malformed identities.
func TestIdentity(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()

	is := srv.IdentitySchema(invitationType)
	got := map[string]bool{}
	for _, a := range is.IdentityAttributes {
		got[a.Name] = a.RequiredForImport
	}
	if len(got) != 2 || !got["workspace_id"] || !got["email"] {
		t.Fatalf("identity schema: %+v", got)
	}

	imp := srv.ImportByIdentity(ctx, invitationType, map[string]any{"workspace_id": 1, "email": "Martin.Manager@EXAMPLE.com"})
	if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		t.Fatalf("import by identity: %s", acctest.DiagText(imp.Diagnostics))
	}
	ir := imp.ImportedResources[0]
	want := map[string]any{"workspace_id": int64(1), "email": "martin.manager@example.com"}
	if id := srv.DecodeIdentity(invitationType, ir.Identity); !maps.Equal(id, want) {
		t.Fatalf("imported identity %v, want %v", id, want)
	}
	read := srv.Read(ctx, invitationType, ir.State, ir.Identity, ir.Private)
	if acctest.HasError(read.Diagnostics) {
		t.Fatalf("read after import: %s", acctest.DiagText(read.Diagnostics))
	}
	state := srv.Decode(invitationType, read.NewState)
	if state["role"] != "Manager" || state["id"] != "1/martin.manager@example.com" || state["status"] != "Active" {
		t.Fatalf("state after import: %v", state)
	}
	if id := srv.DecodeIdentity(invitationType, read.NewIdentity); !maps.Equal(id, want) {
		t.Fatalf("identity after read %v, want %v", id, want)
	}

	// state written before the resource had an identity (an older provider,
	// or Terraform before 1.12) gets it at its next refresh
	upgraded := srv.Read(ctx, invitationType, read.NewState, nil, read.Private)
	if id := srv.DecodeIdentity(invitationType, upgraded.NewIdentity); acctest.HasError(upgraded.Diagnostics) || !maps.Equal(id, want) {
		t.Fatalf("identity after a refresh of state without one: %v %s", id, acctest.DiagText(upgraded.Diagnostics))
	}

	// the string import id gives the same identity, lower-cased
	imp = srv.ImportByID(ctx, invitationType, "1/Martin.Manager@example.com")
	if acctest.HasError(imp.Diagnostics) {
		t.Fatalf("import by id: %s", acctest.DiagText(imp.Diagnostics))
	}
	ir = imp.ImportedResources[0]
	read = srv.Read(ctx, invitationType, ir.State, ir.Identity, ir.Private)
	if id := srv.DecodeIdentity(invitationType, read.NewIdentity); acctest.HasError(read.Diagnostics) || !maps.Equal(id, want) {
		t.Fatalf("identity after import by id: %v %s", id, acctest.DiagText(read.Diagnostics))
	}

	// a member who is not in the workspace: the import says who and where
	// (Terraform's own error names neither), and imports nothing
	imp = srv.ImportByIdentity(ctx, invitationType, map[string]any{"workspace_id": 2, "email": "nobody@example.com"})
	if text := acctest.DiagText(imp.Diagnostics); !acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 0 ||
		!strings.Contains(text, "Cannot import nobody@example.com: not a member of SmartDocumentor workspace 2") ||
		!strings.Contains(text, "membership_smartdocumentor_workspace_users") {
		t.Fatalf("import of a non-member: %d resources, %s", len(imp.ImportedResources), text)
	}

	for name, id := range map[string]map[string]any{
		"bad email":       {"workspace_id": 1, "email": "jane.example.com"},
		"no email":        {"workspace_id": 1},
		"no workspace":    {"email": "jane@example.com"},
		"workspace 0":     {"workspace_id": 0, "email": "jane@example.com"},
		"negative":        {"workspace_id": -3, "email": "jane@example.com"},
		"email with name": {"workspace_id": 1, "email": "Jane <jane@example.com>"},
	} {
		env.Sandbox.ClearLog()
		imp := srv.ImportByIdentity(ctx, invitationType, id)
		text := acctest.DiagText(imp.Diagnostics)
		if !acctest.HasError(imp.Diagnostics) || !strings.Contains(text, "Invalid identity for "+invitationType) ||
			!strings.Contains(text, `{ workspace_id = 12, email = "jane@example.com" }`) {
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
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.Config(invitation(1, "Jane@Example.com", "Reviewer"))},
			{
				Config:          env.Config(invitation(1, "Jane@Example.com", "Reviewer")),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
