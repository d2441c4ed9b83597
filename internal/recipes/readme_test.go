package recipes_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// TestAccReadmeQuickStart runs the README's quick start as a new user
// would: its configuration copied as it is into an empty directory, the
// credentials in the environment variables its comment names, init, apply,
// an empty plan, then the resource deleted (offboarding): the plan names
// Jane's removal and the apply removes her.
func TestAccReadmeQuickStart(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Quick start\n\n```hcl\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```hcl block under ## Quick start")
	}
	quickStart := string(m[1])
	for _, want := range []string{"DOCSPACE_ENDPOINT", "DOCSPACE_TOKEN", `source = "workspace-membership/membership"`} {
		if !strings.Contains(quickStart, want) {
			t.Fatalf("the quick start no longer mentions %s; update this test with it", want)
		}
	}
	env := acctest.New(t)
	t.Setenv("DOCSPACE_ENDPOINT", env.URL+sandbox.PrefixDocSpace)
	t.Setenv("DOCSPACE_TOKEN", sandbox.DocSpaceToken)
	cli := acctest.NewCLI(t)
	cli.Write("main.tf", quickStart)
	cli.MustRun(nil, "init", "-input=false")
	cli.MustRun(nil, "apply", "-auto-approve", "-input=false")
	u, ok := env.Sandbox.DocSpace.User("jane@example.com")
	if !ok || u.Type != "RoomAdmin" {
		t.Fatalf("after the quick start's apply, jane@example.com is %+v (found %v), want a RoomAdmin", u, ok)
	}
	cli.MustRun(nil, "plan", "-detailed-exitcode", "-input=false")

	// Offboarding: the resource deleted; the saved plan names Jane.
	cli.Write("main.tf", regexp.MustCompile(`(?s)resource "membership_docspace_invitation" "jane" \{.*?\n\}\n`).ReplaceAllString(quickStart, ""))
	cli.MustRun(nil, "plan", "-input=false", "-out=offboard.tfplan")
	show := cli.MustRun(nil, "show", "offboard.tfplan")
	if !strings.Contains(show.Stdout, "membership_docspace_invitation.jane will be destroyed") || !strings.Contains(show.Stdout, "jane@example.com") {
		t.Fatalf("the offboarding plan does not name Jane:\n%s", show.Stdout)
	}
	cli.MustRun(nil, "apply", "-input=false", "offboard.tfplan")
	if _, ok := env.Sandbox.DocSpace.User("jane@example.com"); ok {
		t.Fatal("jane@example.com is still on the portal after the offboarding apply")
	}
}
