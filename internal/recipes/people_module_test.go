package recipes_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const (
	sdType = "membership_smartdocumentor_workspace_invitation"
	dsType = "membership_docspace_invitation"
	afType = "membership_attackforge_project_team_member"
	roType = "membership_royalti_workspace_invitation"
	glType = "membership_goldleaf_organization_invitation"

	jane = "jane@example.com"
	raj  = "raj@example.com"
	li   = "li@example.com"

	// janePassword is Jane's initial GoldLeaf password: write-only, it
	// must reach GoldLeaf and never the state.
	janePassword = "Jane-Initial-1!"
)

// member is the address of a membership the people module manages.
func member(typeName, key string) string {
	return fmt.Sprintf("module.people.%s.member[%q]", typeName, key)
}

// afKey is the module's key of an AttackForge membership.
func afKey(projectID, email string) string { return projectID + "/" + email }

// peopleModule is the people module's directory, absolute: the test
// configurations are written to terraform-plugin-testing's own working
// directories, where a relative source would not resolve.
func peopleModule(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../examples/modules/people")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// readExample returns an example directory's terraform.tf and main.tf, as
// published, with the people module's relative source made absolute.
func readExample(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	for _, name := range []string{"terraform.tf", "main.tf"} {
		data, err := os.ReadFile(filepath.Join("../../examples/guides", dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n")
	}
	const rel = `source = "../../modules/people"`
	if !strings.Contains(b.String(), rel) {
		t.Fatalf("examples/guides/%s no longer calls the module with %s: update the test", dir, rel)
	}
	return strings.Replace(b.String(), rel, fmt.Sprintf("source = %q", peopleModule(t)), 1)
}

// moduleConfig is a root module calling the people module with the given
// arguments (HCL), its outputs as the root's.
func moduleConfig(t *testing.T, env *acctest.Env, arguments string) string {
	t.Helper()
	return env.ProviderConfig() + fmt.Sprintf(`
terraform {
  required_providers {
    membership = {
      source = "workspace-membership/membership"
    }
  }
}

module "people" {
  source = %q
%s
}

output "people" {
  value = module.people.people
}

output "pending" {
  value = module.people.pending
}
`, peopleModule(t), arguments)
}

// peopleConfig calls the people module on all five platforms with the
// given people map (HCL).
func peopleConfig(t *testing.T, env *acctest.Env, people string) string {
	t.Helper()
	return moduleConfig(t, env, fmt.Sprintf(`
  smartdocumentor_workspace_id = 2
  attackforge_projects = {
    web_app = %q
    network = %q
  }
  goldleaf_passwords = {
    %q = %q
  }

  people = %s
`, sandbox.AFProjectWebApp, sandbox.AFProjectNetwork, jane, janePassword, people))
}

// TestAccPeopleModule applies the people module guide's configuration
// (three people on SmartDocumentor, DocSpace and AttackForge), then the
// same people on all five platforms, then changes Jane's roles and deletes
// Raj's entry. Each plan is asserted exactly: the role changes are updates
// in place, Raj's removal is one destroy per membership and nothing else
// changes. At the end Raj is gone from DocSpace, AttackForge and Royalti,
// and still in SmartDocumentor and GoldLeaf, whose APIs cannot remove
// anyone. Jane's initial GoldLeaf password reaches GoldLeaf and never the
// state. Last, everyone's entry is deleted: every membership is planned
// for destruction and the three platforms that can remove people do.
func TestAccPeopleModule(t *testing.T) {
	env := acctest.New(t)
	sb := env.Sandbox
	for _, name := range []string{"jane", "raj", "li"} {
		sb.AttackForge.AddUser(name, name+"@example.com", strings.ToUpper(name[:1])+name[1:], "Example")
	}
	webApp, network := sandbox.AFProjectWebApp, sandbox.AFProjectNetwork

	// Step 2's people: step 1's (the guide's), plus Royalti and GoldLeaf.
	const everywhere = `{
    "jane@example.com" = {
      smartdocumentor = "Reviewer"
      docspace        = "User"
      attackforge = {
        web_app = { access_level = "Upload" }
        network = { access_level = "Upload" }
      }
      royalti                   = "user"
      goldleaf                  = true
      goldleaf_password_version = 1
    }
    "raj@example.com" = {
      smartdocumentor = "Viewer"
      docspace        = "RoomAdmin"
      attackforge = {
        web_app = { access_level = "Edit", project_role = "Pentester" }
      }
      royalti  = "admin"
      goldleaf = true
    }
    "li@example.com" = {
      docspace = "User"
    }
  }`
	// Step 3's: Jane changes roles where the APIs can change them, Raj's
	// entry is deleted.
	const changed = `{
    "jane@example.com" = {
      smartdocumentor = "Reviewer"
      docspace        = "RoomAdmin"
      attackforge = {
        web_app = { access_level = "Upload" }
        network = { access_level = "Edit" }
      }
      royalti                   = "admin"
      goldleaf                  = true
      goldleaf_password_version = 1
    }
    "li@example.com" = {
      docspace = "User"
    }
  }`

	acctest.TestWithModules(t, resource.TestStep{
		Config: env.ProviderConfig() + readExample(t, "people-module"),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{acctest.ExpectChanges{
				member(sdType, jane):                 plancheck.ResourceActionCreate,
				member(sdType, raj):                  plancheck.ResourceActionCreate,
				member(dsType, jane):                 plancheck.ResourceActionCreate,
				member(dsType, raj):                  plancheck.ResourceActionCreate,
				member(dsType, li):                   plancheck.ResourceActionCreate,
				member(afType, afKey(webApp, jane)):  plancheck.ResourceActionCreate,
				member(afType, afKey(network, jane)): plancheck.ResourceActionCreate,
				member(afType, afKey(webApp, raj)):   plancheck.ResourceActionCreate,
			}},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("pending", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"smartdocumentor": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(jane), knownvalue.StringExact(raj)}),
				"docspace":        knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(jane), knownvalue.StringExact(li), knownvalue.StringExact(raj)}),
				"royalti":         knownvalue.ListExact([]knownvalue.Check{}),
			})),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(jane).AtMapKey("smartdocumentor").AtMapKey("role"), knownvalue.StringExact("Reviewer")),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(jane).AtMapKey("smartdocumentor").AtMapKey("status"), knownvalue.StringExact("Invited")),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(jane).AtMapKey("docspace").AtMapKey("status"), knownvalue.StringExact("pending")),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(jane).AtMapKey("attackforge").AtMapKey("network").AtMapKey("project_id"), knownvalue.StringExact(network)),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(jane).AtMapKey("attackforge").AtMapKey("web_app").AtMapKey("access_level"), knownvalue.StringExact("Upload")),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(li).AtMapKey("smartdocumentor"), knownvalue.Null()),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(li).AtMapKey("attackforge"), knownvalue.MapExact(map[string]knownvalue.Check{})),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(li).AtMapKey("goldleaf"), knownvalue.Null()),
			acctest.StateCheck(func(*tfjson.State) error {
				return expectMembers(sb, map[string]string{
					"smartdocumentor " + jane: "Reviewer", "smartdocumentor " + raj: "Viewer", "smartdocumentor " + li: "",
					"docspace " + jane: "User", "docspace " + raj: "RoomAdmin", "docspace " + li: "User",
					"attackforge web_app " + jane: "Upload", "attackforge network " + jane: "Upload",
					"attackforge web_app " + raj: "Edit", "attackforge network " + raj: "", "attackforge web_app " + li: "",
					"royalti " + jane: "", "goldleaf " + jane: "",
				})
			}),
		},
	}, resource.TestStep{
		Config: peopleConfig(t, env, everywhere),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{acctest.ExpectChanges{
				member(roType, jane): plancheck.ResourceActionCreate,
				member(roType, raj):  plancheck.ResourceActionCreate,
				member(glType, jane): plancheck.ResourceActionCreate,
				member(glType, raj):  plancheck.ResourceActionCreate,
			}},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValueAtPath("pending", tfjsonpath.New("royalti"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(jane), knownvalue.StringExact(raj)})),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(raj).AtMapKey("goldleaf").AtMapKey("status"), knownvalue.StringExact("invited")),
			acctest.StateCheck(func(s *tfjson.State) error {
				if err := expectMembers(sb, map[string]string{
					"royalti " + jane: "user", "royalti " + raj: "admin", "royalti " + li: "",
					"goldleaf " + jane: "invited", "goldleaf " + raj: "invited", "goldleaf " + li: "",
				}); err != nil {
					return err
				}
				if pw := sb.GoldLeaf.LastPasswords(); pw[jane] != janePassword || pw[raj] != "" {
					return fmt.Errorf("GoldLeaf received passwords %v; want Jane's initial password only", pw)
				}
				raw, err := json.Marshal(s)
				if err != nil {
					return err
				}
				if strings.Contains(string(raw), janePassword) {
					return fmt.Errorf("Jane's GoldLeaf password is in the state")
				}
				return nil
			}),
		},
	}, resource.TestStep{
		Config: peopleConfig(t, env, changed),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				acctest.ExpectChanges{
					// Jane's new roles: in place
					member(dsType, jane):                 plancheck.ResourceActionUpdate,
					member(roType, jane):                 plancheck.ResourceActionUpdate,
					member(afType, afKey(network, jane)): plancheck.ResourceActionUpdate,
					// Raj offboarded: every membership of theirs, by name
					member(sdType, raj):                plancheck.ResourceActionDestroy,
					member(dsType, raj):                plancheck.ResourceActionDestroy,
					member(afType, afKey(webApp, raj)): plancheck.ResourceActionDestroy,
					member(roType, raj):                plancheck.ResourceActionDestroy,
					member(glType, raj):                plancheck.ResourceActionDestroy,
				},
				plancheck.ExpectKnownValue(member(dsType, jane), tfjsonpath.New("type"), knownvalue.StringExact("RoomAdmin")),
				plancheck.ExpectKnownValue(member(roType, jane), tfjsonpath.New("role"), knownvalue.StringExact("admin")),
				plancheck.ExpectKnownValue(member(afType, afKey(network, jane)), tfjsonpath.New("access_level"), knownvalue.StringExact("Edit")),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.StateCheck(func(s *tfjson.State) error {
				if people, _ := s.Values.Outputs["people"].Value.(map[string]any); people == nil || people[raj] != nil || people[jane] == nil {
					return fmt.Errorf("the people output should have Jane and not Raj: %v", s.Values.Outputs["people"].Value)
				}
				for addr := range acctest.Resources(s) {
					if strings.Contains(addr, raj) {
						return fmt.Errorf("%s is still in state", addr)
					}
				}
				return expectMembers(sb, map[string]string{
					"docspace " + jane: "RoomAdmin", "royalti " + jane: "admin", "attackforge network " + jane: "Edit",
					"attackforge web_app " + jane: "Upload", "smartdocumentor " + jane: "Reviewer",
					// gone where the API can remove...
					"docspace " + raj: "", "attackforge web_app " + raj: "", "royalti " + raj: "",
					// ...still there where it cannot
					"smartdocumentor " + raj: "Viewer", "goldleaf " + raj: "invited",
				})
			}),
		},
	}, resource.TestStep{
		// Everyone leaves: the state holds no module the test harness
		// cannot read at the end.
		Config: peopleConfig(t, env, "{}"),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{acctest.ExpectChanges{
				member(sdType, jane):                 plancheck.ResourceActionDestroy,
				member(dsType, jane):                 plancheck.ResourceActionDestroy,
				member(dsType, li):                   plancheck.ResourceActionDestroy,
				member(afType, afKey(webApp, jane)):  plancheck.ResourceActionDestroy,
				member(afType, afKey(network, jane)): plancheck.ResourceActionDestroy,
				member(roType, jane):                 plancheck.ResourceActionDestroy,
				member(glType, jane):                 plancheck.ResourceActionDestroy,
			}},
		},
		ConfigStateChecks: []statecheck.StateCheck{acctest.StateCheck(func(s *tfjson.State) error {
			if n := len(acctest.Resources(s)); n != 0 {
				return fmt.Errorf("%d memberships still in state", n)
			}
			return expectMembers(sb, map[string]string{
				"docspace " + jane: "", "docspace " + li: "", "royalti " + jane: "",
				"attackforge web_app " + jane: "", "attackforge network " + jane: "",
				"smartdocumentor " + jane: "Reviewer", "goldleaf " + jane: "invited",
			})
		})},
	})
}

