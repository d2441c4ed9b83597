package provider

import (
	"context"
	"errors"
	"fmt"
	"iter"

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
//
// Every RPC goes through one of two forwarders, which take the steps every
// RPC needs: unary (an RPC that answers once) and stream (an RPC that
// answers with a stream Terraform reads after the RPC returned). The RPC
// methods themselves (server_rpcs.go) only say which inner method to call
// and where the answer holds text to redact; TestEveryRPCIsRedacted calls
// every method of Server to check that none skips the steps.
func Redacting(inner tfprotov6.ProviderServer) Server {
	return &redactingServer{inner: inner}
}

type redactingServer struct {
	inner tfprotov6.ProviderServer
}

// unary serves one RPC that answers once, in the steps every RPC takes:
//  1. the inner server's implementation of S, the interface the RPC
//     belongs to (tfprotov6.ProviderServer, or an optional one such as
//     actionServer), or an error naming the RPC when it has none;
//  2. call with a context detached from the RPC's (rpcContext), let go of
//     when the RPC returns;
//  3. the answer redacted (redact: its diagnostics, its error text) and
//     the RPC's error too.
//
// call is the method expression of the RPC (tfprotov6.ProviderServer.ReadResource).
func unary[S, Req, Resp any](ctx context.Context, s *redactingServer, rpc string,
	call func(S, context.Context, *Req) (*Resp, error), req *Req, redact func(*Resp)) (*Resp, error) {
	inner, ok := s.inner.(S)
	if !ok {
		return nil, errNotServed(rpc)
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := call(inner, ctx, req)
	if resp != nil {
		redact(resp)
	}
	return resp, redactError(err)
}

// stream serves one RPC that answers with a stream, in the steps of unary
// with two differences: the stream runs after the RPC returns, so the
// RPC's context ends when Terraform has read the stream (or when there is
// no stream to read), and each item is redacted as it leaves. items points
// at the stream's iterator, which stream replaces.
func stream[S, Req, Stream, Item any](ctx context.Context, s *redactingServer, rpc string,
	call func(S, context.Context, *Req) (*Stream, error), req *Req,
	items func(*Stream) *iter.Seq[Item], redact func(*Item)) (*Stream, error) {
	inner, ok := s.inner.(S)
	if !ok {
		return nil, errNotServed(rpc)
	}
	ctx, end := detach(ctx)
	st, err := call(inner, ctx, req)
	if st == nil || *items(st) == nil {
		end()
		return st, redactError(err)
	}
	seq := items(st)
	unredacted := *seq
	*seq = func(yield func(Item) bool) {
		defer end()
		for it := range unredacted {
			redact(&it)
			if !yield(it) {
				return
			}
		}
	}
	return st, redactError(err)
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
