package shared

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func strMap(kv ...string) types.Map {
	elems := map[string]attr.Value{}
	for i := 0; i+1 < len(kv); i += 2 {
		elems[kv[i]] = types.StringValue(kv[i+1])
	}
	return types.MapValueMust(types.StringType, elems)
}

var roleAttrTypes = map[string]attr.Type{"role": types.StringType, "first_name": types.StringType}

func roleObj(role string, first *string) attr.Value {
	fn := types.StringNull()
	if first != nil {
		fn = types.StringValue(*first)
	}
	return types.ObjectValueMust(roleAttrTypes, map[string]attr.Value{"role": types.StringValue(role), "first_name": fn})
}

func objMap(kv map[string]attr.Value) types.Map {
	return types.MapValueMust(types.ObjectType{AttrTypes: roleAttrTypes}, kv)
}

func TestSameMembers(t *testing.T) {
	ada := "Ada"
	cases := []struct {
		name string
		a, b types.Map
		want bool
	}{
		{"equal", strMap("a@x.io", "User"), strMap("a@x.io", "User"), true},
		{"email case", strMap("Jane@X.io", "User", "b@x.io", "Guest"), strMap("jane@x.IO", "User", "b@x.io", "Guest"), true},
		{"value differs", strMap("Jane@X.io", "User"), strMap("jane@x.io", "Guest"), false},
		{"username case is another member", strMap("Jane", "User"), strMap("jane", "User"), false},
		{"more members", strMap("a@x.io", "User"), strMap("a@x.io", "User", "b@x.io", "User"), false},
		{"same length, other member", strMap("a@x.io", "User"), strMap("b@x.io", "User"), false},
		{"one member twice", strMap("a@x.io", "User", "b@x.io", "User"), strMap("a@x.io", "User", "A@x.io", "User"), false},
		{"empty", strMap(), strMap(), true},
		{"null", types.MapNull(types.StringType), strMap(), false},
		{"unknown", strMap(), types.MapUnknown(types.StringType), false},
		{"unknown element", strMap("a@x.io", "User"),
			types.MapValueMust(types.StringType, map[string]attr.Value{"a@x.io": types.StringUnknown()}), false},
		{"objects, email case", objMap(map[string]attr.Value{"Ada@x.io": roleObj("admin", &ada)}), objMap(map[string]attr.Value{"ada@x.io": roleObj("admin", &ada)}), true},
		{"objects, a null attribute differs", objMap(map[string]attr.Value{"Ada@x.io": roleObj("admin", &ada)}), objMap(map[string]attr.Value{"ada@x.io": roleObj("admin", nil)}), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := SameMembers(tc.a, tc.b); got != tc.want {
				t.Errorf("SameMembers(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if got := SameMembers(tc.b, tc.a); got != tc.want {
				t.Errorf("SameMembers is not symmetric for %v, %v", tc.a, tc.b)
			}
		})
	}
}

func TestMapKeysIgnoreCase(t *testing.T) {
	ada := "Ada"
	cases := []struct {
		name        string
		state, plan types.Map
		keepState   bool
	}{
		{"case-only change keeps state's keys", strMap("jane@x.io", "User", "b@x.io", "Guest"), strMap("Jane@X.IO", "User", "b@x.io", "Guest"), true},
		{"case change with another change: the configuration as written", strMap("jane@x.io", "User", "b@x.io", "Guest"), strMap("Jane@X.IO", "User", "b@x.io", "User"), false},
		{"case change with a member added", strMap("jane@x.io", "User"), strMap("Jane@X.IO", "User", "b@x.io", "User"), false},
		{"username case is a change", strMap("jane", "User"), strMap("Jane", "User"), false},
		{"nested objects, case only", objMap(map[string]attr.Value{"ada@x.io": roleObj("admin", &ada)}), objMap(map[string]attr.Value{"ADA@x.io": roleObj("admin", &ada)}), true},
		{"nested objects, name now set", objMap(map[string]attr.Value{"ada@x.io": roleObj("admin", nil)}), objMap(map[string]attr.Value{"ADA@x.io": roleObj("admin", &ada)}), false},
		{"create", types.MapNull(types.StringType), strMap("a@x.io", "User"), false},
		{"unknown plan", strMap("a@x.io", "User"), types.MapUnknown(types.StringType), false},
		{"unchanged", strMap("a@x.io", "User"), strMap("a@x.io", "User"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := planmodifier.MapRequest{Path: path.Root("members"), StateValue: tc.state, PlanValue: tc.plan, ConfigValue: tc.plan}
			resp := &planmodifier.MapResponse{PlanValue: req.PlanValue}
			MapKeysIgnoreCase().PlanModifyMap(context.Background(), req, resp)
			want := tc.plan
			if tc.keepState {
				want = tc.state
			}
			if !resp.PlanValue.Equal(want) || resp.Diagnostics.HasError() {
				t.Errorf("planned %v (%v), want %v", resp.PlanValue, resp.Diagnostics, want)
			}
		})
	}
	if MapKeysIgnoreCase().Description(context.Background()) == "" || MapKeysIgnoreCase().MarkdownDescription(context.Background()) == "" {
		t.Error("no description")
	}
}

