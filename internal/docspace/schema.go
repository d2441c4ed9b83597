package docspace

// schema.go: the schema pieces the resources, data sources and list
// resource share: validators and attribute descriptions.

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var cultureRe = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// cultureValidator accepts a culture name such as en-US.
func cultureValidator() validator.String {
	return stringvalidator.RegexMatches(cultureRe, "must be a culture name such as \"en-US\", \"de-DE\" or \"fr\"")
}

// typeValidator accepts the types a user can be invited as or changed to.
func typeValidator() validator.String { return stringvalidator.OneOf(Types...) }

const typeDoc = "One of `User`, `RoomAdmin` (only DocSpace admins may invite room admins), `DocSpaceAdmin` (only the portal owner may invite or make DocSpace admins) and `Guest`. " +
	"`RoomAdmin` and `DocSpaceAdmin` take a paid admin seat. DocSpace never invites guests to the portal (`POST /api/2.0/people/invite` answers 403 for type `Guest`: " +
	"guests join through rooms), so `Guest` is refused at plan time for someone not yet on the portal; an existing user can be made a Guest where the portal allows guests."

const activationDoc = "Whether the person has accepted the invitation: `pending` (invited, not yet joined), `activated`, `not_activated` or `auto_generated` " +
	"(DocSpace's activationStatus 2, 1, 0 and 4)."

const statusDoc = "The account status: `active`, `pending` (invited, not yet joined) or `terminated` (disabled) (DocSpace's status 1, 4 and 2)."

const invitedAtDoc = "When the invitation was sent, in RFC 3339 (UTC): the creation date of the person's DocSpace profile (`registrationDate`), " +
	"which an invitation creates. For someone who was on the portal before, it is when their profile was created. " +
	"Null when DocSpace does not report it (it reports it only when the provider signs in as a DocSpace admin or the owner)."

const pendingDoc = "Whether the invitation is still open: the person has not joined (DocSpace status or activation status `pending`) and is not terminated."

// manageableDoc says which people onboarding leaves out, and why.
const manageableDoc = "The portal owner, the account the provider signs in as, terminated (disabled) users and, when that account is not the owner's, " +
	"DocSpace admins are left out: DocSpace refuses to remove or change them with these credentials (and a terminated user has no invitation to import)."

// computedStr is a computed string attribute of a data source.
func computedStr(doc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: doc}
}

const userTypeDoc = "User type: `Owner`, `DocSpaceAdmin`, `RoomAdmin`, `User` or `Guest`."
