package royalti

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Table tests of Royalti's rules (rules.go), over plain values.

func withInvite(role, status string) *User {
	u := &User{ID: "u1", Email: "jane@example.com", Role: role}
	if status != "" {
		u.Invite = &Invite{ID: "i1", Status: status}
	}
	return u
}

func TestInviteStatusRules(t *testing.T) {
	cases := []struct {
		name            string
		u               *User
		status          string
		pending, absent bool
		manageable      bool
	}{
		{"no invite counts as joined", withInvite(RoleUser, ""), StatusJoined, false, false, true},
		{"empty status counts as joined", &User{Role: RoleUser, Invite: &Invite{}}, StatusJoined, false, false, true},
		{"pending", withInvite(RoleUser, StatusInvited), StatusInvited, true, false, true},
		{"joined admin", withInvite(RoleAdmin, StatusJoined), StatusJoined, false, false, true},
		{"cancelled is absent", withInvite(RoleUser, StatusCancelled), StatusCancelled, false, true, false},
		{"the owner is not manageable", withInvite(RoleOwner, ""), StatusJoined, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.u.InviteStatus(); got != c.status {
				t.Errorf("InviteStatus = %q, want %q", got, c.status)
			}
			if got := c.u.InvitePending(); got != c.pending {
				t.Errorf("InvitePending = %v, want %v", got, c.pending)
			}
			if got := countsAsAbsent(c.u); got != c.absent {
				t.Errorf("countsAsAbsent = %v, want %v", got, c.absent)
			}
			if got := manageable(c.u); got != c.manageable {
				t.Errorf("manageable = %v, want %v", got, c.manageable)
			}
		})
	}
	if !countsAsAbsent(nil) {
		t.Error("countsAsAbsent(nil) = false: no user is no member")
	}
}

func TestRoleRules(t *testing.T) {
	cases := []struct {
		role      string
		admin     bool
		protected bool
	}{
		{RoleUser, false, false},
		{RoleAdmin, true, false},
		{RoleOwner, true, true},
		{"", false, false},
	}
	for _, c := range cases {
		if got := isAdminRole(c.role); got != c.admin {
			t.Errorf("isAdminRole(%q) = %v, want %v", c.role, got, c.admin)
		}
		if got := protectedReason(c.role) != ""; got != c.protected {
			t.Errorf("protectedReason(%q) = %q, want protected %v", c.role, protectedReason(c.role), c.protected)
		}
	}
	if slices.Contains(assignableRoles, RoleOwner) {
		t.Error("the owner's role is assignable")
	}
}

func TestMayBeAdopted(t *testing.T) {
	cases := []struct {
		status int
		want   bool
	}{
		{http.StatusBadRequest, true},
		{http.StatusConflict, true},
		{http.StatusUnprocessableEntity, true},
		{http.StatusUnauthorized, false},
		{http.StatusForbidden, false},
		{http.StatusNotFound, false},
		{http.StatusInternalServerError, false},
		{http.StatusOK, false},
		{0, false}, // no answer (a transport error)
	}
	for _, c := range cases {
		if got := mayBeAdopted(c.status); got != c.want {
			t.Errorf("mayBeAdopted(%d) = %v, want %v", c.status, got, c.want)
		}
	}
}

func TestAlreadyInWorkspace(t *testing.T) {
	cases := []struct {
		status  int
		message string
		want    bool
	}{
		{http.StatusBadRequest, "User already exists in this workspace", true},
		{http.StatusBadRequest, "ALREADY invited", true},
		{http.StatusBadRequest, "email is not valid", false},
		{http.StatusConflict, "already exists", false},
	}
	for _, c := range cases {
		if got := alreadyInWorkspace(c.status, c.message); got != c.want {
			t.Errorf("alreadyInWorkspace(%d, %q) = %v, want %v", c.status, c.message, got, c.want)
		}
	}
}