// keepStateSchema is a resource with a members map (strings or objects)
// and two computed per-member maps.
func keepStateSchema(nested bool) schema.Schema {
	var members schema.Attribute = schema.MapAttribute{ElementType: types.StringType, Required: true}
	if nested {
		members = schema.MapNestedAttribute{Required: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"role":       schema.StringAttribute{Required: true},
			"first_name": schema.StringAttribute{Optional: true},
		}}}
	}
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"members":  members,
		"ids":      schema.MapAttribute{ElementType: types.StringType, Computed: true},
		"statuses": schema.MapAttribute{ElementType: types.StringType, Computed: true},
	}}
}

type keepStateModel struct {
	Members  types.Map `tfsdk:"members"`
	IDs      types.Map `tfsdk:"ids"`
	Statuses types.Map `tfsdk:"statuses"`
}

func TestKeepStateModifiers(t *testing.T) {
	ctx := context.Background()
	ada := "Ada"
	unknown := types.MapUnknown(types.StringType)
	ids := strMap("jane@x.io", "u1", "b@x.io", "u2")
	statuses := strMap("jane@x.io", "invited", "b@x.io", "joined")
	members := strMap("jane@x.io", "User", "b@x.io", "Guest")
	cases := []struct {
		name                 string
		nested               bool
		state                *keepStateModel // nil: create
		plan                 *keepStateModel // nil: destroy
		wantIDs, wantStatues types.Map
	}{
		{
			name:    "members unchanged (another attribute changed): both kept",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{members, unknown, unknown},
			wantIDs: ids, wantStatues: statuses,
		},
		{
			name:    "case-only change: both kept as in state (the members plan keeps state's keys)",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{strMap("JANE@x.io", "User", "b@x.io", "Guest"), unknown, unknown},
			wantIDs: ids, wantStatues: statuses,
		},
		{
			name:    "a value changed: ids kept, statuses unknown",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{strMap("jane@x.io", "RoomAdmin", "b@x.io", "Guest"), unknown, unknown},
			wantIDs: ids, wantStatues: unknown,
		},
		{
			name:    "a value and a key's case changed: ids kept, keyed as the configuration",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{strMap("JANE@x.io", "User", "b@x.io", "User"), unknown, unknown},
			wantIDs: strMap("JANE@x.io", "u1", "b@x.io", "u2"), wantStatues: unknown,
		},
		{
			name:    "a member added: unknown",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{strMap("jane@x.io", "User", "b@x.io", "Guest", "c@x.io", "User"), unknown, unknown},
			wantIDs: unknown, wantStatues: unknown,
		},
		{
			name:    "a member removed: unknown",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{strMap("jane@x.io", "User"), unknown, unknown},
			wantIDs: unknown, wantStatues: unknown,
		},
		{
			name:    "a member replaced by another: unknown",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{strMap("jane@x.io", "User", "c@x.io", "Guest"), unknown, unknown},
			wantIDs: unknown, wantStatues: unknown,
		},
		{
			name:    "state's computed map lacks a member: unknown",
			state:   &keepStateModel{members, strMap("jane@x.io", "u1"), strMap("jane@x.io", "invited")},
			plan:    &keepStateModel{members, unknown, unknown},
			wantIDs: unknown, wantStatues: unknown,
		},
		{
			name:    "planned value already known: left alone",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{strMap("jane@x.io", "User"), strMap("x", "y"), strMap("x", "z")},
			wantIDs: strMap("x", "y"), wantStatues: strMap("x", "z"),
		},
		{
			name:    "planned members unknown: unknown",
			state:   &keepStateModel{members, ids, statuses},
			plan:    &keepStateModel{types.MapUnknown(types.StringType), unknown, unknown},
			wantIDs: unknown, wantStatues: unknown,
		},
		{
			name:    "create: unknown",
			plan:    &keepStateModel{members, unknown, unknown},
			wantIDs: unknown, wantStatues: unknown,
		},
		{
			name:   "nested members, a name set: ids kept, statuses unknown",
			nested: true,
			state: &keepStateModel{objMap(map[string]attr.Value{"ada@x.io": roleObj("admin", nil)}),
				strMap("ada@x.io", "u1"), strMap("ada@x.io", "joined")},
			plan: &keepStateModel{objMap(map[string]attr.Value{"Ada@x.io": roleObj("admin", &ada)}),
				unknown, unknown},
			wantIDs: strMap("Ada@x.io", "u1"), wantStatues: unknown,
		},
		{
			name:   "nested members, case only: both kept",
			nested: true,
			state: &keepStateModel{objMap(map[string]attr.Value{"ada@x.io": roleObj("admin", &ada)}),
				strMap("ada@x.io", "u1"), strMap("ada@x.io", "joined")},
			plan: &keepStateModel{objMap(map[string]attr.Value{"Ada@x.io": roleObj("admin", &ada)}),
				unknown, unknown},
			wantIDs: strMap("ada@x.io", "u1"), wantStatues: strMap("ada@x.io", "joined"),
		},
	}
	run := func(t *testing.T, s schema.Schema, m planmodifier.Map, attrName string, state, plan *keepStateModel) types.Map {
		t.Helper()
		st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
		pl := tfsdk.Plan{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
		req := planmodifier.MapRequest{Path: path.Root(attrName), State: st, Plan: pl,
			StateValue: types.MapNull(types.StringType), PlanValue: types.MapNull(types.StringType)}
		if state != nil {
			if d := st.Set(ctx, state); d.HasError() {
				t.Fatal(d)
			}
			req.State = st
			req.StateValue = map[string]types.Map{"ids": state.IDs, "statuses": state.Statuses}[attrName]
		}
		if plan != nil {
			if d := pl.Set(ctx, plan); d.HasError() {
				t.Fatal(d)
			}
			req.Plan = pl
			req.PlanValue = map[string]types.Map{"ids": plan.IDs, "statuses": plan.Statuses}[attrName]
		}
		resp := &planmodifier.MapResponse{PlanValue: req.PlanValue}
		m.PlanModifyMap(ctx, req, resp)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		return resp.PlanValue
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := keepStateSchema(tc.nested)
			if got := run(t, s, KeepStateWhileMemberKeysUnchanged(path.Root("members")), "ids", tc.state, tc.plan); !got.Equal(tc.wantIDs) {
				t.Errorf("ids planned %v, want %v", got, tc.wantIDs)
			}
			if got := run(t, s, KeepStateWhileMembersUnchanged(path.Root("members")), "statuses", tc.state, tc.plan); !got.Equal(tc.wantStatues) {
				t.Errorf("statuses planned %v, want %v", got, tc.wantStatues)
			}
		})
	}
	t.Run("destroy: left alone", func(t *testing.T) {
		s := keepStateSchema(false)
		if got := run(t, s, KeepStateWhileMemberKeysUnchanged(path.Root("members")), "ids", &keepStateModel{members, ids, statuses}, nil); !got.IsNull() {
			t.Errorf("planned %v on destroy", got)
		}
	})
	if d := KeepStateWhileMemberKeysUnchanged(path.Root("members")).Description(ctx); !strings.Contains(d, "members") {
		t.Errorf("description %q", d)
	}
	if d := KeepStateWhileMembersUnchanged(path.Root("members")).MarkdownDescription(ctx); !strings.Contains(d, "members") {
		t.Errorf("description %q", d)
	}
}

