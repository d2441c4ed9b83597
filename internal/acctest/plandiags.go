package acctest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/provider"
)

// terraform-plugin-testing gives plan checks the plan, never its warnings.
// PlanDiagnostics closes that gap: it serves the provider to terraform as
// ProviderFactories does, and keeps every diagnostic the provider returns
// from PlanResourceChange, which terraform shows with the plan. A plan
// check (CheckWarnings) then reads the diagnostics of the step's plan.

// PlanDiagnostic is one diagnostic of a PlanResourceChange.
type PlanDiagnostic struct {
	TypeName string
	// Destroy is true for the plan of a destroy (a null proposed state).
	Destroy  bool
	Severity tfprotov6.DiagnosticSeverity
	Summary  string
	Detail   string
}

// PlanDiagnostics records the diagnostics of PlanResourceChange.
type PlanDiagnostics struct {
	mu    sync.Mutex
	diags []PlanDiagnostic
}

// Reset forgets what was recorded: call it from a step's PreConfig so that
// the step's checks see only its own plan.
func (p *PlanDiagnostics) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.diags = nil
}

// Warnings returns the warnings recorded since the last Reset.
func (p *PlanDiagnostics) Warnings() []PlanDiagnostic {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []PlanDiagnostic
	for _, d := range p.diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			out = append(out, d)
		}
	}
	return out
}

func (p *PlanDiagnostics) record(typeName string, destroy bool, diags []*tfprotov6.Diagnostic) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range diags {
		if d != nil {
			p.diags = append(p.diags, PlanDiagnostic{TypeName: typeName, Destroy: destroy, Severity: d.Severity, Summary: d.Summary, Detail: d.Detail})
		}
	}
}

// Factories are ProviderFactories whose servers record into p.
func (p *PlanDiagnostics) Factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"membership": func() (tfprotov6.ProviderServer, error) {
			return &recordingServer{Server: provider.ProtocolServer("test")().(provider.Server), rec: p}, nil //nolint:forcetypeassert // ProtocolServer returns a provider.Server
		},
	}
}

// Test runs an acceptance test case as the package's Test does, with the
// provider recording into p.
func (p *PlanDiagnostics) Test(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: p.Factories(),
		Steps:                    steps,
	})
}

// recordingServer is the provider server with PlanResourceChange recorded.
type recordingServer struct {
	provider.Server
	rec *PlanDiagnostics
}

func (s *recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.Server.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.record(req.TypeName, isNull(req.ProposedNewState), resp.Diagnostics)
	}
	return resp, err
}

// isNull reports whether a DynamicValue is null: terraform sends msgpack,
// in which null is the single byte 0xc0.
func isNull(v *tfprotov6.DynamicValue) bool {
	if v == nil {
		return true
	}
	if len(v.MsgPack) > 0 {
		return len(v.MsgPack) == 1 && v.MsgPack[0] == 0xc0
	}
	return strings.TrimSpace(string(v.JSON)) == "null"
}

// CheckWarnings is a plan check (run PreApply, after the step's plan)
// calling check with the warnings of the plan.
func (p *PlanDiagnostics) CheckWarnings(check func(warnings []PlanDiagnostic) error) plancheck.PlanCheck {
	return warningsCheck{p: p, check: check}
}

type warningsCheck struct {
	p     *PlanDiagnostics
	check func([]PlanDiagnostic) error
}

func (c warningsCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.check(c.p.Warnings())
}

// ExpectDestroyWarnings is a plan check that the plan of a destroy of
// typeName warned once for each of want (summary fragments, such as an
// email), each in its own warning, and gave no other destroy warning for
// typeName.
func (p *PlanDiagnostics) ExpectDestroyWarnings(typeName string, want ...string) plancheck.PlanCheck {
	return p.CheckWarnings(func(ws []PlanDiagnostic) error {
		var got []PlanDiagnostic
		for _, w := range ws {
			if w.TypeName == typeName && w.Destroy {
				got = append(got, w)
			}
		}
		if len(got) != len(want) {
			return fmt.Errorf("%d destroy warnings for %s, want %d (%q):\n%s", len(got), typeName, len(want), want, renderWarnings(got))
		}
		for _, fragment := range want {
			n := 0
			for _, w := range got {
				if strings.Contains(w.Summary, fragment) && strings.Contains(w.Detail, fragment) {
					n++
				}
			}
			if n != 1 {
				return fmt.Errorf("%d destroy warnings for %s name %q in their summary and detail, want 1:\n%s", n, typeName, fragment, renderWarnings(got))
			}
		}
		return nil
	})
}

func renderWarnings(ws []PlanDiagnostic) string {
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "  [%s destroy=%t] %s: %s\n", w.TypeName, w.Destroy, w.Summary, w.Detail)
	}
	return b.String()
}
