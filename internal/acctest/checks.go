package acctest

// Shared checks of the sandbox's side of a test, written once for every
// platform package. Each is a statecheck.StateCheck (for
// ConfigStateChecks) and has a TestCheckFunc form (Check) for the steps
// that need one, such as a Destroy step's Check or CheckDestroy.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Requests checks how many requests the sandbox answered on a route of a
// platform ("POST /api/2.0/people/invite"; "" for every route), exactly
// or at most.
type Requests struct {
	env             *Env
	platform, route string
	want            int
	atMost          bool
}

var _ statecheck.StateCheck = Requests{}

// ExpectRequests checks that the sandbox answered exactly want requests on
// route of platform since the log was last cleared.
func (e *Env) ExpectRequests(platform, route string, want int) Requests {
	return Requests{env: e, platform: platform, route: route, want: want}
}

// ExpectAtMostRequests checks that the sandbox answered at most most
// requests on route of platform since the log was last cleared.
func (e *Env) ExpectAtMostRequests(platform, route string, most int) Requests {
	return Requests{env: e, platform: platform, route: route, want: most, atMost: true}
}

func (c Requests) err() error {
	got := c.env.Sandbox.Count(c.platform, c.route)
	switch {
	case c.atMost && got > c.want:
		return fmt.Errorf("%s %s: %d requests, want at most %d (%v)", c.platform, c.routeName(), got, c.want, c.env.Sandbox.Counts())
	case !c.atMost && got != c.want:
		return fmt.Errorf("%s %s: %d requests, want %d (%v)", c.platform, c.routeName(), got, c.want, c.env.Sandbox.Counts())
	}
	return nil
}

func (c Requests) routeName() string {
	if c.route == "" {
		return "(every route)"
	}
	return c.route
}

// CheckState implements statecheck.StateCheck.
func (c Requests) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.err()
}

// Check is the TestCheckFunc form.
func (c Requests) Check(*terraform.State) error { return c.err() }

// Gone checks that none of the people is a member on the platform any
// more: found reports whether one is (a sandbox lookup of the platform's
// scope).
type Gone struct {
	what   string
	found  func(email string) bool
	emails []string
}

var _ statecheck.StateCheck = Gone{}

// ExpectGone checks that found (a sandbox lookup, such as a DocSpace user
// by email) finds none of emails; what names the place in the error.
func ExpectGone(what string, found func(email string) bool, emails ...string) Gone {
	return Gone{what: what, found: found, emails: emails}
}

func (c Gone) err() error {
	var still []string
	for _, e := range c.emails {
		if c.found(e) {
			still = append(still, e)
		}
	}
	if len(still) > 0 {
		return fmt.Errorf("%s still has %s", c.what, strings.Join(still, ", "))
	}
	return nil
}

// CheckState implements statecheck.StateCheck.
func (c Gone) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.err()
}

// Check is the TestCheckFunc form.
func (c Gone) Check(*terraform.State) error { return c.err() }
