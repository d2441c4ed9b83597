package royalti

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// profileFrom is the profile a model's role and names ask for (null or
// unknown: not managed).
func profileFrom(role, first, last types.String) Profile {
	return Profile{Role: role.ValueString(), FirstName: shared.StringPtr(first), LastName: shared.StringPtr(last)}
}
