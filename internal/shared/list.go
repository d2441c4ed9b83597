package shared

import (
	"context"
	"fmt"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
)

// ListResults streams the members of a listing as the results of a list
// resource (`terraform query`, Terraform 1.14 and later). It stops at the
// request's limit (saying so when more members exist, see ListLimit), when
// Terraform stops reading, or when ctx is cancelled (an interrupted
// query); fill sets each result's identity and display name, and its
// resource object when req.IncludeResource asks for it (results whose fill
// adds an error diagnostic are passed on: Terraform reports them). what
// names the members for the warning: "members of SmartDocumentor
// workspace 12".
func ListResults[T any](ctx context.Context, req list.ListRequest, items []T, what string, fill func(ctx context.Context, item T, result *list.ListResult)) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		l := NewListLimit(req, push, what)
		for _, item := range items {
			if l.Full() {
				l.More(len(items))
				return
			}
			if ctx.Err() != nil {
				return
			}
			result := req.NewListResult(ctx)
			fill(ctx, item, &result)
			if !req.IncludeResource {
				result.Resource = nil
			}
			if !l.Push(result) {
				return
			}
		}
		l.Close(nil)
	}
}

// ListLimit pushes a list resource's results up to the request's limit
// and warns when the limit cuts the listing short. Terraform reads at most
// `limit` results (100 when the list block sets none) and nothing after
// them, so the warning must come with the last result it reads: the result
// that reaches the limit is held back until the listing says whether
// another member exists (More) or not (Close).
type ListLimit struct {
	limit int64
	push  func(list.ListResult) bool
	what  string
	n     int64
	held  *list.ListResult
}

// NewListLimit starts the results of req, sent through push; what names
// the members: "members of SmartDocumentor workspace 12".
func NewListLimit(req list.ListRequest, push func(list.ListResult) bool, what string) *ListLimit {
	return &ListLimit{limit: req.Limit, push: push, what: what}
}

// Full reports whether the limit is reached: another member is one too
// many (call More).
func (l *ListLimit) Full() bool { return l.limit > 0 && l.n >= l.limit }

// Any reports whether any result was pushed.
func (l *ListLimit) Any() bool { return l.n > 0 }

// Push sends a result, or holds it back when it reaches the limit. It
// returns false when Terraform stopped reading: stop listing.
func (l *ListLimit) Push(r list.ListResult) bool {
	l.n++
	if l.Full() {
		l.held = &r
		return true
	}
	return l.push(r)
}

// More says that the listing has members past the limit: the held result
// is sent with the warning. total is the number of members found in all,
// or 0 when the listing was not read to its end.
func (l *ListLimit) More(total int) {
	var d diag.Diagnostics
	AddListLimitWarning(&d, l.n, total, l.what)
	l.Close(d)
}

// Close ends the results: the held result, if any, is sent with diags
// (Terraform would not read them after it); else diags, if any, are sent
// alone.
func (l *ListLimit) Close(diags diag.Diagnostics) {
	switch {
	case l.held != nil:
		l.held.Diagnostics.Append(diags...)
		l.push(*l.held)
		l.held = nil
	case len(diags) > 0:
		l.push(list.ListResult{Diagnostics: diags})
	}
}

// AddListLimitWarning adds the warning of a list resource cut short by its
// limit: returned results were sent and more members exist (total of them
// in all, or 0 when unknown).
func AddListLimitWarning(diags *diag.Diagnostics, returned int64, total int, what string) {
	summary := fmt.Sprintf("Only the first %d %s were listed: more exist", returned, what)
	more := "More exist"
	if total > 0 {
		summary = fmt.Sprintf("Only %d of the %d %s were listed", returned, total, what)
		more = fmt.Sprintf("%d more exist", int64(total)-returned)
	}
	detail := fmt.Sprintf("The list block's limit, %d, stopped the listing (without a limit argument, Terraform's limit is 100). %s, "+
		"and a configuration generated from this query (-generate-config-out) leaves them out.\n\nSet limit higher in the list block, beside provider", returned, more)
	if total > 0 {
		detail += fmt.Sprintf(", to at least %d (for instance limit = %d)", total, total)
	}
	diags.AddWarning(summary, detail+".")
}
