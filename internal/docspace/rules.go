package docspace

// rules.go: what DocSpace refuses, known before sending, as pure functions
// over plain values (a user, the caller, a listing): the checks of
// DocSpace's UserController, so that a plan refuses what an apply could
// not do. Each says why in a sentence, or "" when DocSpace would not
// refuse. Table-tested in rules_test.go.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Protection says why DocSpace refuses to terminate, delete or change the
// type of u when the provider signs in as caller, or "" when it does not:
// PUT people/status answers 403 for the whole call when it holds the
// owner, the caller, or a DocSpace admin while the caller is not the owner
// (UserController.UpdateUserStatus); PUT people/type rejects the owner and
// the caller and leaves DocSpace admins alone unless the owner asks.
func Protection(u, caller User) string {
	switch {
	case u.IsOwner:
		return "the portal owner"
	case caller.ID != "" && strings.EqualFold(u.ID, caller.ID):
		return "the account whose credentials the provider uses"
	case u.IsAdmin && !caller.IsOwner:
		return "a DocSpace admin, and only the portal owner may remove DocSpace admins or change their type (the provider's credentials are not the owner's)"
	}
	return ""
}

// Manageable reports whether onboarding should adopt u: not terminated
// and not protected from the caller (see Protection).
func Manageable(u, caller User) bool { return !u.Terminated() && Protection(u, caller) == "" }

// isAdmin reports whether u may administer people (DocSpace admins and the
// owner).
func isAdmin(u User) bool { return u.IsOwner || u.IsAdmin }

// guestRefusal says how guests are invited: DocSpace's people/invite
// refuses type Guest for everyone (UserController.InviteUsers).
const guestRefusal = "DocSpace's POST /api/2.0/people/invite refuses type Guest for everyone (HTTP 403 \"Access denied\"): " +
	"guests join a DocSpace portal through rooms, by being invited to a room (the room's sharing settings in the web interface, or the rooms API), never as portal invitations. " +
	"Invite this person to a room instead, or invite them here as User; an existing portal user's type can be changed to Guest where the portal allows guests"

// InviteRefusal says why DocSpace would refuse to invite a new person as
// typ when the provider signs in as caller, or "" (the checks of
// UserController.InviteUsers).
func InviteRefusal(typ string, caller User) string {
	switch {
	case typ == "Guest":
		return guestRefusal
	case caller.IsVisitor || caller.Type() == "User":
		return "the provider's credentials are a " + caller.Type() + "'s, and only DocSpace admins and room admins may invite people: use an admin's API key"
	case typ == "RoomAdmin" && !isAdmin(caller):
		return "only DocSpace admins may invite room admins, and the provider's credentials are a " + caller.Type() + "'s: use an admin's API key"
	case typ == "DocSpaceAdmin" && !caller.IsOwner:
		return "only the portal owner may invite DocSpace admins: use the owner's API key"
	}
	return ""
}

// TypeChangeRefusal says why DocSpace would not change u's type to typ
// when the provider signs in as caller, or "".
func TypeChangeRefusal(u User, typ string, caller User) string {
	switch {
	case Protection(u, caller) != "":
		return "it is " + Protection(u, caller) + ", whose type DocSpace does not change"
	case !isAdmin(caller):
		return "only DocSpace admins may change user types, and the provider's credentials are a " + caller.Type() + "'s"
	case typ == "DocSpaceAdmin" && !caller.IsOwner:
		return "only the portal owner may make DocSpace admins: use the owner's API key"
	}
	return ""
}