func TestUniqueMemberKeys(t *testing.T) {
	cases := []struct {
		name  string
		value types.Map
		errs  []string
	}{
		{"distinct", strMap("a@x.io", "User", "b@x.io", "User", "jane", "User", "Jane", "User"), nil},
		{"same email in two cases", strMap("Jane@x.io", "User", "b@x.io", "User", "jane@X.io", "Guest"), []string{`"Jane@x.io" and "jane@X.io"`}},
		{"three times", strMap("A@x.io", "User", "a@x.io", "User", "a@X.io", "User"), []string{`"A@x.io" and "a@X.io"`, `"A@x.io" and "a@x.io"`}},
		{"null", types.MapNull(types.StringType), nil},
		{"unknown", types.MapUnknown(types.StringType), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := &validator.MapResponse{}
			UniqueMemberKeys().ValidateMap(context.Background(), validator.MapRequest{Path: path.Root("members"), ConfigValue: tc.value}, resp)
			if len(resp.Diagnostics) != len(tc.errs) {
				t.Fatalf("diagnostics %v, want %d", resp.Diagnostics, len(tc.errs))
			}
			for i, want := range tc.errs {
				d := resp.Diagnostics[i]
				if d.Summary() != "Duplicate member" || !strings.Contains(d.Detail(), want) || !strings.Contains(d.Detail(), "keep one") {
					t.Errorf("diagnostic %q: %q, want it to name %s", d.Summary(), d.Detail(), want)
				}
			}
		})
	}
	if UniqueMemberKeys().MarkdownDescription(context.Background()) == "" {
		t.Error("no description")
	}
}

