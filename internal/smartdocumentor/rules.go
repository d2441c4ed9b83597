package smartdocumentor

// SmartDocumentor's rules, as pure functions over plain values: which
// roles the tenant accepts, what an import ID is, what the API cannot do
// (change a member's role, remove anyone) and what to say about it.
// Table-tested in rules_test.go.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// The statuses the workspace listing reports for a member.
const (
	statusActive  = "Active"
	statusInvited = "Invited"
	// statusUnknown stands for a status the listing left empty.
	statusUnknown = "Unknown"
)

// listStatuses are the statuses the list resource filters on.
var listStatuses = []string{statusActive, statusInvited}

// checkRole returns why role is not one of roles, or "".
func checkRole(role string, roles []string) string {
	for _, r := range roles {
		if r == role {
			return ""
		}
	}
	msg := fmt.Sprintf("Attribute role must be one of the roles of this SmartDocumentor tenant (GET %s/tenant/availableroles); got %q.", apiPrefix, role)
	if len(roles) == 0 {
		return msg + " The tenant reports no roles at all."
	}
	quoted := make([]string, len(roles))
	for i, r := range roles {
		quoted[i] = strconv.Quote(r)
		if strings.EqualFold(r, role) {
			msg += fmt.Sprintf(" Role names are case-sensitive: did you mean %q?", r)
		}
	}
	return msg + " Valid roles: " + strings.Join(quoted, ", ") + "."
}

// membership is one member as the rules see it: the workspace, the email
// and the role (empty when unknown).
type membership struct {
	Workspace   int64
	Email, Role string
}

// sameMember reports whether b is the member a is (same workspace, same
// email in any case): no replacement.
func sameMember(a, b membership) bool {
	return a.Workspace == b.Workspace && shared.NormalizeEmail(a.Email) == shared.NormalizeEmail(b.Email)
}

// roleChangeDetail says why a role change of m to planned cannot be
// applied and what to do.
func roleChangeDetail(m membership, planned string) string {
	return fmt.Sprintf("%s is a member of SmartDocumentor workspace %d with role %q (as SmartDocumentor reports it), and the configuration asks for %q. "+
		"The SmartDocumentor API has no call to change a member's role, so Terraform cannot make this change, and it changes nothing rather than "+
		"half of it.\n\nTo give the member role %q, change it in the SmartDocumentor web app, then run terraform again: the plan will be empty. "+
		"To keep the member as they are, set role = %q in the configuration.",
		m.Email, m.Workspace, m.Role, planned, planned, m.Role)
}

// keptAccess is who keeps access when the member's resource is destroyed:
// SmartDocumentor cannot remove anyone.
func keptAccess(m membership) shared.KeptAccess {
	person := m.Email
	if m.Role != "" {
		person += fmt.Sprintf(" (role %q)", m.Role)
	}
	return shared.KeptAccess{
		Where:       fmt.Sprintf("%s workspace %d", Title, m.Workspace),
		People:      []string{person},
		Why:         "the SmartDocumentor API has no call to remove a workspace member or revoke an invitation",
		OnlyForgets: true,
		Remove:      "remove them from the workspace in the SmartDocumentor web app",
	}
}

// importID is a member's import ID (and resource id).
func importID(ws int64, email string) string { return fmt.Sprintf("%d/%s", ws, email) }

// parseImportID reads "<workspace_id>/<email>".
func parseImportID(id string) (int64, string, error) {
	bad := func(why string) error {
		return fmt.Errorf("expected an import ID of the form \"<workspace_id>/<email>\", such as \"1/jane@example.com\"; got %q: %s", id, why)
	}
	wsText, email, ok := strings.Cut(id, "/")
	if !ok {
		return 0, "", bad("there is no \"/\" between the workspace ID and the email")
	}
	ws, err := strconv.ParseInt(wsText, 10, 64)
	if err != nil || ws < 1 || strconv.FormatInt(ws, 10) != wsText {
		return 0, "", bad("the workspace ID must be a positive whole number")
	}
	if why := shared.ValidateEmail(email); why != "" {
		return 0, "", bad("the email " + why)
	}
	return ws, email, nil
}
