package acctest

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// Protocol-level tests talk to the provider server the way Terraform does,
// without the terraform binary: they cover what the Terraform on the
// machine is too old to drive (resource identity needs 1.12, list
// resources and `terraform query` 1.14). Values are written as plain Go
// values (string, int, bool, map[string]any, []any, nil) and converted to
// and from the schemas the provider itself reports.

// listServer is the provider server with the list resource RPCs, which
// terraform-plugin-go still declares in a separate, deprecated interface
// until they move into ProviderServer.
type listServer = tfprotov6.ProviderServerWithListResource //nolint:staticcheck // see above

// actionServer is the provider server with the action RPCs (same story).
type actionServer = tfprotov6.ProviderServerWithActions //nolint:staticcheck // see above

// Server is a provider server configured against an Env's sandbox.
type Server struct {
	t      testing.TB
	srv    listServer
	schema *tfprotov6.GetProviderSchemaResponse
	ids    *tfprotov6.GetResourceIdentitySchemasResponse
}

// ProtocolServer starts a provider server and configures every platform
// against the sandbox, as ProviderConfig does. Extra provider attributes
// (max_retries, request_timeout) may be given in settings.
func (e *Env) ProtocolServer(t testing.TB, settings map[string]any) *Server {
	t.Helper()
	ps, err := ProviderFactories["membership"]()
	if err != nil {
		t.Fatal(err)
	}
	srv, ok := ps.(listServer)
	if !ok {
		t.Fatalf("the provider server (%T) does not serve list resources", ps)
	}
	ctx := context.Background()
	schema, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasError(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %s", err, diagText(schema.Diagnostics))
	}
	ids, err := srv.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasError(ids.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %s", err, diagText(ids.Diagnostics))
	}
	s := &Server{t: t, srv: srv, schema: schema, ids: ids}
	cfg := map[string]any{
		"max_retries":     3,
		"request_timeout": "5s",
		"smartdocumentor": map[string]any{"endpoint": e.URL + sandbox.PrefixSmartDocumentor, "client_id": sandbox.SmartDocumentorClientID, "client_secret": sandbox.SmartDocumentorClientSecret},
		"docspace":        map[string]any{"endpoint": e.URL + sandbox.PrefixDocSpace, "token": sandbox.DocSpaceToken},
		"attackforge":     map[string]any{"endpoint": e.URL + sandbox.PrefixAttackForge, "api_key": sandbox.AttackForgeAPIKey},
		"goldleaf":        map[string]any{"endpoint": e.URL + sandbox.PrefixGoldLeaf, "api_key": sandbox.GoldLeafAPIKey, "api_key_name": sandbox.GoldLeafAPIKeyName},
		"royalti":         map[string]any{"endpoint": e.URL + sandbox.PrefixRoyalti, "token": sandbox.RoyaltiToken},
	}
	for k, v := range settings {
		cfg[k] = v
	}
	typ := schema.Provider.ValueType()
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config:           s.dynamic(typ, cfg),
	})
	if err != nil || hasError(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %s", err, diagText(resp.Diagnostics))
	}
	return s
}

// Raw is the underlying provider server, for calls this type doesn't wrap.
func (s *Server) Raw() listServer { return s.srv }

// IdentitySchema returns a resource type's identity schema, failing the
// test when it has none.
func (s *Server) IdentitySchema(typeName string) *tfprotov6.ResourceIdentitySchema {
	s.t.Helper()
	is := s.ids.IdentitySchemas[typeName]
	if is == nil {
		s.t.Fatalf("resource %s has no identity schema", typeName)
	}
	return is
}

// identityType is the object type of a resource type's identity.
func (s *Server) identityType(typeName string) tftypes.Object {
	is := s.IdentitySchema(typeName)
	attrs := map[string]tftypes.Type{}
	for _, a := range is.IdentityAttributes {
		attrs[a.Name] = a.Type
	}
	return tftypes.Object{AttributeTypes: attrs}
}

// resourceSchema returns a resource type's schema, failing the test when
// the provider has no such type.
func (s *Server) resourceSchema(typeName string) *tfprotov6.Schema {
	s.t.Helper()
	rs := s.schema.ResourceSchemas[typeName]
	if rs == nil {
		s.t.Fatalf("no resource type %s", typeName)
	}
	return rs
}

func (s *Server) resourceType(typeName string) tftypes.Type {
	s.t.Helper()
	return s.resourceSchema(typeName).ValueType()
}