// --- through terraform: a tiny provider whose resource manages the members
// of an in-memory directory with Differ, Execute, Settle and the plan
// modifiers above, so that Terraform itself checks the plans (a planned map
// key absent from the configuration is an invalid plan) and the states after
// apply (a known planned value the apply does not keep is an inconsistent
// result). ---

// fakeDir is the directory: members by MemberKey, and the log of changes.
type fakeDir struct {
	mu         sync.Mutex
	members    map[string]keyed[attr.Value]
	failInvite map[string]bool
	calls      []string
}

func (d *fakeDir) observe() map[string]Observed[attr.Value] {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]Observed[attr.Value]{}
	for id, m := range d.members {
		out[m.key] = Observed[attr.Value]{Value: m.val, ID: "id-" + id}
	}
	return out
}

func (d *fakeDir) change(kind OpKind, m Member[attr.Value]) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, kind.String()+" "+m.Key)
	switch {
	case kind == OpInvite && d.failInvite[m.Key]:
		return errors.New("HTTP 422: the address bounced")
	case kind == OpRemove:
		delete(d.members, MemberKey(m.Key))
	default:
		d.members[MemberKey(m.Key)] = keyed[attr.Value]{m.Key, m.Want}
	}
	return nil
}

func (d *fakeDir) takeCalls() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	calls := d.calls
	d.calls = nil
	sort.Strings(calls)
	return calls
}

type testProvider struct{ dir *fakeDir }

func (p *testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "membership"
}
func (p *testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (p *testProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (p *testProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p *testProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &testMembers{dir: p.dir} },
		func() resource.Resource { return &testMembers{dir: p.dir, nested: true} },
	}
}

type testMembers struct {
	dir    *fakeDir
	nested bool
}

type testMembersModel struct {
	ID        types.String `tfsdk:"id"`
	Note      types.String `tfsdk:"note"`
	Members   types.Map    `tfsdk:"members"`
	MemberIDs types.Map    `tfsdk:"member_ids"`
	Statuses  types.Map    `tfsdk:"statuses"`
}

func (r *testMembers) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_test_members"
	if r.nested {
		resp.TypeName = req.ProviderTypeName + "_test_nested_members"
	}
}

func (r *testMembers) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	var members schema.Attribute = schema.MapAttribute{
		ElementType: types.StringType, Required: true,
		Validators:    []validator.Map{UniqueMemberKeys()},
		PlanModifiers: []planmodifier.Map{MapKeysIgnoreCase()},
	}
	if r.nested {
		members = schema.MapNestedAttribute{
			Required:      true,
			Validators:    []validator.Map{UniqueMemberKeys()},
			PlanModifiers: []planmodifier.Map{MapKeysIgnoreCase()},
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"role":       schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("user")},
				"first_name": schema.StringAttribute{Optional: true},
			}},
		}
	}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":      schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"note":    schema.StringAttribute{Optional: true},
		"members": members,
		"member_ids": schema.MapAttribute{ElementType: types.StringType, Computed: true,
			PlanModifiers: []planmodifier.Map{KeepStateWhileMemberKeysUnchanged(path.Root("members"))}},
		"statuses": schema.MapAttribute{ElementType: types.StringType, Computed: true,
			PlanModifiers: []planmodifier.Map{KeepStateWhileMembersUnchanged(path.Root("members"))}},
	}}
}

