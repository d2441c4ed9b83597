package shared

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Authoritative is the CRUD and plan of an authoritative resource on top
// of an Engine; a resource embeds it and adds its Metadata, Schema,
// Configure (which sets Engine and Guard) and ImportState. M is the
// resource model, V a member's value, S the scope (the resource's other
// settings).
type Authoritative[M, V, S any] struct {
	Engine *Engine[V, S]
	Guard  Guardrails
	// Load reads a model (state or plan): ok is false while something it
	// needs is unknown (the plan is then not checked).
	Load func(ctx context.Context, m M) (snap Snapshot[V], scope S, ok bool, diags diag.Diagnostics)
	// Store writes the members, unlisted people, ids and statuses of s
	// into m.
	Store func(ctx context.Context, m *M, s Snapshot[V]) diag.Diagnostics
	// Identity, when set, is the resource identity of a scope.
	Identity func(S) any
	// LoadPrivate and StorePrivate, when set, read into a state's snapshot
	// and write from it what the resource keeps in private state.
	LoadPrivate  func(ctx context.Context, p PrivateGetter, s *Snapshot[V]) diag.Diagnostics
	StorePrivate func(ctx context.Context, p PrivateSetter, s Snapshot[V]) diag.Diagnostics
}

// PrivateGetter and PrivateSetter are a resource's private state in a
// request and a response.
type (
	PrivateGetter interface {
		GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	}
	PrivateSetter interface {
		SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
	}
)

// getter is tfsdk.State or tfsdk.Plan.
type getter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// load reads a model and its snapshot; priv, for a state, is its private
// state (nil for a plan).
func (a *Authoritative[M, V, S]) load(ctx context.Context, from getter, priv PrivateGetter, diags *diag.Diagnostics) (m M, snap Snapshot[V], scope S, ok bool) {
	if diags.Append(from.Get(ctx, &m)...); diags.HasError() {
		return m, snap, scope, false
	}
	snap, scope, ok, d := a.Load(ctx, m)
	diags.Append(d...)
	if priv != nil && a.LoadPrivate != nil && ok {
		diags.Append(a.LoadPrivate(ctx, priv, &snap)...)
	}
	return m, snap, scope, ok && !diags.HasError()
}

func (a *Authoritative[M, V, S]) save(ctx context.Context, m M, s Snapshot[V], scope S, state *tfsdk.State, priv PrivateSetter, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	// diags may hold the apply's errors already: what succeeded is still
	// written.
	d := a.Store(ctx, &m, s)
	if diags.Append(d...); d.HasError() {
		return
	}
	diags.Append(state.Set(ctx, &m)...)
	if a.StorePrivate != nil && priv != nil {
		diags.Append(a.StorePrivate(ctx, priv, s)...)
	}
	if a.Identity != nil {
		SetIdentity(ctx, identity, a.Identity(scope), diags)
	}
}

// Read refreshes state from the platform (Engine.Read).
func (a *Authoritative[M, V, S]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, prior, scope, ok := a.load(ctx, req.State, req.Private, &resp.Diagnostics)
	if !ok {
		return
	}
	next, diags := a.Engine.Read(ctx, scope, prior, a.Guard)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	a.save(ctx, m, next, scope, &resp.State, resp.Private, resp.Identity, &resp.Diagnostics)
}

// ModifyPlan plans unlisted_members (empty with exclusive: its people are
// removed) and checks the plan (Engine.Plan), on create, update and
// destroy.
func (a *Authoritative[M, V, S]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if a.Engine == nil { // not configured yet (validation)
		return
	}
	var prior, planned *Snapshot[V]
	var scope S
	if !req.State.Raw.IsNull() {
		_, s, sc, ok := a.load(ctx, req.State, req.Private, &resp.Diagnostics)
		if !ok {
			return
		}
		prior, scope = &s, sc
	}
	if !req.Plan.Raw.IsNull() {
		_, s, sc, ok := a.load(ctx, req.Plan, nil, &resp.Diagnostics)
		if !ok {
			return
		}
		planned, scope = &s, sc
		if prior != nil {
			planned.Unlisted = PlannedUnlisted(prior.Unlisted, planned.Exclusive)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, unlistedPath, StringMapValue(planned.Unlisted))...)
		}
	}
	if prior == nil && planned == nil {
		return
	}
	resp.Diagnostics.Append(a.Engine.Plan(ctx, scope, prior, planned, a.Guard)...)
}

// Create adopts the scope's members (Engine.Create); when something
// fails it records no state.
func (a *Authoritative[M, V, S]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	m, planned, scope, ok := a.load(ctx, req.Plan, nil, &resp.Diagnostics)
	if !ok {
		return
	}
	next, ok, diags := a.Engine.Create(ctx, scope, planned, a.Guard)
	if resp.Diagnostics.Append(diags...); !ok {
		// No state: Terraform taints an object whose create failed and
		// replaces it, which would remove every member. The next apply
		// creates it again from the scope as it is: members already
		// invited are adopted, only the failed changes are sent again.
		return
	}
	a.save(ctx, m, next, scope, &resp.State, resp.Private, resp.Identity, &resp.Diagnostics)
}

// Update does what the plan shows (Engine.Update).
func (a *Authoritative[M, V, S]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	_, prior, _, ok := a.load(ctx, req.State, req.Private, &resp.Diagnostics)
	if !ok {
		return
	}
	m, planned, scope, ok := a.load(ctx, req.Plan, nil, &resp.Diagnostics)
	if !ok {
		return
	}
	next, diags := a.Engine.Update(ctx, scope, prior, planned, a.Guard)
	resp.Diagnostics.Append(diags...)
	a.save(ctx, m, next, scope, &resp.State, resp.Private, resp.Identity, &resp.Diagnostics)
}

// Delete removes the members (Engine.Delete); what could not be removed
// stays in state.
func (a *Authoritative[M, V, S]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	m, prior, scope, ok := a.load(ctx, req.State, req.Private, &resp.Diagnostics)
	if !ok {
		return
	}
	left, diags := a.Engine.Delete(ctx, scope, prior, a.Guard)
	resp.Diagnostics.Append(diags...)
	if left != nil {
		a.save(ctx, m, *left, scope, &resp.State, nil, nil, &resp.Diagnostics)
	}
}

// --- schema and values shared by the authoritative resources ---

// UnlistedMembersAttribute is the computed map of the people found but
// not listed.
func UnlistedMembersAttribute() schema.MapAttribute {
	return schema.MapAttribute{
		ElementType: types.StringType, Computed: true,
		MarkdownDescription: "People the platform lists in this scope who are not in `members` and whom the provider may remove: email => their type or role. " +
			"Filled by each refresh while `exclusive = true`. A plan with `exclusive = true` shows each of them leaving this map, which removes them; " +
			"add someone to `members` to keep them. With `exclusive = false` nobody in it is removed, and the next refresh empties it.",
	}
}

// MaxRemovalsAttribute is the resource's removal limit.
func MaxRemovalsAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		Optional: true,
		MarkdownDescription: "The most people one plan of this resource may remove (leaving `members` or `unlisted_members`, or by destroying it). " +
			"A plan that removes more fails, listing them; raise it in the same change to confirm. Default: the provider's `max_removals`, else 10.",
		Validators: []validator.Int64{int64validator.Between(0, 1_000_000)},
	}
}

// UnlistedPath is the path of unlisted_members.
func UnlistedPath() path.Path { return unlistedPath }
