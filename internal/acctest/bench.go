package acctest

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// PlanRPCs benchmarks the provider's own work for one member in a plan:
// the three RPCs Terraform sends for each resource instance in state
// (UpgradeResourceState of its stored JSON, ReadResource,
// PlanResourceChange with a configuration that matches), through the
// provider server, after the member's scope has been listed once (as for
// every member of a plan but the first). imported is the member as
// ImportByID or ImportByIdentity returned it. Terraform's own cost and the
// gRPC transport are not in it: this is the part the provider can change.
func (s *Server) PlanRPCs(b *testing.B, typeName string, imported *tfprotov6.ImportedResource) {
	b.Helper()
	ctx := context.Background()
	rs := s.resourceSchema(typeName)
	read := s.Read(ctx, typeName, imported.State, imported.Identity, imported.Private)
	if hasError(read.Diagnostics) || read.NewState == nil {
		b.Fatalf("read: %s", diagText(read.Diagnostics))
	}
	state := s.Decode(typeName, read.NewState)
	if state == nil {
		b.Fatalf("%s: the member was not found", typeName)
	}
	raw, err := json.Marshal(state)
	if err != nil {
		b.Fatal(err)
	}
	// The configuration: what the state holds of the settable attributes.
	cfg := map[string]any{}
	for _, a := range rs.Block.Attributes {
		if (a.Required || a.Optional) && !a.WriteOnly {
			cfg[a.Name] = state[a.Name]
		}
	}
	config := s.dynamic(rs.ValueType(), cfg)

	plan := func() *tfprotov6.PlanResourceChangeResponse {
		up, err := s.srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
			TypeName: typeName, Version: rs.Version, RawState: &tfprotov6.RawState{JSON: raw},
		})
		if err != nil || hasError(up.Diagnostics) {
			b.Fatalf("UpgradeResourceState: %v %s", err, diagText(up.Diagnostics))
		}
		rd, err := s.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: typeName, CurrentState: up.UpgradedState, CurrentIdentity: read.NewIdentity, Private: read.Private,
		})
		if err != nil || hasError(rd.Diagnostics) {
			b.Fatalf("ReadResource: %v %s", err, diagText(rd.Diagnostics))
		}
		pl, err := s.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: rd.NewState, ProposedNewState: rd.NewState, Config: config,
			PriorPrivate: rd.Private, PriorIdentity: rd.NewIdentity,
		})
		if err != nil || hasError(pl.Diagnostics) {
			b.Fatalf("PlanResourceChange: %v %s", err, diagText(pl.Diagnostics))
		}
		return pl
	}
	// The member is unchanged: the plan must say so (else this measures
	// something else than a refresh of an unchanged workspace).
	if pl := plan(); len(pl.RequiresReplace) > 0 || !reflect.DeepEqual(s.Decode(typeName, pl.PlannedState), state) {
		b.Fatalf("the plan of an unchanged member has changes: %v, replace %v", s.Decode(typeName, pl.PlannedState), pl.RequiresReplace)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		plan()
	}
}
