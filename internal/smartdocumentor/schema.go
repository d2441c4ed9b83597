package smartdocumentor

// Schema pieces the resource, the data sources and the list resource
// share.

// invitedAtDoc and pendingDoc document invited_at and pending.
const (
	invitedAtDoc = "When the invitation was sent, in RFC 3339 (UTC): the user's `createdAt` as the workspace listing reports it, " +
		"which an invitation of someone new to the tenant sets; for someone already in the tenant it is when their user was created. " +
		"Null when the listing does not report a date the provider can read."
	pendingDoc = "Whether the invitation is still pending: the user has not confirmed their email address (`emailConfirmed` is false)."
)