func TestEnvelopeAndUserRules(t *testing.T) {
	r := shared.Request{Op: "read tenant user u1", Method: http.MethodGet, Path: "/user/u1"}
	if err := envelopeError(r, true, "ignored"); err != nil {
		t.Errorf("an answer with data: %v", err)
	}
	var ee *EnvelopeError
	if err := envelopeError(r, false, "Workspace not found"); !errors.As(err, &ee) || ee.Message != "Workspace not found" || ee.Path != r.Path {
		t.Errorf("an answer without data: %v", err)
	}
	cases := []struct {
		u    User
		want bool
	}{
		{User{ID: "u1", Email: "jane@example.com"}, true},
		{User{ID: "u1"}, false},
		{User{Email: "jane@example.com"}, false},
		{User{}, false},
	}
	for _, c := range cases {
		if got := isUser(c.u); got != c.want {
			t.Errorf("isUser(%+v) = %v, want %v", c.u, got, c.want)
		}
	}
}

func TestResendRefusal(t *testing.T) {
	const email = "jane@example.com"
	noInviteID := withInvite(RoleUser, StatusInvited)
	noInviteID.Invite.ID = ""
	cases := []struct {
		name string
		u    *User // nil: not in the workspace
		want string
	}{
		{"pending", withInvite(RoleUser, StatusInvited), ""},
		{"not a member", nil, "is not a member of the workspace"},
		{"no invitation", withInvite(RoleUser, ""), "has no invitation (joined)"},
		{"an invite without id", noInviteID, "has no invitation (invited)"},
		{"joined", withInvite(RoleUser, StatusJoined), "has already joined"},
		{"cancelled", withInvite(RoleUser, StatusCancelled), "invitation is cancelled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var users []User
			if c.u != nil {
				users = []User{*c.u}
			}
			dir := newDirectory(users, nil, nil)
			if c.u != nil {
				dir.ByID[c.u.ID].Invite = c.u.Invite // newDirectory takes invites from the listing
			}
			u, why := resendRefusal(dir, strings.ToUpper(email))
			if (u == nil) != (c.u == nil) {
				t.Errorf("user = %+v", u)
			}
			if c.want == "" && why != "" || !strings.Contains(why, c.want) {
				t.Errorf("refusal = %q, want %q", why, c.want)
			}
		})
	}
}

func TestProfileRules(t *testing.T) {
	jane, doe, other := "Jane", "Doe", "Other"
	cases := []struct {
		name       string
		want, have Profile
		fields     []string
		difference shared.Difference
		shaped     Profile // shapeProfile(have, want)
	}{
		{"same", Profile{Role: RoleUser, FirstName: &jane}, Profile{Role: RoleUser, FirstName: &jane, LastName: &doe},
			nil, shared.Same, Profile{Role: RoleUser, FirstName: &jane}},
		{"role differs", Profile{Role: RoleAdmin}, Profile{Role: RoleUser}, []string{"role"}, shared.InPlace, Profile{Role: RoleUser}},
		{"names differ", Profile{Role: RoleUser, FirstName: &other, LastName: &doe}, Profile{Role: RoleUser, FirstName: &jane},
			[]string{"firstName", "lastName"}, shared.InPlace, Profile{Role: RoleUser, FirstName: &jane}},
		{"unmanaged names are not compared", Profile{Role: RoleUser}, Profile{Role: RoleUser, FirstName: &jane},
			nil, shared.Same, Profile{Role: RoleUser}},
		{"the owner's role is never compared", Profile{Role: RoleUser}, Profile{Role: RoleOwner},
			[]string{"role"}, shared.Same, Profile{Role: RoleUser}},
		{"the owner's names are", Profile{Role: RoleUser, FirstName: &other}, Profile{Role: RoleOwner, FirstName: &jane},
			[]string{"firstName", "role"}, shared.InPlace, Profile{Role: RoleUser, FirstName: &jane}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := slices.Sorted(maps.Keys(c.want.Fields(c.have))); !slices.Equal(got, c.fields) {
				t.Errorf("Fields = %v, want %v", got, c.fields)
			}
			if got := compareProfiles(c.want, c.have); got != c.difference {
				t.Errorf("compareProfiles = %v, want %v", got, c.difference)
			}
			got := shapeProfile(c.have, c.want)
			if got.Role != c.shaped.Role || shared.Deref(got.FirstName) != shared.Deref(c.shaped.FirstName) || got.LastName != nil && c.want.LastName == nil {
				t.Errorf("shapeProfile = %+v, want %+v", got, c.shaped)
			}
		})
	}
}