// Identity is a resource identity as Go values.
func (s *Server) Identity(typeName string, values map[string]any) *tfprotov6.ResourceIdentityData {
	return &tfprotov6.ResourceIdentityData{IdentityData: s.dynamic(s.identityType(typeName), values)}
}

// ImportByIdentity imports a resource by identity, the way an
// `import { identity = {...} }` block does.
func (s *Server) ImportByIdentity(ctx context.Context, typeName string, identity map[string]any) *tfprotov6.ImportResourceStateResponse {
	s.t.Helper()
	resp, err := s.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName,
		Identity: s.Identity(typeName, identity),
	})
	if err != nil {
		s.t.Fatalf("ImportResourceState: %v", err)
	}
	return resp
}

// ImportByID imports a resource by its string import id.
func (s *Server) ImportByID(ctx context.Context, typeName, id string) *tfprotov6.ImportResourceStateResponse {
	s.t.Helper()
	resp, err := s.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: id})
	if err != nil {
		s.t.Fatalf("ImportResourceState: %v", err)
	}
	return resp
}

// Read refreshes an imported (or created) resource, as terraform does
// after an import, passing its identity along.
func (s *Server) Read(ctx context.Context, typeName string, state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData, private []byte) *tfprotov6.ReadResourceResponse {
	s.t.Helper()
	resp, err := s.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: state, CurrentIdentity: identity, Private: private,
	})
	if err != nil {
		s.t.Fatalf("ReadResource: %v", err)
	}
	return resp
}

// PlanDestroy plans the destruction of a resource whose state is prior
// (Go values), as `terraform plan` does for a resource removed from the
// configuration: a null proposed new state and a null configuration.
func (s *Server) PlanDestroy(ctx context.Context, typeName string, prior map[string]any) *tfprotov6.PlanResourceChangeResponse {
	s.t.Helper()
	typ := s.resourceType(typeName)
	nv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		s.t.Fatal(err)
	}
	resp, err := s.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: s.dynamic(typ, prior), ProposedNewState: &nv, Config: &nv,
	})
	if err != nil {
		s.t.Fatalf("PlanResourceChange: %v", err)
	}
	return resp
}

// actionType is an action's config type, failing the test when the
// provider has no such action.
func (s *Server) actionType(typeName string) tftypes.Type {
	s.t.Helper()
	as := s.schema.ActionSchemas[typeName]
	if as == nil || as.Schema == nil {
		s.t.Fatalf("no action %s", typeName)
	}
	return as.Schema.ValueType()
}

func (s *Server) actions() actionServer {
	s.t.Helper()
	as, ok := s.srv.(actionServer)
	if !ok {
		s.t.Fatalf("the provider server (%T) does not serve actions", s.srv)
	}
	return as
}

// ActionSchema returns an action's schema.
func (s *Server) ActionSchema(typeName string) *tfprotov6.Schema {
	s.t.Helper()
	s.actionType(typeName)
	return s.schema.ActionSchemas[typeName].Schema
}

// ValidateAction validates an action's configuration (Go values), as
// `terraform validate` does.
func (s *Server) ValidateAction(ctx context.Context, typeName string, config map[string]any) []*tfprotov6.Diagnostic {
	s.t.Helper()
	resp, err := s.actions().ValidateActionConfig(ctx, &tfprotov6.ValidateActionConfigRequest{ActionType: typeName, Config: s.dynamic(s.actionType(typeName), config)})
	if err != nil {
		s.t.Fatalf("ValidateActionConfig: %v", err)
	}
	return resp.Diagnostics
}

// PlanAction plans an action (Go values), as `terraform plan` does for an
// action that will run.
func (s *Server) PlanAction(ctx context.Context, typeName string, config map[string]any) []*tfprotov6.Diagnostic {
	s.t.Helper()
	resp, err := s.actions().PlanAction(ctx, &tfprotov6.PlanActionRequest{ActionType: typeName, Config: s.dynamic(s.actionType(typeName), config)})
	if err != nil {
		s.t.Fatalf("PlanAction: %v", err)
	}
	return resp.Diagnostics
}

// InvokeAction runs an action (Go values), as `terraform apply -invoke`
// does, and returns the progress messages it sent and the diagnostics it
// completed with.
func (s *Server) InvokeAction(ctx context.Context, typeName string, config map[string]any) (progress []string, diags []*tfprotov6.Diagnostic) {
	s.t.Helper()
	stream, err := s.actions().InvokeAction(ctx, &tfprotov6.InvokeActionRequest{ActionType: typeName, Config: s.dynamic(s.actionType(typeName), config)})
	if err != nil {
		s.t.Fatalf("InvokeAction: %v", err)
	}
	for e := range stream.Events {
		switch t := e.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, t.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			diags = append(diags, t.Diagnostics...)
		}
	}
	return progress, diags
}