// MemberPlan checks, before anything is sent, what making email a portal
// member of type typ would take, given the listing and the caller: a
// refusal when DocSpace would refuse it, and a note when the plan does
// more than an invitation (a terminated user is re-activated). With
// manage, the user must also be one the provider may remove later.
func MemberPlan(dir Directory, caller User, email, typ string, manage bool) (note, refusal string) {
	u, ok := dir.UserByEmail(email)
	if !ok {
		return "", InviteRefusal(typ, caller)
	}
	if manage {
		if why := Protection(u, caller); why != "" {
			return "", fmt.Sprintf("%s is %s: DocSpace refuses to remove it or change its type with these credentials, so this resource cannot manage it", u.Email, why)
		}
	}
	if u.Terminated() {
		if why := Protection(u, caller); why != "" {
			return "", fmt.Sprintf("%s is terminated (disabled) on the portal and is %s: DocSpace refuses to re-activate it with these credentials", u.Email, why)
		}
		note = fmt.Sprintf("%s (user %s) is terminated (disabled) on the portal, and DocSpace refuses to invite a disabled address again: "+
			"the apply re-activates this user (PUT /api/2.0/people/status/Active) instead, keeping its id, profile and data.", u.Email, u.ID)
	}
	if u.Type() != typ {
		if why := TypeChangeRefusal(u, typ, caller); why != "" {
			return note, fmt.Sprintf("%s already is a DocSpace user of type %s and cannot be made %s: %s", u.Email, u.Type(), typ, why)
		}
	}
	return note, ""
}

// SuccessorRefusal checks, in a listing of the portal, that email may
// receive the data of leaving: an active room admin or DocSpace admin
// (the owner too), other than leaving. It returns that user, or why not.
func SuccessorRefusal(dir Directory, email string, leaving User) (User, string) {
	s, ok := dir.UserByEmail(email)
	return s, successorWhy(s, ok, email, leaving)
}

func successorWhy(s User, found bool, email string, leaving User) string {
	switch {
	case !found:
		return fmt.Sprintf("the portal has no user %s", email)
	case strings.EqualFold(s.ID, leaving.ID):
		return fmt.Sprintf("%s is the person being removed", email)
	case s.Status != StatusActive:
		return fmt.Sprintf("%s is not active (status %s); DocSpace reassigns data only to active users", email, StatusWord(s.Status))
	case !s.IsOwner && !s.IsAdmin && !s.IsRoomAdmin:
		return fmt.Sprintf("%s is a %s; DocSpace reassigns data only to room admins and DocSpace admins", email, s.Type())
	}
	return ""
}

// resendRefusal says why email cannot have its invitation re-sent, or "".
func resendRefusal(dir Directory, email string) string {
	u, ok := dir.UserByEmail(email)
	switch {
	case !ok:
		return fmt.Sprintf("%s is not on the portal: there is no invitation to send again (invite them with membership_docspace_invitation; "+
			"an invitation created by this same apply needs no re-send)", email)
	case u.Terminated():
		return fmt.Sprintf("%s is terminated (disabled): DocSpace sends nothing to a disabled account", email)
	case !u.InvitePending():
		return fmt.Sprintf("%s has already joined the portal (status %s): there is no pending invitation to send again", email, StatusWord(u.Status))
	}
	return ""
}

// stillPending splits emails by what now (the pending users by
// shared.NormalizeEmail, as PendingUsers reads them) says: the users whose
// invitation is still open, by email, and why each of the others gets no
// re-send (DocSpace sends nothing to them).
func stillPending(now map[string]User, emails []string) (pending []User, skipped []string) {
	for _, e := range emails {
		u, ok := now[shared.NormalizeEmail(e)]
		if !ok || !u.InvitePending() {
			skipped = append(skipped, fmt.Sprintf("%s is no longer a pending invitee of the portal (joined, terminated or removed)", e))
			continue
		}
		pending = append(pending, u)
	}
	slices.SortFunc(pending, func(a, b User) int {
		return strings.Compare(shared.NormalizeEmail(a.Email), shared.NormalizeEmail(b.Email))
	})
	return pending, skipped
}

// terminatedMember is the type a member of membership_docspace_invitations
// has in state while its user is terminated (disabled) on the portal.
const terminatedMember = "Terminated"

// memberType is u's type as membership_docspace_invitations records it.
func memberType(u User) string {
	if u.Terminated() {
		return terminatedMember
	}
	return u.Type()
}
