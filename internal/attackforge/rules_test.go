package attackforge

import (
	"context"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Values the rules are tested with: an id, an email, a username and a
// project role the API accepts.
const (
	testUserID   = "6132a2db9239f0975f505c4b"
	testEmail    = "jane@example.com"
	testUsername = "jane.doe"
	testRole     = "Pentester"
	otherRole    = "Client"
)

func ptr(s string) *string { return &s }

func TestUserKind(t *testing.T) {
	for _, tc := range []struct {
		user string
		want kindOfUser
	}{
		{testEmail, kindEmail},
		{"Jane@Example.COM", kindEmail},
		{"jane@", kindInvalid},
		{testUserID, kindID},
		{strings.ToUpper(testUserID), kindUsername}, // ids are lower case: this is a (valid) username
		{testUserID[1:], kindUsername},
		{testUsername, kindUsername},
		{"jane_doe+qa-1", kindUsername},
		{".jane", kindInvalid},
		{"jane doe", kindInvalid},
		{strings.Repeat("j", 101), kindInvalid},
		{"", kindInvalid},
		{"a/b", kindInvalid},
	} {
		if got := userKind(tc.user); got != tc.want {
			t.Errorf("userKind(%q) = %v, want %v", tc.user, got, tc.want)
		}
		if valid := validateUser(tc.user) == ""; valid != (tc.want != kindInvalid) {
			t.Errorf("validateUser(%q) = %q, want valid %v", tc.user, validateUser(tc.user), tc.want != kindInvalid)
		}
	}
}

func TestValidateObjectID(t *testing.T) {
	for id, valid := range map[string]bool{
		testUserID:                           true,
		exampleObjectID:                      true,
		strings.ToUpper(testUserID):          false,
		testUserID + "0":                     false,
		testUserID[1:]:                       false,
		strings.Repeat("g", len(testUserID)): false,
		"":                                   false,
	} {
		if got := validateObjectID(id) == ""; got != valid {
			t.Errorf("validateObjectID(%q) = %q, want valid %v", id, validateObjectID(id), valid)
		}
	}
}

func TestSameUser(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{testEmail, strings.ToUpper(testEmail), true},
		{testEmail, " " + testEmail, true},
		{testUsername, testUsername, true},
		{testUsername, strings.ToUpper(testUsername), false}, // usernames compare exactly
		{testUserID, testUserID, true},
		{testEmail, testUsername, false},
	} {
		if got := sameUser(tc.a, tc.b); got != tc.same {
			t.Errorf("sameUser(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

func TestListedUserAndTeamKey(t *testing.T) {
	for _, tc := range []struct {
		name          string
		u             User
		listed, teamK string
	}{
		{"email", User{ID: testUserID, Email: "Jane@Example.com", Username: testUsername}, testEmail, testEmail},
		{"no email", User{ID: testUserID, Username: testUsername}, testUsername, testUserID},
		{"invalid email", User{ID: testUserID, Email: "jane@", Username: testUsername}, testUsername, testUserID},
		{"id only", User{ID: testUserID}, testUserID, testUserID},
	} {
		if got := listedUser(tc.u); got != tc.listed {
			t.Errorf("%s: listedUser = %q, want %q", tc.name, got, tc.listed)
		}
		if got := teamKey(tc.u); got != tc.teamK {
			t.Errorf("%s: teamKey = %q, want %q", tc.name, got, tc.teamK)
		}
	}
}

// compareMembers: an access level changes in place; a project role
// cannot, except one never read, which is adopted; unset is not managed.
func TestCompareMembers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		want, have member
		diff       shared.Difference
	}{
		{"nothing managed", member{}, member{AccessLevel: ptr(accessEdit), ProjectRole: ptr(testRole)}, shared.Same},
		{"same", member{AccessLevel: ptr(accessView), ProjectRole: ptr(testRole)}, member{AccessLevel: ptr(accessView), ProjectRole: ptr(testRole)}, shared.Same},
		{"level changed", member{AccessLevel: ptr(accessEdit)}, member{AccessLevel: ptr(accessView)}, shared.InPlace},
		{"level set", member{AccessLevel: ptr(accessEdit)}, member{}, shared.InPlace},
		{"role changed", member{ProjectRole: ptr(otherRole)}, member{ProjectRole: ptr(testRole)}, shared.Replace},
		{"role set on a member invited without", member{ProjectRole: ptr(testRole)}, member{}, shared.Replace},
		{"role set on a member found on the team", member{ProjectRole: ptr(testRole)}, member{Unread: true}, shared.InPlace},
		{"role set on a member whose role was never read", member{ProjectRole: ptr(testRole)}, member{RoleUnknown: true}, shared.InPlace},
		{"role changed and level changed", member{AccessLevel: ptr(accessEdit), ProjectRole: ptr(otherRole)}, member{AccessLevel: ptr(accessView), ProjectRole: ptr(testRole)}, shared.Replace},
	} {
		if got := compareMembers(tc.want, tc.have); got != tc.diff {
			t.Errorf("%s: compareMembers = %v, want %v", tc.name, got, tc.diff)
		}
	}
}

func TestShapeAndAdoptMember(t *testing.T) {
	state := member{AccessLevel: ptr(accessUpload), ProjectRole: ptr(testRole)}
	if got := shapeMember(member{Unread: true}, state); !sameString(got.AccessLevel, state.AccessLevel) || !sameString(got.ProjectRole, state.ProjectRole) {
		t.Errorf("shapeMember of an unread member = %+v, want the state's %+v", got, state)
	}
	read := member{AccessLevel: ptr(accessView)}
	if got := shapeMember(read, state); !sameString(got.AccessLevel, read.AccessLevel) {
		t.Errorf("shapeMember of a read member = %+v, want it as read", got)
	}
	for _, tc := range []struct {
		name        string
		want, have  member
		roleUnknown bool
	}{
		{"found on the team, no role configured", member{}, member{Unread: true}, true},
		{"found on the team, role configured", member{ProjectRole: ptr(testRole)}, member{Unread: true}, false},
		{"role never read, still none configured", member{}, member{RoleUnknown: true}, true},
		{"invited by this resource", member{}, member{}, false},
	} {
		if got := adoptMember(tc.want, tc.have); got.RoleUnknown != tc.roleUnknown {
			t.Errorf("%s: adoptMember RoleUnknown = %v, want %v", tc.name, got.RoleUnknown, tc.roleUnknown)
		}
	}
}

// refusals only warn: what the plan cannot show (an unreadable level
// overwritten, a role change that removes and invites again).
func TestRefusals(t *testing.T) {
	scope := teamScope{ProjectID: exampleObjectID}
	level := shared.Member[member]{Key: testEmail, Want: member{AccessLevel: ptr(accessEdit)}}
	replaced := shared.Member[member]{Key: testUsername, Want: member{ProjectRole: ptr(otherRole)}, Replace: true}
	for _, tc := range []struct {
		name     string
		review   shared.Review[member, scopeAlias]
		keys     []string
		contains string
	}{
		{"nothing", shared.Review[member, scopeAlias]{Scope: scope}, nil, ""},
		{"level over an unreadable one", shared.Review[member, scopeAlias]{Scope: scope, Changes: shared.Changes[member]{Update: []shared.Member[member]{level}}}, []string{testEmail}, "cannot be read"},
		{"level over a known one", shared.Review[member, scopeAlias]{Scope: scope, Changes: shared.Changes[member]{Update: []shared.Member[member]{
			{Key: testEmail, Want: member{AccessLevel: ptr(accessEdit)}, Have: member{AccessLevel: ptr(accessView)}}}}}, nil, ""},
		{"role change", shared.Review[member, scopeAlias]{Scope: scope, Changes: shared.Changes[member]{Remove: []shared.Member[member]{replaced}}}, []string{testUsername}, "invites them again as " + otherRole},
		{"removal", shared.Review[member, scopeAlias]{Scope: scope, Changes: shared.Changes[member]{Remove: []shared.Member[member]{{Key: testUsername}}}}, nil, ""},
		{"creation with levels", shared.Review[member, scopeAlias]{Scope: scope, Creating: true, Changes: shared.Changes[member]{Invite: []shared.Member[member]{level, {Key: testUsername}}}}, []string{""}, testEmail},
		{"creation without levels", shared.Review[member, scopeAlias]{Scope: scope, Creating: true, Changes: shared.Changes[member]{Invite: []shared.Member[member]{{Key: testUsername}}}}, nil, ""},
	} {
		got := refusals(context.Background(), tc.review)
		if len(got) != len(tc.keys) {
			t.Errorf("%s: %d refusals, want %d: %+v", tc.name, len(got), len(tc.keys), got)
			continue
		}
		for i, r := range got {
			if !r.Warning || r.Key != tc.keys[i] || !strings.Contains(r.Summary+r.Detail, tc.contains) || !strings.Contains(r.Detail, scope.ProjectID) {
				t.Errorf("%s: refusal %d = %+v, want a warning on %q mentioning %q and the project", tc.name, i, r, tc.keys[i], tc.contains)
			}
		}
	}
}

func TestParseImportID(t *testing.T) {
	good := map[string][2]string{
		"620f1707c66ef8821d35ee17/jane@example.com":         {"620f1707c66ef8821d35ee17", "jane@example.com"},
		"620f1707c66ef8821d35ee17/bob":                      {"620f1707c66ef8821d35ee17", "bob"},
		"620f1707c66ef8821d35ee17/6132a2db9239f0975f505c4b": {"620f1707c66ef8821d35ee17", "6132a2db9239f0975f505c4b"},
	}
	for id, want := range good {
		p, u, err := parseImportID(id)
		if err != nil || p != want[0] || u != want[1] {
			t.Errorf("%q: %q %q %v", id, p, u, err)
		}
	}
	for _, id := range []string{"", "620f1707c66ef8821d35ee17", "620f1707c66ef8821d35ee17/", "x/bob", "620f1707c66ef8821d35ee17/a/b", "620f1707c66ef8821d35ee17/a@"} {
		if _, _, err := parseImportID(id); err == nil || !strings.Contains(err.Error(), "<project_id>/<user>") {
			t.Errorf("%q: %v", id, err)
		}
	}
}

// scopeAlias keeps the table above readable.
type scopeAlias = teamScope