// fill sets the members and the computed maps from members by key.
func (m *testMembersModel) fill(ctx context.Context, elemType attr.Type, members map[string]attr.Value) {
	ids, statuses := map[string]attr.Value{}, map[string]attr.Value{}
	for k, v := range members {
		ids[k] = types.StringValue("id-" + MemberKey(k))
		statuses[k] = types.StringValue("status of " + v.String())
	}
	m.ID = types.StringValue("team")
	m.Members = types.MapValueMust(elemType, members)
	m.MemberIDs = types.MapValueMust(types.StringType, ids)
	m.Statuses = types.MapValueMust(types.StringType, statuses)
	_ = ctx
}

func (r *testMembers) apply(ctx context.Context, prior map[string]attr.Value, plan *testMembersModel) diag.Diagnostics {
	var diags diag.Diagnostics
	compare := func(want, have attr.Value) Difference {
		if want.Equal(have) {
			return Same
		}
		return InPlace
	}
	observed := r.dir.observe()
	var remove []Removal // everyone else observed (an exclusive resource)
	for k := range observed {
		remove = append(remove, Removal{Key: k})
	}
	ch := Diff(compare, observed, plan.Members.Elements(), prior, remove)
	do := func(kind OpKind) func(context.Context, Member[attr.Value]) error {
		return func(_ context.Context, m Member[attr.Value]) error { return r.dir.change(kind, m) }
	}
	out := Execute(ctx, 2, EachOp(OpRemove, ch.Remove, do(OpRemove)), EachOp(OpInvite, ch.Invite, do(OpInvite)), EachOp(OpUpdate, ch.Update, do(OpUpdate)))
	for _, f := range out.Failures() {
		if !f.Skipped {
			diags.AddAttributeError(path.Root("members").AtMapKey(f.Key), fmt.Sprintf("Could not %s %s", f.Kind, f.Key), f.Err.Error())
		}
	}
	plan.fill(ctx, plan.Members.ElementType(ctx), ch.Settle(out, nil, nil).Members)
	return diags
}

func (r *testMembers) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan testMembersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(r.apply(ctx, nil, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *testMembers) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state testMembersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(r.apply(ctx, state.Members.Elements(), &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *testMembers) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state testMembersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	known := byMemberKey(state.Members.Elements())
	members := map[string]attr.Value{}
	for k, o := range r.dir.observe() {
		if p, ok := known[MemberKey(k)]; ok {
			k = p.key
		}
		members[k] = o.Value
	}
	state.fill(ctx, state.Members.ElementType(ctx), members)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *testMembers) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state testMembersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	for k, v := range state.Members.Elements() {
		_ = r.dir.change(OpRemove, Member[attr.Value]{Key: k, Have: v})
	}
}

// callsAre checks the directory's changes since the last check.
type callsAre struct {
	dir  *fakeDir
	want []string
}

func (c callsAre) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if got := c.dir.takeCalls(); strings.Join(got, ", ") != strings.Join(c.want, ", ") {
		resp.Error = fmt.Errorf("changes sent: %q, want %q", got, c.want)
	}
}

func testFactories(dir *fakeDir) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"membership": providerserver.NewProtocol6WithError(&testProvider{dir: dir}),
	}
}

func membersHCL(typ, note, members string) string {
	if note != "" {
		note = fmt.Sprintf("  note = %q\n", note)
	}
	return fmt.Sprintf("resource %q \"t\" {\n%s  members = {\n%s\n  }\n}\n", typ, note, members)
}

