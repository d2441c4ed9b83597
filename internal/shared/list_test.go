package shared

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

func listRequest(limit int64, include bool) list.ListRequest {
	return list.ListRequest{
		Limit: limit, IncludeResource: include,
		ResourceSchema:         schema.Schema{Attributes: map[string]schema.Attribute{"email": schema.StringAttribute{Required: true}}},
		ResourceIdentitySchema: identityschema.Schema{Attributes: map[string]identityschema.Attribute{"email": identityschema.StringAttribute{RequiredForImport: true}}},
	}
}

func collect(ctx context.Context, req list.ListRequest, items []string, stopAt int) []list.ListResult {
	var out []list.ListResult
	for r := range ListResults(ctx, req, items, func(ctx context.Context, email string, r *list.ListResult) {
		r.DisplayName = email
		r.Diagnostics.Append(r.Identity.SetAttribute(ctx, path.Root("email"), email)...)
		r.Diagnostics.Append(r.Resource.SetAttribute(ctx, path.Root("email"), email)...)
	}) {
		out = append(out, r)
		if stopAt > 0 && len(out) == stopAt {
			break
		}
	}
	return out
}

func TestListResults(t *testing.T) {
	ctx := context.Background()
	items := []string{"a@example.com", "b@example.com", "c@example.com"}
	if got := collect(ctx, listRequest(0, true), items, 0); len(got) != 3 || got[2].DisplayName != "c@example.com" || got[0].Resource == nil || got[0].Diagnostics.HasError() {
		t.Fatalf("all results: %+v", got)
	}
	if got := collect(ctx, listRequest(2, false), items, 0); len(got) != 2 || got[0].Resource != nil {
		t.Fatalf("limit 2 without resource: %+v", got)
	}
	if got := collect(ctx, listRequest(0, false), items, 1); len(got) != 1 {
		t.Fatalf("consumer stopping after one: %d results", len(got))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if got := collect(cctx, listRequest(0, false), items, 0); len(got) != 0 {
		t.Fatalf("cancelled: %d results", len(got))
	}
}
