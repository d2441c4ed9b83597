package provider

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const everyRPCSecret = "every-RPC-Secret-Value-4242"

// TestEveryRPCIsRedacted calls every method of Server (found by reflection,
// so a new RPC is covered the day it is added) on a wrapped server whose
// inner server answers each RPC with the secret in every text that reaches
// Terraform (diagnostics, errors, display names, progress messages, the
// items of streams) and in the RPC's error, and checks that none of it
// leaves unredacted. An RPC whose forwarder forgot to redact fails here.
func TestEveryRPCIsRedacted(t *testing.T) {
	shared.RegisterSecret(everyRPCSecret)
	s := Redacting(secretServer{})
	sv := reflect.ValueOf(s)
	st := reflect.TypeFor[Server]()
	for i := range st.NumMethod() {
		name := st.Method(i).Name
		t.Run(name, func(t *testing.T) {
			m := sv.MethodByName(name)
			req := reflect.New(m.Type().In(1).Elem())
			out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
			if err, _ := out[1].Interface().(error); err == nil {
				t.Error("the inner server's error was lost")
			} else if strings.Contains(err.Error(), everyRPCSecret) {
				t.Errorf("the RPC error leaked the secret: %v", err)
			}
			var texts []string
			collectTexts(out[0], &texts)
			if len(texts) == 0 {
				t.Fatal("no text in the answer: secretServer does not fill this RPC's answer")
			}
			redacted := 0
			for _, s := range texts {
				if strings.Contains(s, everyRPCSecret) {
					t.Errorf("the secret leaked: %q", s)
				}
				if strings.Contains(s, "[REDACTED]") {
					redacted++
				}
			}
			if redacted == 0 {
				t.Errorf("nothing redacted in %q", texts)
			}
		})
	}
}

// A wrapped server whose inner server lacks an optional interface (list
// resources, actions, state stores) answers its RPCs with an error naming
// the RPC, never a panic.
func TestRedactingServerOptionalRPCsNotServed(t *testing.T) {
	s := reflect.ValueOf(Redacting(struct{ tfprotov6.ProviderServer }{}))
	st := reflect.TypeFor[Server]()
	base := reflect.TypeFor[tfprotov6.ProviderServer]()
	optional := 0
	for i := range st.NumMethod() {
		name := st.Method(i).Name
		if _, ok := base.MethodByName(name); ok {
			continue
		}
		optional++
		m := s.MethodByName(name)
		out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.New(m.Type().In(1).Elem())})
		err, _ := out[1].Interface().(error)
		if err == nil || !strings.Contains(err.Error(), name) || !out[0].IsNil() {
			t.Errorf("%s: %v, %v; want no answer and an error naming the RPC", name, out[0], err)
		}
	}
	if optional == 0 {
		t.Fatal("no optional RPC found")
	}
}

// textFields are the fields of the protocol's answers that hold text
// Terraform shows.
var textFields = map[string]bool{"Summary": true, "Detail": true, "Error": true, "DisplayName": true, "Message": true, "Text": true}

// collectTexts appends every text field reachable from v, including the
// items of iter.Seq streams (which it runs).
func collectTexts(v reflect.Value, texts *[]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectTexts(v.Elem(), texts)
		}
	case reflect.Slice:
		for i := range v.Len() {
			collectTexts(v.Index(i), texts)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.Type.Kind() == reflect.String && textFields[f.Name] {
				*texts = append(*texts, v.Field(i).String())
				continue
			}
			collectTexts(v.Field(i), texts)
		}
	case reflect.Func:
		if v.IsNil() || !isSeq(v.Type()) {
			return
		}
		yield := reflect.MakeFunc(v.Type().In(0), func(args []reflect.Value) []reflect.Value {
			collectTexts(args[0], texts)
			return []reflect.Value{reflect.ValueOf(true)}
		})
		v.Call([]reflect.Value{yield})
	}
}

// isSeq reports whether t is an iter.Seq[T]: func(yield func(T) bool).
func isSeq(t reflect.Type) bool {
	if t.NumIn() != 1 || t.NumOut() != 0 {
		return false
	}
	y := t.In(0)
	return y.Kind() == reflect.Func && y.NumIn() == 1 && y.NumOut() == 1 && y.Out(0).Kind() == reflect.Bool
}

// fillSecrets puts the secret in every text field reachable from v (a
// settable value), allocating nil pointers to structs, and makes every
// iter.Seq a stream of two such items. variant picks which event an
// action's stream item is (progress, then completed).
func fillSecrets(v reflect.Value, variant int) {
	diagsType := reflect.TypeFor[[]*tfprotov6.Diagnostic]()
	switch {
	case v.Type() == diagsType:
		v.Set(reflect.ValueOf([]*tfprotov6.Diagnostic{
			{Severity: tfprotov6.DiagnosticSeverityError, Summary: "failed " + everyRPCSecret, Detail: "the API said: " + everyRPCSecret},
		}))
	case v.Type() == reflect.TypeFor[tfprotov6.InvokeActionEventType]():
		if variant == 0 {
			v.Set(reflect.ValueOf(tfprotov6.ProgressInvokeActionEventType{Message: "working on " + everyRPCSecret}))
		} else {
			c := tfprotov6.CompletedInvokeActionEventType{}
			fillSecrets(reflect.ValueOf(&c.Diagnostics).Elem(), 0)
			v.Set(reflect.ValueOf(c))
		}
	case v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fillSecrets(v.Elem(), variant)
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Type.Kind() == reflect.String && textFields[f.Name] {
				v.Field(i).SetString("text with " + everyRPCSecret)
				continue
			}
			fillSecrets(v.Field(i), variant)
		}
	case v.Kind() == reflect.Func && isSeq(v.Type()):
		item := v.Type().In(0).In(0)
		v.Set(reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
			for n := range 2 {
				it := reflect.New(item).Elem()
				fillSecrets(it, n)
				if !args[0].Call([]reflect.Value{it})[0].Bool() {
					break
				}
			}
			return nil
		}))
	}
}

