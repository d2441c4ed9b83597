package royalti_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// Royalti's read endpoints take no workspace parameter: the listing a
// resource reads is the token's workspace whatever its workspace_id. Two
// resources of one provider run, one with workspace_id set to the token's
// workspace and one without, read one listing: a write through one must
// outdate what the other reads. Here both name the same member; the one
// removes it, and the other's next read must see it gone (a listing cached
// under the other workspace_id would still have it).
func TestListingSharedWhateverTheWorkspaceID(t *testing.T) {
	withWorkspace := sandbox.RoyaltiWorkspaceID + "/" + sandbox.RoyaltiMemberEmail
	for name, c := range map[string]struct{ write, read string }{
		"write with workspace_id, read without": {write: withWorkspace, read: sandbox.RoyaltiMemberEmail},
		"write without workspace_id, read with": {write: sandbox.RoyaltiMemberEmail, read: withWorkspace},
	} {
		t.Run(name, func(t *testing.T) {
			env := acctest.New(t)
			srv := env.ProtocolServer(t, nil)
			ctx := context.Background()
			// both resources are imported and refreshed: each has read the listing
			writer := importAndRead(ctx, t, srv, c.write)
			reader := importAndRead(ctx, t, srv, c.read)

			destroy(ctx, t, srv, writer)
			if _, ok := env.Sandbox.Royalti.User(sandbox.RoyaltiMemberEmail); ok {
				t.Fatal("the destroy did not remove the member")
			}
			read := srv.Read(ctx, invitationType, reader, nil, nil)
			if acctest.HasError(read.Diagnostics) {
				t.Fatalf("read: %s", acctest.DiagText(read.Diagnostics))
			}
			if state := srv.Decode(invitationType, read.NewState); state != nil {
				t.Fatalf("the other resource still reads the removed member (a stale listing): %v", state)
			}
		})
	}
}

// importAndRead imports an invitation by its import ID and refreshes it,
// returning its state.
func importAndRead(ctx context.Context, t *testing.T, srv *acctest.Server, id string) *tfprotov6.DynamicValue {
	t.Helper()
	imp := srv.ImportByID(ctx, invitationType, id)
	if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		t.Fatalf("import %s: %s", id, acctest.DiagText(imp.Diagnostics))
	}
	ir := imp.ImportedResources[0]
	read := srv.Read(ctx, invitationType, ir.State, ir.Identity, ir.Private)
	if acctest.HasError(read.Diagnostics) {
		t.Fatalf("read after import %s: %s", id, acctest.DiagText(read.Diagnostics))
	}
	return read.NewState
}

// destroy applies the destruction of an invitation whose state is prior.
func destroy(ctx context.Context, t *testing.T, srv *acctest.Server, prior *tfprotov6.DynamicValue) {
	t.Helper()
	schema, err := srv.Raw().GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schema.ResourceSchemas[invitationType].ValueType()
	null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Raw().ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: invitationType, PriorState: prior, PlannedState: &null, Config: &null,
	})
	if err != nil || acctest.HasError(resp.Diagnostics) {
		t.Fatalf("destroy: %v %s", err, acctest.DiagText(resp.Diagnostics))
	}
}
