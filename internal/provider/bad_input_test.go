package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// badInput is one invalid configuration: it must fail at `terraform plan`
// with a message naming the attribute and the rule, before any request
// that could change anything is sent.
type badInput struct {
	name string
	hcl  string
	want string // regexp over the error output
	// reads are the read-only requests the check may need (SmartDocumentor
	// checks a role against the tenant's roles at plan time).
	reads []string
}

var badInputs = []badInput{
	// emails
	{"smartdocumentor email", sdInvite(`1`, `"jane"`, `"Viewer"`), `email must be a plain email address`, nil},
	{"docspace email", `resource "membership_docspace_invitation" "x" {
  email = "jane@"
  type  = "User"
}`, `email must be a plain email address`, nil},
	{"goldleaf email", `resource "membership_goldleaf_organization_invitation" "x" { email = "Jane <jane@example.com>" }`, `email must be a plain email address`, nil},
	{"royalti email", `resource "membership_royalti_workspace_invitation" "x" { email = "jane@localhost" }`, `email must have a domain with a dot`, nil},
	{"docspace email with a bidi override", `resource "membership_docspace_invitation" "x" {
  email = "jane\u202e@example.com"
  type  = "User"
}`, `(?s)email\s+must\s+not\s+contain\s+control\s+or\s+invisible\s+formatting\s+characters\s+\(found\s+U\+202E\)`, nil},
	{"goldleaf email to an IP literal", `resource "membership_goldleaf_organization_invitation" "x" { email = "jane@[1.2.3.4]" }`, `(?s)email\s+must\s+have\s+a\s+domain\s+name,\s+not\s+an\s+IP\s+address`, nil},
	{"royalti email with _ in the domain", `resource "membership_royalti_workspace_invitation" "x" { email = "jane@my_host.example.com" }`, `(?s)email\s+must\s+have\s+a\s+valid\s+domain:\s+label\s+"my_host"\s+contains\s+'_'`, nil},
	{"smartdocumentor email with a label starting with -", sdInvite(`1`, `"jane@-example.com"`, `"Viewer"`), `(?s)label\s+"-example"\s+starts\s+or\s+ends\s+with\s+'-'`, nil},
	{"attackforge user", afMember(`"`+sandbox.AFProjectNetwork+`"`, `"jane@@example.com"`, `"View"`, ""), `(?i)user`, nil},
	// roles, types, levels
	{"smartdocumentor role", sdInvite(`1`, `"jane@example.com"`, `"Superuser"`), `(?i)role.*Superuser.*Administrator.*Manager.*Creator.*Reviewer.*Viewer`, []string{"POST /connect/token", "GET /api/v1.0/external/tenant/availableroles"}},
	{"docspace type", `resource "membership_docspace_invitation" "x" {
  email = "jane@example.com"
  type  = "Admin"
}`, `(?i)type.*(User|RoomAdmin|DocSpaceAdmin|Guest)`, nil},
	{"docspace guest invitation", `resource "membership_docspace_invitation" "x" {
  email = "jane@example.com"
  type  = "Guest"
}`, `(?i)type.*Guest.*rooms`, []string{"GET /api/2.0/people/filter", "GET /api/2.0/people/@self"}},
	{"attackforge access level", afMember(`"`+sandbox.AFProjectNetwork+`"`, `"alice@example.com"`, `"Write"`, ""), `(?i)access_level.*(View|Upload|Edit)`, nil},
	{"attackforge project role", afMember(`"`+sandbox.AFProjectNetwork+`"`, `"alice@example.com"`, `"View"`, `"Hacker"`), `(?i)project_role.*(Pentester|Consultant)`, nil},
	{"royalti role", `resource "membership_royalti_workspace_invitation" "x" {
  email = "jane@example.com"
  role  = "owner"
}`, `(?i)role.*(user|admin)`, nil},
	// ids, URLs, numbers
	{"attackforge project id", afMember(`"12345"`, `"alice@example.com"`, `"View"`, ""), `(?i)project_id.*24`, nil},
	{"smartdocumentor workspace id", sdInvite(`0`, `"jane@example.com"`, `"Viewer"`), `(?i)workspace_id`, nil},
	{"royalti redirect url", `resource "membership_royalti_workspace_invitation" "x" {
  email        = "jane@example.com"
  redirect_url = "welcome page"
}`, `(?i)redirect_url.*URL`, nil},
	// passwords: the rule is named, the value never shown
	{"goldleaf password length", glPassword("Sh0rt!"), `(?i)password_wo.*8 characters`, nil},
	{"goldleaf password digit", glPassword("NoDigits!Here"), `(?i)password_wo.*digit`, nil},
	{"goldleaf password special", glPassword("NoSpecial123"), `(?i)password_wo.*special`, nil},
	{"goldleaf password upper", glPassword("lower-case-1!"), `(?i)password_wo.*upper`, nil},
	// duplicate members inside one authoritative resource
	{"docspace duplicate member", `resource "membership_docspace_invitations" "x" {
  members = {
    "jane@example.com" = "User"
    "JANE@example.com" = "Guest"
  }
}`, `(?i)members.*(duplicate|twice|more than once|same)`, nil},
	{"royalti duplicate member", `resource "membership_royalti_workspace_invitations" "x" {
  members = {
    "jane@example.com" = { role = "user" }
    "Jane@Example.com" = { role = "admin" }
  }
}`, `(?i)members.*(duplicate|twice|more than once|same)`, nil},
	// provider settings
	{"provider request_timeout", `resource "membership_goldleaf_organization_invitation" "x" { email = "jane@example.com" }`, `request_timeout.*positive duration`, nil},
}

