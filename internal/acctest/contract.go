package acctest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Contract checks "the plan is the contract" for an authoritative resource
// through the real terraform: the people an apply removes are exactly the
// people the saved plan's diff names (`terraform show -json` of the plan:
// a member leaving `members` or `unlisted_members`, or, on destroy, a
// member in `members`), whoever joined between the plan and the apply.
//
// A step uses it as
//
//	ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{c.Named(join...)}},
//	Check: c.Removed(),
//
// Terraform-plugin-testing saves the plan (plan -out), runs the PreApply
// checks, then applies that saved plan: Named reads the plan, then lets
// the given people join the platform (after the plan was made), and
// records who is there; Removed compares who left with who was named.
type Contract struct {
	// Address is the resource's address ("membership_docspace_invitations.team").
	Address string
	// Members lists the people on the platform now (emails in any case).
	Members func() []string
	// Join adds a person to the platform out of band.
	Join func(email string)
	// KeepsAccess are people a destroy names but that the platform never
	// removes (the plan warns about them): the owner, the caller.
	KeepsAccess []string

	mu     sync.Mutex
	named  map[string]bool
	before map[string]bool
}

// Named is the PreApply plan check: it records the people the saved plan
// names for removal, then lets join join the platform, then records who
// is there before the apply.
func (c *Contract) Named(join ...string) plancheck.PlanCheck {
	return contractCheck{c: c, join: join}
}

type contractCheck struct {
	c    *Contract
	join []string
}

func (p contractCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	named, err := RemovalsNamed(req.Plan, p.c.Address)
	if err != nil {
		resp.Error = err
		return
	}
	for _, e := range p.join {
		p.c.Join(e)
	}
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	p.c.named, p.c.before = named, lowerSet(p.c.Members())
}

// Removed is the step's Check: the people who left the platform during the
// apply are exactly those Named recorded (less KeepsAccess, who stay).
func (c *Contract) Removed() resource.TestCheckFunc {
	return func(*terraform.State) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.before == nil {
			return fmt.Errorf("contract: no plan was recorded (add Named to ConfigPlanChecks.PreApply)")
		}
		after := lowerSet(c.Members())
		removed := map[string]bool{}
		for e := range c.before {
			if !after[e] {
				removed[e] = true
			}
		}
		want := map[string]bool{}
		for e := range c.named {
			if c.before[e] && !slices.Contains(lowerList(c.KeepsAccess), e) {
				want[e] = true
			}
		}
		if !maps.Equal(removed, want) {
			return fmt.Errorf("the apply removed %v, but the saved plan named %v for removal (people there before the apply: %d)",
				sortedSet(removed), sortedSet(want), len(c.before))
		}
		c.named, c.before = nil, nil
		return nil
	}
}

// RemovalsNamed returns, lower-cased, the people a plan's diff names for
// removal in the resource at address: on update, the keys that leave
// `members` or `unlisted_members`; on delete (destroy or replace), the
// keys of `members`.
func RemovalsNamed(plan *tfjson.Plan, address string) (map[string]bool, error) {
	named := map[string]bool{}
	for _, rc := range plan.ResourceChanges {
		if rc.Address != address || rc.Change == nil {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		deleting := rc.Change.Actions.Delete() || rc.Change.Actions.DestroyBeforeCreate() || rc.Change.Actions.CreateBeforeDestroy()
		for _, attr := range []string{"members", "unlisted_members"} {
			b, _ := before[attr].(map[string]any)
			a, _ := after[attr].(map[string]any)
			if deleting && attr == "unlisted_members" {
				continue // a destroy removes the members, never the unlisted people
			}
			afterKeys := map[string]bool{}
			for k := range a {
				afterKeys[strings.ToLower(k)] = true
			}
			for k := range b {
				if deleting || !afterKeys[strings.ToLower(k)] {
					named[strings.ToLower(k)] = true
				}
			}
		}
		// someone listed in members is not removed by leaving unlisted_members
		if !deleting {
			if a, ok := after["members"].(map[string]any); ok {
				for k := range a {
					delete(named, strings.ToLower(k))
				}
			}
		}
		return named, nil
	}
	return named, nil
}

func lowerSet(list []string) map[string]bool {
	out := make(map[string]bool, len(list))
	for _, e := range list {
		out[strings.ToLower(e)] = true
	}
	return out
}

func lowerList(list []string) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = strings.ToLower(e)
	}
	return out
}

func sortedSet(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
