package shared

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"
)

// ListResults streams the members of a listing as the results of a list
// resource (`terraform query`, Terraform 1.14 and later). It stops at the
// request's limit, when Terraform stops reading, or when ctx is cancelled
// (an interrupted query); fill sets each result's identity and display
// name, and its resource object when req.IncludeResource asks for it
// (results whose fill adds an error diagnostic are passed on: Terraform
// reports them).
func ListResults[T any](ctx context.Context, req list.ListRequest, items []T, fill func(ctx context.Context, item T, result *list.ListResult)) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i, item := range items {
			if req.Limit > 0 && int64(i) >= req.Limit {
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
			if !push(result) {
				return
			}
		}
	}
}