// ListResult is one list result decoded to Go values.
type ListResult struct {
	DisplayName string
	Identity    map[string]any
	// Resource is nil unless the resource object was asked for.
	Resource    map[string]any
	Diagnostics []*tfprotov6.Diagnostic
}

// List runs a list resource with config (the list block's attributes) and
// collects its results, stopping early when stop returns true (to test a
// consumer that stops reading). limit 0 means no limit; with a limit, List
// reads no more than limit results, as Terraform does (it never reads
// what comes after them, warnings included).
func (s *Server) List(ctx context.Context, typeName string, config map[string]any, includeResource bool, limit int64, stop func(n int) bool) ([]ListResult, []*tfprotov6.Diagnostic) {
	s.t.Helper()
	ls := s.schema.ListResourceSchemas[typeName]
	if ls == nil {
		s.t.Fatalf("no list resource %s", typeName)
	}
	cfg := s.dynamic(ls.ValueType(), config)
	if v, err := s.srv.ValidateListResourceConfig(ctx, &tfprotov6.ValidateListResourceConfigRequest{TypeName: typeName, Config: cfg}); err != nil {
		s.t.Fatalf("ValidateListResourceConfig: %v", err)
	} else if hasError(v.Diagnostics) {
		return nil, v.Diagnostics
	}
	stream, err := s.srv.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: typeName, Config: cfg, IncludeResource: includeResource, Limit: limit})
	if err != nil {
		s.t.Fatalf("ListResource: %v", err)
	}
	var out []ListResult
	var diags []*tfprotov6.Diagnostic
	idType := s.identityType(typeName)
	resType := s.resourceType(typeName)
	for r := range stream.Results {
		if len(r.Diagnostics) > 0 && r.Identity == nil {
			diags = append(diags, r.Diagnostics...)
			continue
		}
		lr := ListResult{DisplayName: r.DisplayName, Diagnostics: r.Diagnostics}
		if r.Identity != nil && r.Identity.IdentityData != nil {
			lr.Identity, _ = s.decode(idType, r.Identity.IdentityData).(map[string]any)
		}
		if r.Resource != nil {
			lr.Resource, _ = s.decode(resType, r.Resource).(map[string]any)
		}
		out = append(out, lr)
		if (stop != nil && stop(len(out))) || (limit > 0 && int64(len(out)) >= limit) {
			break
		}
	}
	return out, diags
}

// Decode turns a DynamicValue of a resource type's state into Go values.
func (s *Server) Decode(typeName string, v *tfprotov6.DynamicValue) map[string]any {
	m, _ := s.decode(s.resourceType(typeName), v).(map[string]any)
	return m
}

// DecodeIdentity turns identity data into Go values.
func (s *Server) DecodeIdentity(typeName string, v *tfprotov6.ResourceIdentityData) map[string]any {
	if v == nil || v.IdentityData == nil {
		return nil
	}
	m, _ := s.decode(s.identityType(typeName), v.IdentityData).(map[string]any)
	return m
}

func (s *Server) dynamic(typ tftypes.Type, values map[string]any) *tfprotov6.DynamicValue {
	s.t.Helper()
	v, err := toValue(typ, values)
	if err != nil {
		s.t.Fatalf("building a %s value: %v", typ, err)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		s.t.Fatal(err)
	}
	return &dv
}

func (s *Server) decode(typ tftypes.Type, dv *tfprotov6.DynamicValue) any {
	s.t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		s.t.Fatalf("decoding a %s value: %v", typ, err)
	}
	return fromValue(v)
}

// toValue converts Go values to a tftypes.Value of typ; attributes missing
// from a map are null.
func toValue(typ tftypes.Type, v any) (tftypes.Value, error) {
	if v == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	if typ.Is(tftypes.String) || typ.Is(tftypes.Bool) || typ.Is(tftypes.Number) {
		return primitiveValue(typ, v)
	}
	switch t := typ.(type) {
	case tftypes.Object:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a map for an object, got %T", v)
		}
		for k := range m {
			if _, ok := t.AttributeTypes[k]; !ok {
				return tftypes.Value{}, fmt.Errorf("no attribute %q in %s", k, t)
			}
		}
		vals := map[string]tftypes.Value{}
		for name, at := range t.AttributeTypes {
			av, err := toValue(at, m[name])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			vals[name] = av
		}
		return tftypes.NewValue(t, vals), nil
	case tftypes.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a map, got %T", v)
		}
		vals := map[string]tftypes.Value{}
		for k, e := range m {
			ev, err := toValue(t.ElementType, e)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("[%q]: %w", k, err)
			}
			vals[k] = ev
		}
		return tftypes.NewValue(t, vals), nil
	case tftypes.List:
		return sequenceValue(t, t.ElementType, v)
	case tftypes.Set:
		return sequenceValue(t, t.ElementType, v)
	}
	return tftypes.Value{}, fmt.Errorf("unsupported type %s", typ)
}

