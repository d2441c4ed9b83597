package provider

// The RPCs of Server, in the order of terraform-plugin-go's tfprotov6
// interfaces. Each one names the inner method it forwards to and, for the
// answer, what to redact; unary and stream (server.go) take every other
// step. A new RPC in terraform-plugin-go fails to compile until it is added
// here; TestEveryRPCIsRedacted then checks that it redacts its answer.

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Provider RPCs (tfprotov6.ProviderServer).

func (s *redactingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return unary(ctx, s, "GetMetadata", tfprotov6.ProviderServer.GetMetadata, req,
		func(r *tfprotov6.GetMetadataResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return unary(ctx, s, "GetProviderSchema", tfprotov6.ProviderServer.GetProviderSchema, req,
		func(r *tfprotov6.GetProviderSchemaResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return unary(ctx, s, "GetResourceIdentitySchemas", tfprotov6.ProviderServer.GetResourceIdentitySchemas, req,
		func(r *tfprotov6.GetResourceIdentitySchemasResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return unary(ctx, s, "ValidateProviderConfig", tfprotov6.ProviderServer.ValidateProviderConfig, req,
		func(r *tfprotov6.ValidateProviderConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return unary(ctx, s, "ConfigureProvider", tfprotov6.ProviderServer.ConfigureProvider, req,
		func(r *tfprotov6.ConfigureProviderResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return unary(ctx, s, "StopProvider", tfprotov6.ProviderServer.StopProvider, req,
		func(r *tfprotov6.StopProviderResponse) { r.Error = shared.RedactSecrets(r.Error) })
}

// Resource RPCs (tfprotov6.ResourceServer).

func (s *redactingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return unary(ctx, s, "ValidateResourceConfig", tfprotov6.ProviderServer.ValidateResourceConfig, req,
		func(r *tfprotov6.ValidateResourceConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return unary(ctx, s, "UpgradeResourceState", tfprotov6.ProviderServer.UpgradeResourceState, req,
		func(r *tfprotov6.UpgradeResourceStateResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return unary(ctx, s, "ReadResource", tfprotov6.ProviderServer.ReadResource, req,
		func(r *tfprotov6.ReadResourceResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return unary(ctx, s, "PlanResourceChange", tfprotov6.ProviderServer.PlanResourceChange, req,
		func(r *tfprotov6.PlanResourceChangeResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return unary(ctx, s, "ApplyResourceChange", tfprotov6.ProviderServer.ApplyResourceChange, req,
		func(r *tfprotov6.ApplyResourceChangeResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return unary(ctx, s, "ImportResourceState", tfprotov6.ProviderServer.ImportResourceState, req,
		func(r *tfprotov6.ImportResourceStateResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return unary(ctx, s, "MoveResourceState", tfprotov6.ProviderServer.MoveResourceState, req,
		func(r *tfprotov6.MoveResourceStateResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return unary(ctx, s, "UpgradeResourceIdentity", tfprotov6.ProviderServer.UpgradeResourceIdentity, req,
		func(r *tfprotov6.UpgradeResourceIdentityResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return unary(ctx, s, "GenerateResourceConfig", tfprotov6.ProviderServer.GenerateResourceConfig, req,
		func(r *tfprotov6.GenerateResourceConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

// Data source RPCs (tfprotov6.DataSourceServer).

func (s *redactingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return unary(ctx, s, "ValidateDataResourceConfig", tfprotov6.ProviderServer.ValidateDataResourceConfig, req,
		func(r *tfprotov6.ValidateDataResourceConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return unary(ctx, s, "ReadDataSource", tfprotov6.ProviderServer.ReadDataSource, req,
		func(r *tfprotov6.ReadDataSourceResponse) { redactDiagnostics(r.Diagnostics) })
}

// Function RPCs (tfprotov6.FunctionServer).

func (s *redactingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return unary(ctx, s, "CallFunction", tfprotov6.ProviderServer.CallFunction, req,
		func(r *tfprotov6.CallFunctionResponse) {
			if r.Error != nil {
				r.Error.Text = shared.RedactSecrets(r.Error.Text)
			}
		})
}

func (s *redactingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return unary(ctx, s, "GetFunctions", tfprotov6.ProviderServer.GetFunctions, req,
		func(r *tfprotov6.GetFunctionsResponse) { redactDiagnostics(r.Diagnostics) })
}

// Ephemeral resource RPCs (tfprotov6.EphemeralResourceServer).

func (s *redactingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return unary(ctx, s, "ValidateEphemeralResourceConfig", tfprotov6.ProviderServer.ValidateEphemeralResourceConfig, req,
		func(r *tfprotov6.ValidateEphemeralResourceConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return unary(ctx, s, "OpenEphemeralResource", tfprotov6.ProviderServer.OpenEphemeralResource, req,
		func(r *tfprotov6.OpenEphemeralResourceResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return unary(ctx, s, "RenewEphemeralResource", tfprotov6.ProviderServer.RenewEphemeralResource, req,
		func(r *tfprotov6.RenewEphemeralResourceResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return unary(ctx, s, "CloseEphemeralResource", tfprotov6.ProviderServer.CloseEphemeralResource, req,
		func(r *tfprotov6.CloseEphemeralResourceResponse) { redactDiagnostics(r.Diagnostics) })
}

// List resource RPCs (tfprotov6.ListResourceServer, Terraform 1.14 and later).

func (s *redactingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return unary(ctx, s, "ValidateListResourceConfig", listServer.ValidateListResourceConfig, req,
		func(r *tfprotov6.ValidateListResourceConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return stream(ctx, s, "ListResource", listServer.ListResource, req,
		func(st *tfprotov6.ListResourceServerStream) *iter.Seq[tfprotov6.ListResourceResult] {
			return &st.Results
		},
		func(r *tfprotov6.ListResourceResult) {
			redactDiagnostics(r.Diagnostics)
			r.DisplayName = shared.RedactSecrets(r.DisplayName)
		})
}

// Action RPCs (tfprotov6.ActionServer, Terraform 1.14 and later).

func (s *redactingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return unary(ctx, s, "ValidateActionConfig", actionServer.ValidateActionConfig, req,
		func(r *tfprotov6.ValidateActionConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return unary(ctx, s, "PlanAction", actionServer.PlanAction, req,
		func(r *tfprotov6.PlanActionResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return stream(ctx, s, "InvokeAction", actionServer.InvokeAction, req,
		func(st *tfprotov6.InvokeActionServerStream) *iter.Seq[tfprotov6.InvokeActionEvent] { return &st.Events },
		func(e *tfprotov6.InvokeActionEvent) {
			switch t := e.Type.(type) {
			case tfprotov6.ProgressInvokeActionEventType:
				t.Message = shared.RedactSecrets(t.Message)
				e.Type = t
			case tfprotov6.CompletedInvokeActionEventType:
				redactDiagnostics(t.Diagnostics)
			}
		})
}

// State store RPCs (tfprotov6.StateStoreServer).

func (s *redactingServer) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return unary(ctx, s, "ValidateStateStoreConfig", stateStoreServer.ValidateStateStoreConfig, req,
		func(r *tfprotov6.ValidateStateStoreConfigResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return unary(ctx, s, "ConfigureStateStore", stateStoreServer.ConfigureStateStore, req,
		func(r *tfprotov6.ConfigureStateStoreResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	return stream(ctx, s, "ReadStateBytes", stateStoreServer.ReadStateBytes, req,
		func(st *tfprotov6.ReadStateBytesStream) *iter.Seq[tfprotov6.ReadStateByteChunk] { return &st.Chunks },
		func(c *tfprotov6.ReadStateByteChunk) { redactDiagnostics(c.Diagnostics) })
}

func (s *redactingServer) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	return unary(ctx, s, "WriteStateBytes", stateStoreServer.WriteStateBytes, req,
		func(r *tfprotov6.WriteStateBytesResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return unary(ctx, s, "GetStates", stateStoreServer.GetStates, req,
		func(r *tfprotov6.GetStatesResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return unary(ctx, s, "DeleteState", stateStoreServer.DeleteState, req,
		func(r *tfprotov6.DeleteStateResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return unary(ctx, s, "LockState", stateStoreServer.LockState, req,
		func(r *tfprotov6.LockStateResponse) { redactDiagnostics(r.Diagnostics) })
}

func (s *redactingServer) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return unary(ctx, s, "UnlockState", stateStoreServer.UnlockState, req,
		func(r *tfprotov6.UnlockStateResponse) { redactDiagnostics(r.Diagnostics) })
}
