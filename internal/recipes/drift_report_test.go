package recipes_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// driftReport runs scripts/drift-report.sh on input and returns its
// report's lines but the first (one per membership, as printed).
func driftReport(t *testing.T, input string) (string, []string) {
	t.Helper()
	script, err := filepath.Abs("../../scripts/drift-report.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("drift-report.sh: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return lines[0], lines[1:]
}

// reportLine matches one line of the report: platform, who, optional
// scope, what.
var reportLine = regexp.MustCompile(`^  (\S+) +(\S+) +(?:\(([^)]*)\) )?(.+)$`)

// expectReport checks the report's lines against want, "<platform> <who>
// [(<scope>)] <what>" with single spaces, in any order.
func expectReport(t *testing.T, what string, lines []string, want ...string) {
	t.Helper()
	var got []string
	for _, l := range lines {
		m := reportLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("%s: unexpected report line %q", what, l)
		}
		s := m[1] + " " + m[2]
		if m[3] != "" {
			s += " (" + m[3] + ")"
		}
		got = append(got, s+" "+m[4])
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s: the report is\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAccDriftReport runs the drift detection guide's recipe against the
// sandbox: four people managed with the people module, a scheduled
// `terraform plan -detailed-exitcode` (0 while nothing changed), then an
// admin changes three of them by hand on four platforms. The plan exits 2,
// and scripts/drift-report.sh, fed `terraform plan -refresh-only -json`
// and `terraform show -json` of a saved refresh-only plan, names exactly
// the changed people, each on the platform where they changed (with the
// old and new values from the saved plan), and never the fourth person.
func TestAccDriftReport(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("scripts/drift-report.sh needs jq, which is not installed here")
	}
	t.Parallel()
	env := acctest.New(t)
	sb := env.Sandbox
	for _, name := range []string{"jane", "raj", "li", "ana"} {
		sb.AttackForge.AddUser(name, name+"@example.com", name, "Example")
	}
	cli := acctest.NewCLI(t)
	cli.Write("main.tf", env.ProviderConfig()+fmt.Sprintf(`
terraform {
  required_providers {
    membership = {
      source = "workspace-membership/membership"
    }
  }
}

module "people" {
  source = %q

  smartdocumentor_workspace_id = 2
  attackforge_projects = {
    web_app = %q
    network = %q
  }

  people = {
    "jane@example.com" = {
      smartdocumentor = "Reviewer"
      docspace        = "User"
      attackforge     = { web_app = { access_level = "Upload" } }
      royalti         = "user"
    }
    "raj@example.com" = {
      docspace    = "RoomAdmin"
      attackforge = { network = { access_level = "Edit" } }
      royalti     = "admin"
    }
    "li@example.com" = {
      smartdocumentor = "Viewer"
      docspace        = "User"
    }
    "ana@example.com" = {
      smartdocumentor = "Viewer"
      docspace        = "User"
      attackforge     = { web_app = { access_level = "View" }, network = { access_level = "View" } }
      royalti         = "user"
    }
  }
}
`, peopleModule(t), sandbox.AFProjectWebApp, sandbox.AFProjectNetwork))
	cli.MustRun(nil, "init", "-input=false")
	cli.MustRun(nil, "apply", "-auto-approve", "-input=false")

	// The scheduled job while nothing changed: exit code 0, empty report.
	cli.MustRun([]int{0}, "plan", "-detailed-exitcode", "-input=false")
	head, lines := driftReport(t, cli.MustRun([]int{0}, "plan", "-refresh-only", "-json", "-input=false").Stdout)
	if head != "No membership changed outside Terraform." || len(lines) != 0 {
		t.Fatalf("before any change, the report is %q %q", head, lines)
	}

	// An admin, by hand: Jane made a Guest in DocSpace, Li removed from
	// SmartDocumentor, Raj removed from the network project and demoted in
	// Royalti. Ana is left alone.
	sb.DocSpace.SetType("jane@example.com", "Guest")
	sb.SmartDocumentor.RemoveUser(2, "li@example.com")
	sb.AttackForge.RemoveFromProject(sandbox.AFProjectNetwork, "raj@example.com")
	sb.Royalti.SetRole("raj@example.com", "user")

	cli.MustRun([]int{2}, "plan", "-detailed-exitcode", "-input=false")

	// terraform plan -refresh-only -json: who, where, no values.
	network := sandbox.AFProjectNetwork
	head, lines = driftReport(t, cli.MustRun([]int{0}, "plan", "-refresh-only", "-json", "-input=false").Stdout)
	if head != "4 memberships changed outside Terraform:" {
		t.Fatalf("the report's first line is %q", head)
	}
	expectReport(t, "plan -refresh-only -json", lines,
		"DocSpace jane@example.com changed outside Terraform",
		"SmartDocumentor li@example.com removed outside Terraform",
		"AttackForge raj@example.com (project "+network+") removed outside Terraform",
		"Royalti raj@example.com changed outside Terraform",
	)

	// A saved refresh-only plan, shown as JSON: with the values.
	cli.MustRun([]int{2}, "plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-out=drift.tfplan")
	_, lines = driftReport(t, cli.MustRun(nil, "show", "-json", "drift.tfplan").Stdout)
	expectReport(t, "show -json of a saved refresh-only plan", lines,
		"DocSpace jane@example.com type: User -> Guest",
		"SmartDocumentor li@example.com (workspace 2) removed outside Terraform",
		"AttackForge raj@example.com (project "+network+") removed outside Terraform",
		"Royalti raj@example.com role: admin -> user",
	)
}
