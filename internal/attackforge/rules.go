package attackforge

// The Self-Service API's rules, as pure functions over plain values: what
// a `user` value is, which ids, access levels and project roles the API
// accepts, which answer statuses mean success. Table-tested in
// rules_test.go.

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// The project access levels team/invite and access/:user_id accept.
const (
	accessView   = "View"
	accessUpload = "Upload"
	accessEdit   = "Edit"
)

// accessLevels are the project access levels the API accepts, least first.
var accessLevels = []string{accessView, accessUpload, accessEdit}

// leastAccessLevel is the level a member is invited with when the
// configuration sets none: the least access (team/invite needs one).
const leastAccessLevel = accessView

// projectRoles are the project roles team/invite accepts.
var projectRoles = []string{
	"Not Assigned", "Client", "Consultant", "Pentester", "Pentest Lead", "Security Manager",
	"Project Manager", "Executive", "Business Owner", "Developer", "Engineer", "Architect",
	"Red Team", "Blue Team", "SOC",
}

// The statuses of a team/invite or team/remove `result` entry this
// provider acts on (each entry of an HTTP 200 answer has its own).
const (
	statusInvited            = "Invited"
	statusRemoved            = "Removed"
	statusUserNotFound       = "User Not Found"
	statusInvalidAccessLevel = "Invalid accessLevel"
)

// maxPerRequest bounds the users[] of one team/invite or team/remove
// request (the API documents no limit; this keeps requests reasonable).
const maxPerRequest = 100

