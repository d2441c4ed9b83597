package royalti

// Schema pieces that more than one resource, data source or list resource
// uses.

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// roleValidator accepts the roles an invitation can give (assignableRoles).
func roleValidator() validator.String { return stringvalidator.OneOf(assignableRoles...) }

// pendingDoc describes the pending attribute.
const pendingDoc = "Whether the invitation is still pending: `invite_status` is `invited`."
