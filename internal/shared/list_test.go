package shared

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	for r := range ListResults(ctx, req, items, "members of workspace 1", func(ctx context.Context, email string, r *list.ListResult) {
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

// A list stopped at its limit while more members exist warns on the last
// result (Terraform reads nothing after it), with the numbers and what to
// do; a list that fits, exactly or not, warns of nothing.
func TestListResultsLimitWarning(t *testing.T) {
	ctx := context.Background()
	items := []string{"a@example.com", "b@example.com", "c@example.com"}
	got := collect(ctx, listRequest(2, false), items, 0)
	if len(got) != 2 || got[0].Diagnostics.WarningsCount() != 0 || got[1].Diagnostics.WarningsCount() != 1 {
		t.Fatalf("limit 2 of 3: %+v", got)
	}
	w := got[1].Diagnostics.Warnings()[0]
	if w.Summary() != "Only 2 of the 3 members of workspace 1 were listed" {
		t.Errorf("summary %q", w.Summary())
	}
	for _, want := range []string{"limit, 2, stopped", "1 more exist", "Terraform's limit is 100", "-generate-config-out", "limit = 3"} {
		if !strings.Contains(w.Detail(), want) {
			t.Errorf("detail does not say %q: %s", want, w.Detail())
		}
	}
	for _, limit := range []int64{0, 3, 4} {
		for _, r := range collect(ctx, listRequest(limit, false), items, 0) {
			if len(r.Diagnostics) != 0 {
				t.Errorf("limit %d of 3: %s", limit, r.Diagnostics)
			}
		}
	}
}

// ListLimit with a listing read as it goes (the total unknown), and the
// diagnostics of the listing's end riding on the held result.
func TestListLimit(t *testing.T) {
	var pushed []list.ListResult
	push := func(r list.ListResult) bool { pushed = append(pushed, r); return true }
	result := func(name string) list.ListResult { return list.ListResult{DisplayName: name} }

	l := NewListLimit(listRequest(2, false), push, "members of project p")
	l.Push(result("a"))
	l.Push(result("b"))
	if len(pushed) != 1 || !l.Full() {
		t.Fatalf("the result reaching the limit should be held: %d pushed, full %t", len(pushed), l.Full())
	}
	l.More(0)
	if len(pushed) != 2 || pushed[1].DisplayName != "b" || pushed[1].Diagnostics.WarningsCount() != 1 ||
		pushed[1].Diagnostics.Warnings()[0].Summary() != "Only the first 2 members of project p were listed: more exist" {
		t.Fatalf("more: %+v", pushed)
	}

	pushed = nil
	l = NewListLimit(listRequest(2, false), push, "members of project p")
	l.Push(result("a"))
	l.Push(result("b"))
	var end diag.Diagnostics
	end.AddWarning("user list incomplete", "")
	l.Close(end)
	if len(pushed) != 2 || pushed[1].Diagnostics.WarningsCount() != 1 || pushed[1].Diagnostics[0].Summary() != "user list incomplete" {
		t.Fatalf("close with diagnostics: %+v", pushed)
	}

	pushed = nil
	l = NewListLimit(listRequest(0, false), push, "members of project p")
	l.Close(end)
	if len(pushed) != 1 || pushed[0].DisplayName != "" || l.Any() {
		t.Fatalf("no results, diagnostics alone: %+v", pushed)
	}
}
