package royalti

// Royalti's rules: what the API refuses or means, as pure functions over
// plain values (table-tested in rules_test.go).

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Roles of a tenant user.
const (
	RoleUser  = "user"
	RoleAdmin = "admin"
	// RoleOwner is the workspace owner's: it cannot be assigned, and the
	// owner cannot be invited, re-assigned or removed.
	RoleOwner = "owner"
)

// assignableRoles are the roles an invitation or an update can give.
var assignableRoles = []string{RoleUser, RoleAdmin}

// Invite statuses.
const (
	StatusInvited   = "invited"
	StatusJoined    = "joined"
	StatusCancelled = "cancelled"
)

// isAdminRole reports whether a role administers the workspace.
func isAdminRole(role string) bool { return role == RoleAdmin || role == RoleOwner }

// protectedReason is why a tenant user with role can never be removed or
// re-assigned ("" when it can): the workspace owner.
func protectedReason(role string) string {
	if role == RoleOwner {
		return "the workspace owner"
	}
	return ""
}

// InviteStatus is the user's invite status; a user without an invite (the
// owner, or a user added without one) counts as joined.
func (u *User) InviteStatus() string {
	if u.Invite == nil || u.Invite.Status == "" {
		return StatusJoined
	}
	return u.Invite.Status
}

// InvitePending reports an invitation not yet accepted (status invited).
func (u *User) InvitePending() bool { return u.InviteStatus() == StatusInvited }

// countsAsAbsent reports whether a tenant user is not a member: there is
// none, or its invite was cancelled (it is invited again when wanted).
func countsAsAbsent(u *User) bool { return u == nil || u.InviteStatus() == StatusCancelled }

// manageable reports whether u can be managed by an invitation resource:
// not the owner, not a cancelled invitation.
func manageable(u *User) bool { return protectedReason(u.Role) == "" && !countsAsAbsent(u) }

// mayBeAdopted reports whether an invite refused with status may be for an
// email that already has a tenant user (invited by hand, or by a retried
// invite whose first answer was lost): a 4xx other than 401, 403 and 404.
// The listing decides, not the message's wording.
func mayBeAdopted(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return false
	}
	return status >= 400 && status < 500
}

// alreadyInWorkspace reports an invite refused because the email already
// has a tenant user: a 400 whose message says "already".
func alreadyInWorkspace(status int, message string) bool {
	return status == http.StatusBadRequest && strings.Contains(strings.ToLower(message), "already")
}

// envelopeError is the rule for a 2xx answer: one without the data asked
// for (hasData false) carries Royalti's error envelope ({"message": ...})
// and is an *EnvelopeError, never an empty result; nil otherwise.
func envelopeError(r shared.Request, hasData bool, message string) error {
	if hasData {
		return nil
	}
	return &EnvelopeError{Op: r.Op, Method: r.Method, Path: r.Path, Message: message}
}

// isUser reports whether an answer to GET /user/{id} is a user: it has an
// id and an email.
func isUser(u User) bool { return u.ID != "" && u.Email != "" }

// workspaceIDRe is what a workspace id looks like: no spaces or slashes.
var workspaceIDRe = regexp.MustCompile(`^[^\s/]+$`)

// resendRefusal says why email's invitation cannot be re-sent ("" when it
// can), with the user dir has for it: Royalti re-sends only pending
// invitations.
func resendRefusal(dir *Directory, email string) (*User, string) {
	u := dir.ByEmail(email)
	switch {
	case u == nil:
		return nil, fmt.Sprintf("%s is not a member of the workspace: there is no invitation to send again (invite them with membership_royalti_workspace_invitation; "+
			"an invitation created by this same apply needs no re-send)", email)
	case u.Invite == nil || u.Invite.ID == "":
		return u, fmt.Sprintf("%s has no invitation (%s): there is nothing to send again", email, u.InviteStatus())
	case u.InviteStatus() == StatusJoined:
		return u, fmt.Sprintf("%s has already joined the workspace: there is no pending invitation to send again", email)
	case u.InviteStatus() != StatusInvited:
		return u, fmt.Sprintf("%s's invitation is %s: Royalti re-sends only pending invitations", email, u.InviteStatus())
	}
	return u, ""
}

// compareProfiles: the role and the names the configuration sets (a nil
// name is not managed) are changed in place (PATCH /user/{id}). The
// owner's role is never compared: it cannot be changed, and the owner
// may be listed with any role.
func compareProfiles(want, have Profile) shared.Difference {
	if len(want.Fields(have)) == 0 || (have.Role == RoleOwner && len(Profile{FirstName: want.FirstName, LastName: want.LastName}.Fields(have)) == 0) {
		return shared.Same
	}
	return shared.InPlace
}

// shapeProfile gives an observed profile the form of the wanted or prior
// one: the names it does not manage are nil, and the owner keeps the role
// it is listed with.
func shapeProfile(have, like Profile) Profile {
	if like.FirstName == nil {
		have.FirstName = nil
	}
	if like.LastName == nil {
		have.LastName = nil
	}
	if have.Role == RoleOwner && like.Role != "" {
		have.Role = like.Role
	}
	return have
}
