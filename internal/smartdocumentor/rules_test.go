package smartdocumentor

import (
	"fmt"
	"strings"
	"testing"
)

// The tenant's default roles and the members the rules are tested with.
const (
	roleViewer  = "Viewer"
	roleManager = "Manager"
	testWS      = int64(7)
	otherWS     = int64(8)
	testEmail   = "jane@example.com"
)

var defaultRoles = []string{"Administrator", roleManager, "Creator", "Reviewer", roleViewer}

func TestCheckRole(t *testing.T) {
	for _, tc := range []struct {
		name, role string
		roles      []string
		want       []string // what the refusal says ("" when none: accepted)
	}{
		{"a tenant role", roleViewer, defaultRoles, nil},
		{"another case", strings.ToLower(roleViewer), defaultRoles, []string{`did you mean "Viewer"`, `Valid roles: "Administrator", "Manager", "Creator", "Reviewer", "Viewer".`}},
		{"unknown", "Owner", defaultRoles, []string{`got "Owner"`, "Valid roles:"}},
		{"a tenant without roles", roleViewer, nil, []string{"no roles at all"}},
	} {
		why := checkRole(tc.role, tc.roles)
		if (why == "") != (tc.want == nil) {
			t.Errorf("%s: checkRole = %q, want refused %v", tc.name, why, tc.want != nil)
		}
		for _, w := range tc.want {
			if !strings.Contains(why, w) {
				t.Errorf("%s: %q does not say %q", tc.name, why, w)
			}
		}
	}
}

func TestSameMember(t *testing.T) {
	jane := membership{Workspace: testWS, Email: testEmail, Role: roleViewer}
	for _, tc := range []struct {
		name  string
		other membership
		same  bool
	}{
		{"itself", jane, true},
		{"email in another case", membership{Workspace: testWS, Email: strings.ToUpper(testEmail), Role: roleViewer}, true},
		{"another role", membership{Workspace: testWS, Email: testEmail, Role: roleManager}, true},
		{"another workspace", membership{Workspace: otherWS, Email: testEmail, Role: roleViewer}, false},
		{"another email", membership{Workspace: testWS, Email: "john@example.com", Role: roleViewer}, false},
	} {
		if got := sameMember(jane, tc.other); got != tc.same {
			t.Errorf("%s: sameMember = %v, want %v", tc.name, got, tc.same)
		}
	}
}

// The API can neither remove anyone nor change a role: what the plan
// says about it.
func TestKeptAccessAndRoleChange(t *testing.T) {
	for _, tc := range []struct {
		name   string
		m      membership
		person string
	}{
		{"with a role", membership{Workspace: testWS, Email: testEmail, Role: roleViewer}, testEmail + ` (role "Viewer")`},
		{"role unknown", membership{Workspace: testWS, Email: testEmail}, testEmail},
	} {
		k := keptAccess(tc.m)
		if len(k.People) != 1 || k.People[0] != tc.person || !k.OnlyForgets || !strings.Contains(k.Where, fmt.Sprintf("workspace %d", testWS)) {
			t.Errorf("%s: keptAccess = %+v, want %q kept in workspace %d, only forgotten", tc.name, k, tc.person, testWS)
		}
	}
	detail := roleChangeDetail(membership{Workspace: testWS, Email: testEmail, Role: roleViewer}, roleManager)
	for _, w := range []string{testEmail, `with role "Viewer"`, `asks for "Manager"`, `set role = "Viewer"`, "web app"} {
		if !strings.Contains(detail, w) {
			t.Errorf("roleChangeDetail does not say %q: %s", w, detail)
		}
	}
}

func TestParseImportID(t *testing.T) {
	good := map[string]struct {
		ws    int64
		email string
	}{
		"1/jane@example.com":      {1, "jane@example.com"},
		"42/Jane.Doe@Example.com": {42, "Jane.Doe@Example.com"},
	}
	for id, want := range good {
		ws, email, err := parseImportID(id)
		if err != nil || ws != want.ws || email != want.email {
			t.Fatalf("%q: %d %q %v", id, ws, email, err)
		}
	}
	for _, id := range []string{"", "1", "jane@example.com", "x/jane@example.com", "0/jane@example.com", "-1/jane@example.com", "01/jane@example.com", "1/", "1/not-an-email", "1/ jane@example.com"} {
		if _, _, err := parseImportID(id); err == nil || !strings.Contains(err.Error(), `"<workspace_id>/<email>"`) {
			t.Fatalf("%q: err = %v", id, err)
		}
	}
}
