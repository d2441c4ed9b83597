package provider

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// The wrapped server keeps every optional interface of the framework's
// server: without them list resources (terraform query), actions and
// state stores would break behind it.
func TestRedactingServerInterfaces(t *testing.T) {
	framework := providerserver.NewProtocol6(New("test")())()
	if _, ok := framework.(Server); !ok {
		t.Fatalf("the framework's server (%T) no longer has every interface Server lists: update Server", framework)
	}
	ps := ProtocolServer("test")()
	if _, ok := ps.(listServer); !ok {
		t.Error("the wrapped server does not serve list resources")
	}
	if _, ok := ps.(actionServer); !ok {
		t.Error("the wrapped server does not serve actions")
	}
	if _, ok := ps.(stateStoreServer); !ok {
		t.Error("the wrapped server does not serve state stores")
	}
	// And it answers.
	meta, err := ps.GetMetadata(context.Background(), &tfprotov6.GetMetadataRequest{})
	if err != nil || len(meta.Resources) == 0 {
		t.Fatalf("GetMetadata: %v %+v", err, meta)
	}
	if len(meta.ListResources) == 0 {
		t.Error("no list resources in the metadata of the wrapped server")
	}
}

// fakeServer answers every RPC used below with a diagnostic quoting a
// secret, as an API echoing the request would make the provider do.
type fakeServer struct {
	tfprotov6.ProviderServer
	secret string
}

func (f fakeServer) diags() []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{
		{Severity: tfprotov6.DiagnosticSeverityError, Summary: "failed " + f.secret, Detail: "the API said: Authorization: Bearer " + f.secret},
		{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: "warning", Detail: "key=" + f.secret},
	}
}

func (f fakeServer) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: f.diags()}, nil
}

func (f fakeServer) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return nil, errors.New("rpc failed with " + f.secret)
}

func (f fakeServer) ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		yield(tfprotov6.ListResourceResult{DisplayName: "x", Diagnostics: f.diags()})
	}}, nil
}

func (f fakeServer) ValidateListResourceConfig(context.Context, *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return &tfprotov6.ValidateListResourceConfigResponse{Diagnostics: f.diags()}, nil
}

func TestRedactingServerRedactsEveryDiagnostic(t *testing.T) {
	const secret = "echoed-Secret-Value-31337"
	shared.RegisterSecret(secret)
	s := Redacting(fakeServer{secret: secret})
	ctx := context.Background()
	check := func(what string, ds []*tfprotov6.Diagnostic) {
		t.Helper()
		if len(ds) != 2 {
			t.Fatalf("%s: %d diagnostics", what, len(ds))
		}
		for _, d := range ds {
			if strings.Contains(d.Summary+d.Detail, secret) {
				t.Errorf("%s: the secret leaked: %q %q", what, d.Summary, d.Detail)
			}
			if !strings.Contains(d.Summary+d.Detail, "[REDACTED]") {
				t.Errorf("%s: nothing redacted: %q %q", what, d.Summary, d.Detail)
			}
		}
	}
	apply, _ := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{})
	check("apply", apply.Diagnostics)
	v, _ := s.ValidateListResourceConfig(ctx, &tfprotov6.ValidateListResourceConfigRequest{})
	check("validate list", v.Diagnostics)
	stream, _ := s.ListResource(ctx, &tfprotov6.ListResourceRequest{})
	n := 0
	for r := range stream.Results {
		check("list result", r.Diagnostics)
		n++
	}
	if n != 1 {
		t.Fatalf("%d list results", n)
	}
	if _, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{}); err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("RPC error not redacted: %v", err)
	}
}