// primitiveValue converts a string, a bool or a number (int, int64,
// float64) to a value of typ.
func primitiveValue(typ tftypes.Type, v any) (tftypes.Value, error) {
	switch {
	case typ.Is(tftypes.String):
		s, ok := v.(string)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a string, got %T", v)
		}
		return tftypes.NewValue(typ, s), nil
	case typ.Is(tftypes.Bool):
		b, ok := v.(bool)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a bool, got %T", v)
		}
		return tftypes.NewValue(typ, b), nil
	}
	switch n := v.(type) {
	case int:
		return tftypes.NewValue(typ, big.NewFloat(float64(n))), nil
	case int64:
		return tftypes.NewValue(typ, big.NewFloat(float64(n))), nil
	case float64:
		return tftypes.NewValue(typ, big.NewFloat(n)), nil
	}
	return tftypes.Value{}, fmt.Errorf("want a number, got %T", v)
}

// sequenceValue converts a []any to a list or set of typ whose elements
// are of type et.
func sequenceValue(typ, et tftypes.Type, v any) (tftypes.Value, error) {
	items, ok := v.([]any)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("want a []any, got %T", v)
	}
	vals := make([]tftypes.Value, 0, len(items))
	for i, e := range items {
		ev, err := toValue(et, e)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("[%d]: %w", i, err)
		}
		vals = append(vals, ev)
	}
	return tftypes.NewValue(typ, vals), nil
}

// fromValue converts a tftypes.Value to Go values: string, bool, int64 or
// float64, map[string]any, []any, nil for null (and "<unknown>" for
// unknown values, which results must never hold).
func fromValue(v tftypes.Value) any {
	if !v.IsKnown() {
		return "<unknown>"
	}
	if v.IsNull() {
		return nil
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case typ.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case typ.Is(tftypes.Number):
		var f big.Float
		_ = v.As(&f)
		if i, acc := f.Int64(); acc == big.Exact {
			return i
		}
		x, _ := f.Float64()
		return x
	}
	switch typ.(type) {
	case tftypes.Object, tftypes.Map:
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = fromValue(e)
		}
		return out
	case tftypes.List, tftypes.Set, tftypes.Tuple:
		var l []tftypes.Value
		_ = v.As(&l)
		out := make([]any, 0, len(l))
		for _, e := range l {
			out = append(out, fromValue(e))
		}
		return out
	}
	return fmt.Sprintf("<%s>", typ)
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// ListDiagnostics are the diagnostics of a List: those sent alone and
// those sent with a result.
func ListDiagnostics(results []ListResult, diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	out := append([]*tfprotov6.Diagnostic{}, diags...)
	for _, r := range results {
		out = append(out, r.Diagnostics...)
	}
	return out
}

// DiagText renders diagnostics for test failures and assertions.
func DiagText(diags []*tfprotov6.Diagnostic) string { return diagText(diags) }

func diagText(diags []*tfprotov6.Diagnostic) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, fmt.Sprintf("[%s] %s: %s", d.Severity, d.Summary, d.Detail))
	}
	sort.Strings(lines)
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}

// HasError reports whether diags hold an error.
func HasError(diags []*tfprotov6.Diagnostic) bool { return hasError(diags) }

// StateCheck is a statecheck.StateCheck made of a function, for checks
// that need the whole state or the sandbox (for_each instances can't go
// through the legacy terraform.State that Check functions get).
type StateCheck func(state *tfjson.State) error

// CheckState implements statecheck.StateCheck.
func (f StateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if err := f(req.State); err != nil {
		resp.Error = err
	}
}

// CountResources counts the root module's resource instances of a type.
func CountResources(state *tfjson.State, typeName string) int {
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return 0
	}
	n := 0
	for _, r := range state.Values.RootModule.Resources {
		if r.Type == typeName && r.Mode == tfjson.ManagedResourceMode {
			n++
		}
	}
	return n
}
