package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// listServer is the provider server with the list resource RPCs, which
// terraform-plugin-go still declares in a separate, deprecated interface
// until they move into ProviderServer.
type listServer = tfprotov6.ProviderServerWithListResource //nolint:staticcheck // see above

// Server is what ProtocolServer returns: a provider server with every
// optional RPC interface the framework's server has (list resources,
// actions, state stores).
type Server interface {
	listServer
	actionServer
	stateStoreServer
}

// terraform-plugin-go marks the optional interfaces deprecated because it
// will fold them into ProviderServer; until then, forwarding them needs
// their names.
type (
	actionServer     = tfprotov6.ProviderServerWithActions     //nolint:staticcheck // see above
	stateStoreServer = tfprotov6.ProviderServerWithStateStores //nolint:staticcheck // see above
)

var _ Server = (*redactingServer)(nil)

// ProtocolServer is the provider's protocol server, for main.go and the
// acceptance tests: the framework's server wrapped so that no diagnostic,
// warning or error leaving the provider holds a secret (see
// shared.RegisterSecret).
func ProtocolServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return Redacting(providerserver.NewProtocol6(New(version)())())
	}
}

// Redacting wraps a provider server so that every diagnostic summary and
// detail, function error and RPC error it returns has the registered
// secrets redacted. It forwards every RPC, including those of the optional
// interfaces (list resources, actions, state stores).
func Redacting(inner tfprotov6.ProviderServer) Server {
	return &redactingServer{inner: inner}
}

type redactingServer struct {
	inner tfprotov6.ProviderServer
}

func errNotServed(rpc string) error {
	return fmt.Errorf("the provider server does not serve %s; this is a bug in the provider", rpc)
}

func redactDiagnostics(ds []*tfprotov6.Diagnostic) {
	for _, d := range ds {
		if d == nil {
			continue
		}
		d.Summary = shared.RedactSecrets(d.Summary)
		d.Detail = shared.RedactSecrets(d.Detail)
	}
}

func redactError(err error) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); shared.RedactSecrets(msg) != msg {
		return errors.New(shared.RedactSecrets(msg))
	}
	return err
}

func (s *redactingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.StopProvider(ctx, req)
	if resp != nil {
		resp.Error = shared.RedactSecrets(resp.Error)
	}
	return resp, redactError(err)
}

func (s *redactingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.CallFunction(ctx, req)
	if resp != nil && resp.Error != nil {
		resp.Error.Text = shared.RedactSecrets(resp.Error.Text)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	inner, ok := s.inner.(listServer)
	if !ok {
		return nil, errNotServed("ListResource")
	}
	// The stream runs after this returns: the RPC's context ends with it.
	ctx, end := detach(ctx)
	stream, err := inner.ListResource(ctx, req)
	if stream == nil || stream.Results == nil {
		end()
	}
	if stream != nil && stream.Results != nil {
		results := stream.Results
		stream.Results = func(yield func(tfprotov6.ListResourceResult) bool) {
			defer end()
			for r := range results {
				redactDiagnostics(r.Diagnostics)
				r.DisplayName = shared.RedactSecrets(r.DisplayName)
				if !yield(r) {
					return
				}
			}
		}
	}
	return stream, redactError(err)
}

func (s *redactingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	inner, ok := s.inner.(actionServer)
	if !ok {
		return nil, errNotServed("InvokeAction")
	}
	// The stream runs after this returns: the RPC's context ends with it.
	ctx, end := detach(ctx)
	stream, err := inner.InvokeAction(ctx, req)
	if stream == nil || stream.Events == nil {
		end()
	}
	if stream != nil && stream.Events != nil {
		events := stream.Events
		stream.Events = func(yield func(tfprotov6.InvokeActionEvent) bool) {
			defer end()
			for e := range events {
				switch t := e.Type.(type) {
				case tfprotov6.ProgressInvokeActionEventType:
					t.Message = shared.RedactSecrets(t.Message)
					e.Type = t
				case tfprotov6.CompletedInvokeActionEventType:
					redactDiagnostics(t.Diagnostics)
				}
				if !yield(e) {
					return
				}
			}
		}
	}
	return stream, redactError(err)
}

func (s *redactingServer) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("ReadStateBytes")
	}
	// The stream runs after this returns: the RPC's context ends with it.
	ctx, end := detach(ctx)
	stream, err := inner.ReadStateBytes(ctx, req)
	if stream == nil || stream.Chunks == nil {
		end()
	}
	if stream != nil && stream.Chunks != nil {
		chunks := stream.Chunks
		stream.Chunks = func(yield func(tfprotov6.ReadStateByteChunk) bool) {
			defer end()
			for c := range chunks {
				redactDiagnostics(c.Diagnostics)
				if !yield(c) {
					return
				}
			}
		}
	}
	return stream, redactError(err)
}

func (s *redactingServer) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("WriteStateBytes")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.WriteStateBytes(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}