func sdInvite(ws, email, role string) string {
	return fmt.Sprintf(`resource "membership_smartdocumentor_workspace_invitation" "x" {
  workspace_id = %s
  email        = %s
  role         = %s
}`, ws, email, role)
}

func afMember(project, user, level, role string) string {
	extra := ""
	if role != "" {
		extra = "\n  project_role = " + role
	}
	return fmt.Sprintf(`resource "membership_attackforge_project_team_member" "x" {
  project_id   = %s
  user         = %s
  access_level = %s%s
}`, project, user, level, extra)
}

func glPassword(pw string) string {
	return fmt.Sprintf(`resource "membership_goldleaf_organization_invitation" "x" {
  email               = "jane@example.com"
  password_wo         = %q
  password_wo_version = 1
}`, pw)
}

// TestAccBadInputFailsAtPlan runs every bad input through terraform plan:
// each fails with a message naming the attribute and the rule, and the
// sandbox sees no request beyond the read-only look-ups a row allows.
func TestAccBadInputFailsAtPlan(t *testing.T) {
	for _, bad := range badInputs {
		t.Run(strings.ReplaceAll(bad.name, " ", "_"), func(t *testing.T) {
			env := acctest.New(t)
			providerCfg := env.ProviderConfig()
			if strings.HasPrefix(bad.name, "provider ") {
				providerCfg = env.ProviderConfig(`  request_timeout = "soon"`)
			}
			acctest.Test(t, resource.TestStep{
				Config:      providerCfg + bad.hcl,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)` + bad.want),
			})
			allowed := map[string]bool{}
			for _, r := range bad.reads {
				allowed[r] = true
			}
			for _, r := range env.Sandbox.Requests("") {
				if !allowed[r.Route] {
					t.Errorf("a plan-time error sent %s %s to %s", r.Method, r.Path, r.Platform)
				}
			}
		})
	}
}

// TestAccMissingPlatformBlock: a resource of a platform whose block is
// absent (and whose environment variables are unset) fails at plan with
// an error naming the block.
func TestAccMissingPlatformBlock(t *testing.T) {
	for _, v := range []string{
		"SMARTDOCUMENTOR_ENDPOINT", "SMARTDOCUMENTOR_CLIENT_ID", "SMARTDOCUMENTOR_CLIENT_SECRET", "SMARTDOCUMENTOR_ACCESS_TOKEN",
		"DOCSPACE_ENDPOINT", "DOCSPACE_TOKEN", "DOCSPACE_AUTH_KEY", "ATTACKFORGE_ENDPOINT", "ATTACKFORGE_API_KEY",
		"GOLDLEAF_ENDPOINT", "GOLDLEAF_API_KEY", "GOLDLEAF_API_KEY_NAME", "GOLDLEAF_ACCESS_TOKEN", "ROYALTI_ENDPOINT", "ROYALTI_TOKEN",
	} {
		t.Setenv(v, "")
	}
	env := acctest.New(t)
	cases := map[string]string{
		"smartdocumentor": sdInvite(`1`, `"jane@example.com"`, `"Viewer"`),
		"docspace": `resource "membership_docspace_invitation" "x" {
  email = "jane@example.com"
  type  = "User"
}`,
		"attackforge": afMember(`"`+sandbox.AFProjectNetwork+`"`, `"alice@example.com"`, `"View"`, ""),
		"goldleaf":    `resource "membership_goldleaf_organization_invitation" "x" { email = "jane@example.com" }`,
		"royalti":     `resource "membership_royalti_workspace_invitation" "x" { email = "jane@example.com" }`,
	}
	var steps []resource.TestStep
	for block, hcl := range cases {
		steps = append(steps, resource.TestStep{
			Config:      `provider "membership" {}` + "\n" + hcl,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)is not configured.*has\s+no\s+"` + block + `"\s+block.*` + block + ` \{`),
		})
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
	env.CheckNoRequests(t)
}
