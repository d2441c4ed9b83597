package acctest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// ExpectChanges is a plan check that the plan changes exactly these managed
// resource instances (full addresses, modules included), each with its
// action, and leaves every other resource instance as it is.
type ExpectChanges map[string]plancheck.ResourceActionType

// CheckPlan implements plancheck.PlanCheck.
func (want ExpectChanges) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if err := exactly("change", want, req.Plan.ResourceChanges); err != nil {
		resp.Error = err
	}
}

// ExpectDrift is a plan check that the refresh before the plan found
// exactly these managed resource instances changed outside Terraform (the
// plan's resource_drift), each with its action: update for a member whose
// attributes changed, delete for one that is gone.
type ExpectDrift map[string]plancheck.ResourceActionType

// CheckPlan implements plancheck.PlanCheck.
func (want ExpectDrift) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if err := exactly("drift", want, req.Plan.ResourceDrift); err != nil {
		resp.Error = err
	}
}

// exactly compares the managed, non-no-op entries of changes with want.
func exactly(what string, want map[string]plancheck.ResourceActionType, changes []*tfjson.ResourceChange) error {
	got := map[string]tfjson.Actions{}
	for _, rc := range changes {
		if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil || rc.Change.Actions.NoOp() {
			continue
		}
		got[rc.Address] = rc.Change.Actions
	}
	var problems []string
	for addr, action := range want {
		actions, ok := got[addr]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: expected %s, not in the plan's %s", addr, action, what))
		case !hasAction(actions, action):
			problems = append(problems, fmt.Sprintf("%s: expected %s, got %v", addr, action, actions))
		}
	}
	for addr, actions := range got {
		if _, ok := want[addr]; !ok {
			problems = append(problems, fmt.Sprintf("%s: unexpected %s %v", addr, what, actions))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return fmt.Errorf("the plan's %s is not the expected one:\n%s", what, strings.Join(problems, "\n"))
}

func hasAction(a tfjson.Actions, action plancheck.ResourceActionType) bool {
	switch action {
	case plancheck.ResourceActionCreate:
		return a.Create()
	case plancheck.ResourceActionUpdate:
		return a.Update()
	case plancheck.ResourceActionDestroy:
		return a.Delete()
	case plancheck.ResourceActionReplace:
		return a.Replace()
	case plancheck.ResourceActionDestroyBeforeCreate:
		return a.DestroyBeforeCreate()
	case plancheck.ResourceActionCreateBeforeDestroy:
		return a.CreateBeforeDestroy()
	case plancheck.ResourceActionRead:
		return a.Read()
	}
	return false
}

// Resources lists the managed resource instances of the state, in every
// module, by address.
func Resources(state *tfjson.State) map[string]*tfjson.StateResource {
	out := map[string]*tfjson.StateResource{}
	if state == nil || state.Values == nil {
		return out
	}
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		if m == nil {
			return
		}
		for _, r := range m.Resources {
			if r.Mode == tfjson.ManagedResourceMode {
				out[r.Address] = r
			}
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(state.Values.RootModule)
	return out
}
