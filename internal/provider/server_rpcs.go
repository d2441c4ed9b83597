// Code below forwards every RPC; keep it in step with terraform-plugin-go's
// tfprotov6 interfaces (TestRedactingServerInterfaces fails otherwise).

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

func (s *redactingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.GetMetadata(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.GetProviderSchema(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.GetResourceIdentitySchemas(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ValidateProviderConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ConfigureProvider(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ValidateResourceConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.UpgradeResourceState(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ReadResource(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.PlanResourceChange(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ApplyResourceChange(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ImportResourceState(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.MoveResourceState(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.UpgradeResourceIdentity(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.GenerateResourceConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ValidateDataResourceConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ReadDataSource(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.GetFunctions(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.ValidateEphemeralResourceConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.OpenEphemeralResource(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.RenewEphemeralResource(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	ctx, end := detach(ctx)
	defer end()
	resp, err := s.inner.CloseEphemeralResource(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	inner, ok := s.inner.(listServer)
	if !ok {
		return nil, errNotServed("ValidateListResourceConfig")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.ValidateListResourceConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	inner, ok := s.inner.(actionServer)
	if !ok {
		return nil, errNotServed("ValidateActionConfig")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.ValidateActionConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	inner, ok := s.inner.(actionServer)
	if !ok {
		return nil, errNotServed("PlanAction")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.PlanAction(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("ValidateStateStoreConfig")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.ValidateStateStoreConfig(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("ConfigureStateStore")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.ConfigureStateStore(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("GetStates")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.GetStates(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("DeleteState")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.DeleteState(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("LockState")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.LockState(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}

func (s *redactingServer) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	inner, ok := s.inner.(stateStoreServer)
	if !ok {
		return nil, errNotServed("UnlockState")
	}
	ctx, end := detach(ctx)
	defer end()
	resp, err := inner.UnlockState(ctx, req)
	if resp != nil {
		redactDiagnostics(resp.Diagnostics)
	}
	return resp, redactError(err)
}