var (
	// objectIDRe is an AttackForge id (a MongoDB ObjectId): 24 lowercase
	// hexadecimal characters.
	objectIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)
	// usernameRe is the username this provider accepts: letters, digits,
	// '.', '_', '+' or '-', at most 100 characters.
	usernameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+\-]{0,99}$`)
)

// exampleObjectID is an id to show in messages.
const exampleObjectID = "620f1707c66ef8821d35ee17"

// kindOfUser is what a `user` value names a user by.
type kindOfUser int

const (
	kindInvalid kindOfUser = iota
	kindEmail
	kindID
	kindUsername
)

// userKind says what a `user` value is: an email (it has an @), a 24-hex
// user id, or a username.
func userKind(s string) kindOfUser {
	switch {
	case strings.Contains(s, "@"):
		if shared.ValidateEmail(s) == "" {
			return kindEmail
		}
		return kindInvalid
	case objectIDRe.MatchString(s):
		return kindID
	case usernameRe.MatchString(s):
		return kindUsername
	}
	return kindInvalid
}

// validateUser returns why s is not a valid `user` value, or "".
func validateUser(s string) string {
	if strings.Contains(s, "@") {
		if why := shared.ValidateEmail(s); why != "" {
			return "looks like an email address but " + why
		}
		return ""
	}
	if userKind(s) == kindInvalid {
		return "must be an email address, a username (letters, digits, '.', '_', '+' or '-', at most 100 characters) or a 24-character lowercase hexadecimal user id"
	}
	return ""
}

// validateObjectID returns why s is not a 24-hex ObjectId, or "".
func validateObjectID(s string) string {
	if !objectIDRe.MatchString(s) {
		return "must be a 24-character lowercase hexadecimal id such as " + exampleObjectID
	}
	return ""
}

// sameUser reports whether two `user` values are the same member: emails
// compare case-insensitively, anything else exactly (shared.MemberKey).
func sameUser(a, b string) bool { return shared.MemberKey(a) == shared.MemberKey(b) }

// listedUser is the `user` value for a member found on a team: the email
// address in lower case when AttackForge reports one, else the username,
// else the id.
func listedUser(u User) string {
	switch {
	case u.Email != "" && userKind(u.Email) == kindEmail:
		return shared.NormalizeEmail(u.Email)
	case u.Username != "":
		return u.Username
	}
	return u.ID
}

// teamKey is the key a user found on a team is reported by in the team
// resource's unlisted_members: the email address in lower case, else the
// id.
func teamKey(u User) string {
	if key := shared.NormalizeEmail(u.Email); key != "" && userKind(key) == kindEmail {
		return key
	}
	return u.ID
}

// parseImportID splits "<project_id>/<user>".
func parseImportID(id string) (projectID, user string, err error) {
	projectID, user, ok := strings.Cut(id, "/")
	format := "expected \"<project_id>/<user>\" where project_id is a 24-hex project id and user an email address, username or 24-hex user id, such as \"" + exampleObjectID + "/jane@example.com\""
	if !ok {
		return "", "", fmt.Errorf("import ID %q: %s", id, format)
	}
	if why := validateObjectID(projectID); why != "" {
		return "", "", fmt.Errorf("import ID %q: project_id %s; %s", id, why, format)
	}
	if why := validateUser(user); why != "" {
		return "", "", fmt.Errorf("import ID %q: user %s; %s", id, why, format)
	}
	return projectID, user, nil
}

// --- the team as the authoritative engine compares it ---

// member is a team member: the configured access level and project role
// (nil: not managed), and what is known of them.
type member struct {
	AccessLevel, ProjectRole *string
	// RoleUnknown: the project role was never read (the member was found
	// on the team, not invited by this resource). Kept in private state.
	RoleUnknown bool
	// Unread: found on the team by discovery, which reads neither the
	// access level nor the project role.
	Unread bool
}

func sameString(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// compareMembers: the API changes an access level in place (an update),
// not a project role: a change of role is a replacement (team/remove, then
// team/invite), except for a role never read, which is adopted as
// configured (an update that sends nothing for the role). What the
// configuration leaves unset is not managed.
func compareMembers(want, have member) shared.Difference {
	if want.ProjectRole != nil && !sameString(want.ProjectRole, have.ProjectRole) {
		if have.Unread || (have.RoleUnknown && have.ProjectRole == nil) {
			return shared.InPlace
		}
		return shared.Replace
	}
	if want.AccessLevel != nil && !sameString(want.AccessLevel, have.AccessLevel) {
		return shared.InPlace
	}
	return shared.Same
}

// shapeMember: what discovery found (level and role unread) is what state
// had.
func shapeMember(have, like member) member {
	if have.Unread {
		return like
	}
	return have
}

// adoptMember is the member recorded for one that was already on the
// team: its role stays unknown while the configuration sets none.
func adoptMember(want, have member) member {
	want.RoleUnknown = (have.Unread || have.RoleUnknown) && want.ProjectRole == nil
	return want
}

// refusals are warnings: AttackForge cannot report access levels, so a
// level set on a member already on the team replaces one nobody can see;
// a changed project role removes and invites the member again.
func refusals(_ context.Context, rv shared.Review[member, teamScope]) []shared.Refusal {
	var out []shared.Refusal
	for _, m := range rv.Changes.Update {
		if m.Want.AccessLevel != nil && m.Have.AccessLevel == nil {
			out = append(out, shared.Refusal{Key: m.Key, Warning: true,
				Summary: fmt.Sprintf("The access level of %s cannot be read", m.Key),
				Detail: fmt.Sprintf("AttackForge does not report access levels, so the provider does not know %s's level on project %s. "+
					"The apply sets it to %s, whatever it is now. Leave access_level unset to keep it.", m.Key, rv.Scope.ProjectID, *m.Want.AccessLevel)})
		}
	}
	for _, m := range rv.Changes.Remove {
		if m.Replace {
			out = append(out, shared.Refusal{Key: m.Key, Warning: true,
				Summary: fmt.Sprintf("%s is removed and invited again", m.Key),
				Detail:  fmt.Sprintf("AttackForge cannot change a project role: the apply removes %s from project %s and invites them again as %s.", m.Key, rv.Scope.ProjectID, shared.Deref(m.Want.ProjectRole))})
		}
	}
	if rv.Creating {
		var set []string
		for _, m := range rv.Changes.Invite {
			if m.Want.AccessLevel != nil {
				set = append(set, m.Key)
			}
		}
		if len(set) > 0 {
			out = append(out, shared.Refusal{Warning: true, Summary: "Access levels of members already on the team are replaced",
				Detail: "AttackForge does not report access levels. Members listed with access_level who are already on project " + rv.Scope.ProjectID +
					" get the configured level, whatever it is now: " + strings.Join(set, ", ") + ". Leave access_level unset to keep a member's level."})
		}
	}
	return out
}