// expectMembers checks the sandbox: "<platform> [<project>] <email>" =>
// the role, type or access level the person has there ("invited" for
// GoldLeaf), or "" for no membership.
func expectMembers(sb *sandbox.Sandbox, want map[string]string) error {
	projects := map[string]string{"web_app": sandbox.AFProjectWebApp, "network": sandbox.AFProjectNetwork}
	var problems []string
	for key, role := range want {
		f := strings.Fields(key)
		got := ""
		switch f[0] {
		case "smartdocumentor":
			if m, ok := sb.SmartDocumentor.Member(2, f[1]); ok {
				got = m.RoleName
			}
		case "docspace":
			if u, ok := sb.DocSpace.User(f[1]); ok {
				got = u.Type
			}
		case "attackforge":
			if m, ok := sb.AttackForge.Member(projects[f[1]], f[2]); ok {
				got = m.AccessLevel
			}
		case "royalti":
			if u, ok := sb.Royalti.User(f[1]); ok {
				got = u.Role
			}
		case "goldleaf":
			if u, ok := sb.GoldLeaf.User(f[1]); ok {
				got = u.Status
			}
		}
		if got != role {
			problems = append(problems, fmt.Sprintf("%s: %q, want %q", key, got, role))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the sandbox's members are not the expected ones: %s", strings.Join(problems, "; "))
	}
	return nil
}

// TestAccPeopleModule_validation: the module refuses, at plan time and
// before any request, people the platforms would refuse or that would
// mean something else than written, with a message naming the entry.
func TestAccPeopleModule_validation(t *testing.T) {
	env := acctest.New(t)
	// step expects the plan to fail with the fragments in this order
	// (Terraform wraps the message: any space matches any white space).
	step := func(arguments string, fragments ...string) resource.TestStep {
		for i, f := range fragments {
			fragments[i] = strings.ReplaceAll(regexp.QuoteMeta(f), " ", `\s+`)
		}
		return resource.TestStep{
			Config:      moduleConfig(t, env, arguments),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(strings.Join(fragments, `[\s\S]*`)),
		}
	}
	webApp := fmt.Sprintf("(%q)", sandbox.AFProjectWebApp)
	acctest.TestWithModules(t,
		step(`people = { "Jane@Example.com" = { docspace = "User" } }`,
			"must be an email address in lower case", "Not valid: Jane@Example.com."),
		step(`people = { "jane" = { docspace = "User" } }`, "Not valid: jane."),
		step(`people = { "jane@example.com" = { docspace = "Admin" } }`,
			"docspace must be one of User, RoomAdmin, DocSpaceAdmin or Guest", `jane@example.com = "Admin"`),
		step(`people = { "jane@example.com" = { royalti = "owner" } }`, "royalti must be user or admin", `jane@example.com = "owner"`),
		step(`people = { "jane@example.com" = { smartdocumentor = " " } }`, "smartdocumentor must be a role name"),
		step(`people = { "jane@example.com" = { attackforge = { web_app = { access_level = "Upload" } } } }`,
			"Each attackforge project must be a name from attackforge_projects or a project id", "Unknown: web_app."),
		step(`people = { "jane@example.com" = { attackforge = { "650f1707c66ef8821d35ee0" = { access_level = "Upload" } } } }`,
			"Unknown: 650f1707c66ef8821d35ee0."),
		step(`people = { "jane@example.com" = { attackforge = { `+webApp+` = { access_level = "Write" } } } }`,
			"access_level must be View, Upload or Edit", `jane@example.com on `+sandbox.AFProjectWebApp+` = "Write"`),
		step(`people = { "jane@example.com" = { attackforge = { `+webApp+` = { project_role = "Boss" } } } }`,
			"project_role must be one of"),
		step(`
  attackforge_projects = { web_app = "`+sandbox.AFProjectWebApp+`" }
  people = { "jane@example.com" = { attackforge = { web_app = {}, `+webApp+` = {} } } }`,
			"names the same AttackForge project twice"),
		step(`attackforge_projects = { web_app = "not-an-id" }`, "must be an AttackForge project id"),
		step(`people = { "jane@example.com" = { goldleaf_password_version = 1 } }`,
			"goldleaf_password_version is only for people with goldleaf = true"),
	)
	env.CheckNoRequests(t)
}

// TestAccPeopleModule_platformDisabled: smartdocumentor_workspace_id =
// null disables SmartDocumentor (the people's roles there are ignored, with
// a check warning), and a platform nobody has an entry for has no
// resource: a team that uses two tools configures two.
func TestAccPeopleModule_platformDisabled(t *testing.T) {
	env := acctest.New(t)
	acctest.TestWithModules(t, resource.TestStep{
		Config: moduleConfig(t, env, `
  people = {
    "jane@example.com" = { smartdocumentor = "Reviewer", docspace = "User", royalti = "user" }
    "li@example.com"   = { royalti = "admin" }
  }
`),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{acctest.ExpectChanges{
				member(dsType, jane): plancheck.ResourceActionCreate,
				member(roType, jane): plancheck.ResourceActionCreate,
				member(roType, li):   plancheck.ResourceActionCreate,
			}},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(jane).AtMapKey("smartdocumentor"), knownvalue.Null()),
			statecheck.ExpectKnownOutputValueAtPath("people", tfjsonpath.New(li).AtMapKey("docspace"), knownvalue.Null()),
		},
	}, resource.TestStep{
		Config: moduleConfig(t, env, "people = {}"),
	})
	if n := len(env.Sandbox.Requests("smartdocumentor")); n != 0 {
		t.Fatalf("SmartDocumentor is disabled, yet it got %d requests", n)
	}
	for _, p := range []string{"attackforge", "goldleaf"} {
		if n := len(env.Sandbox.Requests(p)); n != 0 {
			t.Fatalf("nobody has a %s entry, yet it got %d requests", p, n)
		}
	}
}