// answer is secretServer's answer to every RPC: a response full of the
// secret, and an error quoting it.
func answer[Resp any]() (*Resp, error) {
	r := new(Resp)
	fillSecrets(reflect.ValueOf(r).Elem(), 0)
	return r, errors.New("rpc failed with " + everyRPCSecret)
}

// secretServer implements every RPC of Server with answer.
type secretServer struct{}

var _ Server = secretServer{}

func (secretServer) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return answer[tfprotov6.GetMetadataResponse]()
}

func (secretServer) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return answer[tfprotov6.GetProviderSchemaResponse]()
}

func (secretServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return answer[tfprotov6.GetResourceIdentitySchemasResponse]()
}

func (secretServer) ValidateProviderConfig(context.Context, *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return answer[tfprotov6.ValidateProviderConfigResponse]()
}

func (secretServer) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return answer[tfprotov6.ConfigureProviderResponse]()
}

func (secretServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return answer[tfprotov6.StopProviderResponse]()
}

func (secretServer) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return answer[tfprotov6.ValidateResourceConfigResponse]()
}

func (secretServer) UpgradeResourceState(context.Context, *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return answer[tfprotov6.UpgradeResourceStateResponse]()
}

func (secretServer) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return answer[tfprotov6.ReadResourceResponse]()
}

func (secretServer) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return answer[tfprotov6.PlanResourceChangeResponse]()
}

func (secretServer) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return answer[tfprotov6.ApplyResourceChangeResponse]()
}

func (secretServer) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return answer[tfprotov6.ImportResourceStateResponse]()
}

func (secretServer) MoveResourceState(context.Context, *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return answer[tfprotov6.MoveResourceStateResponse]()
}

func (secretServer) UpgradeResourceIdentity(context.Context, *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return answer[tfprotov6.UpgradeResourceIdentityResponse]()
}

func (secretServer) GenerateResourceConfig(context.Context, *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return answer[tfprotov6.GenerateResourceConfigResponse]()
}

func (secretServer) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return answer[tfprotov6.ValidateDataResourceConfigResponse]()
}

func (secretServer) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return answer[tfprotov6.ReadDataSourceResponse]()
}

func (secretServer) CallFunction(context.Context, *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return answer[tfprotov6.CallFunctionResponse]()
}

func (secretServer) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return answer[tfprotov6.GetFunctionsResponse]()
}

func (secretServer) ValidateEphemeralResourceConfig(context.Context, *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return answer[tfprotov6.ValidateEphemeralResourceConfigResponse]()
}

func (secretServer) OpenEphemeralResource(context.Context, *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return answer[tfprotov6.OpenEphemeralResourceResponse]()
}

func (secretServer) RenewEphemeralResource(context.Context, *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return answer[tfprotov6.RenewEphemeralResourceResponse]()
}

func (secretServer) CloseEphemeralResource(context.Context, *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return answer[tfprotov6.CloseEphemeralResourceResponse]()
}

func (secretServer) ValidateListResourceConfig(context.Context, *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return answer[tfprotov6.ValidateListResourceConfigResponse]()
}

func (secretServer) ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return answer[tfprotov6.ListResourceServerStream]()
}

func (secretServer) ValidateActionConfig(context.Context, *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return answer[tfprotov6.ValidateActionConfigResponse]()
}

func (secretServer) PlanAction(context.Context, *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return answer[tfprotov6.PlanActionResponse]()
}

func (secretServer) InvokeAction(context.Context, *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return answer[tfprotov6.InvokeActionServerStream]()
}

func (secretServer) ValidateStateStoreConfig(context.Context, *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return answer[tfprotov6.ValidateStateStoreConfigResponse]()
}

func (secretServer) ConfigureStateStore(context.Context, *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return answer[tfprotov6.ConfigureStateStoreResponse]()
}

func (secretServer) ReadStateBytes(context.Context, *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	return answer[tfprotov6.ReadStateBytesStream]()
}

func (secretServer) WriteStateBytes(context.Context, *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	return answer[tfprotov6.WriteStateBytesResponse]()
}

func (secretServer) GetStates(context.Context, *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return answer[tfprotov6.GetStatesResponse]()
}

func (secretServer) DeleteState(context.Context, *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return answer[tfprotov6.DeleteStateResponse]()
}

func (secretServer) LockState(context.Context, *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return answer[tfprotov6.LockStateResponse]()
}

func (secretServer) UnlockState(context.Context, *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return answer[tfprotov6.UnlockStateResponse]()
}
