package acctest

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Planning and applying at the protocol level, the way Terraform does it,
// for what a given terraform binary cannot show: a Terraform or OpenTofu
// that sends no resource identity at all (1.11 and older) against state
// that holds none.

// NullState is the null value of a resource type: the prior state of a
// create, the planned state of a destroy.
func (s *Server) NullState(typeName string) *tfprotov6.DynamicValue {
	s.t.Helper()
	typ := s.resourceType(typeName)
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		s.t.Fatal(err)
	}
	return &dv
}

// Proposed is the proposed new state Terraform sends with a plan: the
// configuration's values, and for a computed attribute the configuration
// leaves null, the prior state's (null on a create). prior nil means a
// create. It follows Terraform's objchange.ProposedNew at the top level;
// nested values come from the configuration as they are.
func (s *Server) Proposed(typeName string, prior *tfprotov6.DynamicValue, config map[string]any) map[string]any {
	s.t.Helper()
	var priorVals map[string]any // nil: a create
	if prior != nil {
		priorVals = s.Decode(typeName, prior)
	}
	out := map[string]any{}
	for _, a := range s.resourceSchema(typeName).Block.Attributes {
		if v, ok := config[a.Name]; ok && v != nil {
			out[a.Name] = v
			continue
		}
		if a.Computed && priorVals != nil {
			out[a.Name] = priorVals[a.Name]
		}
	}
	return out
}

// Plan runs PlanResourceChange for config against prior (nil: a create),
// with prior's private data and identity (nil: none, as Terraform 1.11
// sends).
func (s *Server) Plan(ctx context.Context, typeName string, prior *tfprotov6.DynamicValue, config map[string]any, priorPrivate []byte, priorIdentity *tfprotov6.ResourceIdentityData) *tfprotov6.PlanResourceChangeResponse {
	s.t.Helper()
	if prior == nil {
		prior = s.NullState(typeName)
	}
	typ := s.resourceType(typeName)
	proposed := s.Proposed(typeName, prior, config)
	resp, err := s.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName:         typeName,
		PriorState:       prior,
		ProposedNewState: s.dynamic(typ, proposed),
		Config:           s.dynamic(typ, config),
		PriorPrivate:     priorPrivate,
		PriorIdentity:    priorIdentity,
	})
	if err != nil {
		s.t.Fatalf("PlanResourceChange: %v", err)
	}
	return resp
}

// Apply runs ApplyResourceChange for a plan made by Plan, with the planned
// identity given (nil: none, as Terraform 1.11 sends).
func (s *Server) Apply(ctx context.Context, typeName string, prior *tfprotov6.DynamicValue, plan *tfprotov6.PlanResourceChangeResponse, config map[string]any, plannedIdentity *tfprotov6.ResourceIdentityData) *tfprotov6.ApplyResourceChangeResponse {
	s.t.Helper()
	if prior == nil {
		prior = s.NullState(typeName)
	}
	resp, err := s.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName:        typeName,
		PriorState:      prior,
		PlannedState:    plan.PlannedState,
		Config:          s.dynamic(s.resourceType(typeName), config),
		PlannedPrivate:  plan.PlannedPrivate,
		PlannedIdentity: plannedIdentity,
	})
	if err != nil {
		s.t.Fatalf("ApplyResourceChange: %v", err)
	}
	return resp
}
