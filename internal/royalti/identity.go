package royalti

// How a membership_royalti_workspace_invitation is named from outside:
// its import IDs and its resource identity (Terraform 1.12 and later).

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// invitationType is the resource type name.
const invitationType = "membership_royalti_workspace_invitation"

// invitationIdentity is the resource identity: the workspace ("default"
// for the workspace of the provider's token) and the member's email in
// lower case.
type invitationIdentity struct {
	WorkspaceID types.String `tfsdk:"workspace_id"`
	Email       types.String `tfsdk:"email"`
}

// identityShape is what an identity looks like, for errors.
const identityShape = `{ workspace_id = "default", email = "jane@example.com" }`

// setIdentity records the member's identity.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, ws, email string, diags *diag.Diagnostics) {
	if ws == "" {
		ws = defaultWorkspaceID
	}
	shared.SetIdentity(ctx, identity, invitationIdentity{WorkspaceID: types.StringValue(ws), Email: types.StringValue(shared.NormalizeEmail(email))}, diags)
}

// parseImportID splits an import ID: "<tenant user ID>", "<email>", or
// either prefixed by "<workspace ID>/".
func parseImportID(raw string) (workspaceID, key string, isEmail bool, err error) {
	s := strings.TrimSpace(raw)
	if i := strings.LastIndex(s, "/"); i >= 0 {
		workspaceID, s = s[:i], s[i+1:]
		if workspaceID == "" || strings.ContainsAny(workspaceID, " /") {
			return "", "", false, importErr(raw)
		}
	}
	switch {
	case s == "":
		return "", "", false, importErr(raw)
	case strings.Contains(s, "@"):
		if why := shared.ValidateEmail(s); why != "" {
			return "", "", false, fmt.Errorf("import ID %q: the email %s", raw, why)
		}
		return workspaceID, s, true, nil
	case isUUID(s):
		return workspaceID, strings.ToLower(s), false, nil
	}
	return "", "", false, importErr(raw)
}

func importErr(raw string) error {
	return fmt.Errorf("import ID %q is not valid: expected a tenant user ID (uuid such as 0a1b2c3d-0000-4000-8000-000000000002), "+
		"an email address (jane@example.com), or either prefixed by the workspace ID and a slash (<workspace_id>/jane@example.com)", raw)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