// TestAccPeopleModule_offboardingWarns deletes an entry whose person is on
// SmartDocumentor and GoldLeaf, whose APIs cannot remove anyone: the
// person stays on both, and Terraform warns, naming the person, for each.
// The warnings are read from terraform's JSON output (the test harness
// cannot see warnings) of the plan and of its apply: the plan must say
// it, before anyone approves a revocation that does not happen, and the
// apply says it again.
func TestAccPeopleModule_offboardingWarns(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	env := acctest.New(t)
	cli := acctest.NewCLI(t)
	config := func(people string) string {
		return peopleConfig(t, env, people)
	}
	cli.Write("main.tf", config(`{
    "jane@example.com" = { smartdocumentor = "Reviewer", goldleaf = true, docspace = "User" }
  }`))
	cli.MustRun(nil, "init", "-input=false")
	cli.MustRun(nil, "apply", "-auto-approve", "-input=false")
	cli.Write("main.tf", config("{}"))
	plan := cli.MustRun(nil, "plan", "-json", "-input=false", "-out=offboard.tfplan")
	apply := cli.MustRun(nil, "apply", "-json", "-input=false", "offboard.tfplan")

	var warnings, planWarnings []string // summary and detail
	for phase, out := range map[string]string{"plan": plan.Stdout, "apply": apply.Stdout} {
		for _, line := range strings.Split(out, "\n") {
			var msg struct {
				Type       string `json:"type"`
				Diagnostic struct {
					Severity, Summary, Detail string
				} `json:"diagnostic"`
			}
			if json.Unmarshal([]byte(line), &msg) != nil || msg.Type != "diagnostic" || msg.Diagnostic.Severity != "warning" {
				continue
			}
			text := msg.Diagnostic.Summary + ": " + msg.Diagnostic.Detail
			warnings = append(warnings, text)
			if phase == "plan" {
				planWarnings = append(planWarnings, text)
			}
		}
	}
	for _, platform := range []string{"SmartDocumentor", "GoldLeaf"} {
		for phase, ws := range map[string][]string{"plan": planWarnings, "apply or plan": warnings} {
			found := false
			for _, w := range ws {
				found = found || strings.Contains(w, platform) && strings.Contains(w, jane) && strings.Contains(w, "keep")
			}
			if !found {
				t.Errorf("no warning at %s that %s keeps access to %s; warnings: %q", phase, jane, platform, ws)
			}
		}
	}
	if _, ok := env.Sandbox.SmartDocumentor.Member(2, jane); !ok {
		t.Error("Jane should still be in the SmartDocumentor workspace")
	}
	if _, ok := env.Sandbox.GoldLeaf.User(jane); !ok {
		t.Error("Jane should still be in the GoldLeaf organization")
	}
	if _, ok := env.Sandbox.DocSpace.User(jane); ok {
		t.Error("Jane should be gone from DocSpace")
	}
}
