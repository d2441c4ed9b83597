package shared

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

func TestKeptAccessWarnings(t *testing.T) {
	one := KeptAccess{
		Where:       "SmartDocumentor workspace 12",
		People:      []string{`jane@example.com (role "Reviewer")`},
		Why:         "the API cannot remove members",
		Remove:      "remove them in the web app",
		OnlyForgets: true,
	}
	var diags diag.Diagnostics
	AddDestroyWarning(&diags, one)
	AddReplaceWarning(&diags, one, "a membership of jane@example.com in workspace 13")
	AddForgottenWarning(&diags, one)
	if len(diags) != 3 || diags.HasError() {
		t.Fatalf("want three warnings, got %v", diags)
	}
	for _, d := range diags {
		text := d.Summary() + "\n" + d.Detail()
		for _, want := range []string{"jane@example.com", "SmartDocumentor workspace 12", "the API cannot remove members", "remove them in the web app"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q does not say %q", text, want)
			}
		}
		if !strings.Contains(d.Summary(), "jane@example.com") {
			t.Errorf("the summary %q does not name the person (the CLI folds warnings with the same summary)", d.Summary())
		}
	}
	if got := diags[0].Summary(); got != "Destroy does not revoke: jane@example.com keeps access to SmartDocumentor workspace 12" {
		t.Errorf("destroy summary %q", got)
	}
	if !strings.Contains(diags[0].Detail(), "lifecycle { destroy = false }") || !strings.Contains(diags[0].Detail(), "removed block") {
		t.Errorf("a destroy that only forgets should say how to forget on purpose: %s", diags[0].Detail())
	}
	if strings.Contains(diags[1].Detail(), "destroy = false") {
		t.Errorf("destroy = false does not apply to a replacement: %s", diags[1].Detail())
	}
	if !strings.Contains(diags[1].Detail(), "workspace 13") {
		t.Errorf("the replacement warning does not name the replacement: %s", diags[1].Detail())
	}

	// Another person, same place: another summary.
	other := one
	other.People = []string{"bob@example.com"}
	if other.DestroySummary() == one.DestroySummary() {
		t.Error("two people's destroy warnings have the same summary")
	}

	// Several people, some destroy revoking others: no forget advice.
	many := KeptAccess{Where: "AttackForge project p1", People: []string{"a@x.io", "b@x.io (protected)", "c@x.io"}, Why: "they are protected", Remove: "remove them by hand"}
	if got := many.DestroySummary(); got != "Destroy does not revoke: 3 people keep access to AttackForge project p1" {
		t.Errorf("summary %q", got)
	}
	detail := many.DestroyDetail()
	if !strings.Contains(detail, "a@x.io, b@x.io (protected) and c@x.io") || !strings.Contains(detail, "a@x.io, b@x.io and c@x.io keep access") {
		t.Errorf("detail does not list everyone: %s", detail)
	}
	if strings.Contains(detail, "destroy = false") {
		t.Errorf("forget advice without OnlyForgets: %s", detail)
	}
}
