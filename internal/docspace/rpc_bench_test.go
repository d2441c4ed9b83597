package docspace_test

import (
	"context"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

// BenchmarkPlanRPCs is the provider's CPU for one member in a plan of an
// unchanged workspace (see acctest.PlanRPCs): go test -run '^$' -bench
// PlanRPCs -cpuprofile cpu.out ./internal/docspace/
func BenchmarkPlanRPCs(b *testing.B) {
	env := acctest.New(b)
	srv := env.ProtocolServer(b, nil)
	imp := srv.ImportByID(context.Background(), invitationType, "Room.Admin@DocSpace.example")
	if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		b.Fatalf("import: %s", acctest.DiagText(imp.Diagnostics))
	}
	srv.PlanRPCs(b, invitationType, imp.ImportedResources[0])
}