func TestAccReconcile_throughTerraform(t *testing.T) {
	dir := &fakeDir{members: map[string]keyed[attr.Value]{}, failInvite: map[string]bool{"fail@x.io": true}}
	const addr = "membership_test_members.t"
	hcl := func(note string, kv ...string) string {
		var lines []string
		for i := 0; i+1 < len(kv); i += 2 {
			lines = append(lines, fmt.Sprintf("    %q = %q", kv[i], kv[i+1]))
		}
		return membersHCL("membership_test_members", note, strings.Join(lines, "\n"))
	}
	members := func(kv ...string) knownvalue.Check {
		m := map[string]knownvalue.Check{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = knownvalue.StringExact(kv[i+1])
		}
		return knownvalue.MapExact(m)
	}
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testFactories(dir),
		Steps: []acc.TestStep{
			{
				Config: hcl("", "Jane@x.io", "User", "bob@x.io", "Guest"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("members"), members("Jane@x.io", "User", "bob@x.io", "Guest")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("member_ids"), members("Jane@x.io", "id-jane@x.io", "bob@x.io", "id-bob@x.io")),
					callsAre{dir, []string{"invite Jane@x.io", "invite bob@x.io"}},
				},
			},
			// one member twice is refused at plan
			{
				Config:      hcl("hello", "JANE@x.io", "User", "jane@x.io", "Guest"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Duplicate member(.|\n)*"JANE@x.io" and "jane@x.io"`),
			},
			// a case-only change is no change
			{
				Config:           hcl("", "jane@X.IO", "User", "bob@x.io", "Guest"),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			// another attribute changes: the computed maps stay known
			{
				Config: hcl("hello", "jane@X.IO", "User", "bob@x.io", "Guest"),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("member_ids"), members("Jane@x.io", "id-jane@x.io", "bob@x.io", "id-bob@x.io")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("statuses"), members("Jane@x.io", `status of "User"`, "bob@x.io", `status of "Guest"`)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{callsAre{dir, nil}},
			},
			// a case change with a type change: a valid plan (keys as
			// configured), ids kept under the new keys, one request only
			{
				Config: hcl("hello", "JANE@x.io", "User", "bob@x.io", "RoomAdmin"),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("member_ids"), members("JANE@x.io", "id-jane@x.io", "bob@x.io", "id-bob@x.io")),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("statuses")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("members"), members("JANE@x.io", "User", "bob@x.io", "RoomAdmin")),
					callsAre{dir, []string{"update bob@x.io"}},
				},
			},
			// drift: someone added out of band is removed (exclusive)
			{
				PreConfig: func() {
					dir.mu.Lock()
					dir.members["stranger@x.io"] = keyed[attr.Value]{"Stranger@x.io", types.StringValue("User")}
					dir.mu.Unlock()
				},
				Config: hcl("hello", "JANE@x.io", "User", "bob@x.io", "RoomAdmin"),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{callsAre{dir, []string{"remove Stranger@x.io"}}},
			},
			// a partial failure keeps what succeeded
			{
				Config:      hcl("hello", "JANE@x.io", "User", "new@x.io", "Guest", "fail@x.io", "Guest"),
				ExpectError: regexp.MustCompile(`Could not invite fail@x.io(.|\n)*the address bounced`),
			},
			{
				PreConfig: func() {
					if got := dir.takeCalls(); strings.Join(got, ", ") != "invite fail@x.io, invite new@x.io, remove bob@x.io" {
						t.Errorf("the failed apply sent %q", got)
					}
					dir.mu.Lock()
					dir.failInvite = nil
					dir.mu.Unlock()
				},
				Config: hcl("hello", "JANE@x.io", "User", "new@x.io", "Guest", "fail@x.io", "Guest"),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("members"), members("JANE@x.io", "User", "new@x.io", "Guest", "fail@x.io", "Guest")),
					callsAre{dir, []string{"invite fail@x.io"}}, // new@x.io was kept in state
				},
			},
		},
	})
}

func TestAccReconcile_nestedThroughTerraform(t *testing.T) {
	dir := &fakeDir{members: map[string]keyed[attr.Value]{}}
	const addr = "membership_test_nested_members.t"
	hcl := func(note, members string) string {
		return membersHCL("membership_test_nested_members", note, members)
	}
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testFactories(dir),
		Steps: []acc.TestStep{
			{
				Config: hcl("", `    "Ada@x.io" = { first_name = "Ada" }
    "bob@x.io" = { role = "admin" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("members").AtMapKey("Ada@x.io").AtMapKey("role"), knownvalue.StringExact("user")),
					callsAre{dir, []string{"invite Ada@x.io", "invite bob@x.io"}},
				},
			},
			{
				Config: hcl("", `    "ada@X.io" = { first_name = "Ada", role = "user" }
    "BOB@x.io" = { role = "admin" }`),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: hcl("", `    "ada@X.io" = { first_name = "Ada", role = "admin" }
    "BOB@x.io" = { role = "admin" }`),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("member_ids"), knownvalue.MapExact(map[string]knownvalue.Check{
						"ada@X.io": knownvalue.StringExact("id-ada@x.io"), "BOB@x.io": knownvalue.StringExact("id-bob@x.io"),
					})),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("statuses")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{callsAre{dir, []string{"update ada@X.io"}}},
			},
		},
	})
}
