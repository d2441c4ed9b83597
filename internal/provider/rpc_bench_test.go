package provider_test

import (
	"context"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// BenchmarkPlanRPCs is the provider's CPU and allocations for one member
// in a plan of an unchanged workspace, per platform that can read its
// members (see acctest.PlanRPCs). `make bench-rpc`; for a profile:
// go test -run '^$' -bench PlanRPCs/royalti -cpuprofile cpu.out ./internal/provider
func BenchmarkPlanRPCs(b *testing.B) {
	for _, c := range []struct{ platform, typeName, importID string }{
		{"smartdocumentor", "membership_smartdocumentor_workspace_invitation", "1/martin.manager@example.com"},
		{"docspace", "membership_docspace_invitation", "Room.Admin@DocSpace.example"},
		// AttackForge's access level cannot be read: the imported member,
		// and so the configuration derived from it, has none.
		{"attackforge", "membership_attackforge_project_team_member", sandbox.AFProjectWebApp + "/frank@example.com"},
		{"royalti", "membership_royalti_workspace_invitation", "Member@Royalti.example"},
	} {
		b.Run(c.platform, func(b *testing.B) {
			env := acctest.New(b)
			srv := env.ProtocolServer(b, nil)
			imp := srv.ImportByID(context.Background(), c.typeName, c.importID)
			if acctest.HasError(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
				b.Fatalf("import: %s", acctest.DiagText(imp.Diagnostics))
			}
			srv.PlanRPCs(b, c.typeName, imp.ImportedResources[0])
		})
	}
}
