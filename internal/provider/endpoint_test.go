package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// providerConfig builds the provider configuration value from the
// provider's own schema: blocks maps a block name to its attributes; every
// other attribute and block is null.
func providerConfig(t *testing.T, s tfprotov6.ProviderServer, blocks map[string]map[string]string) *tfprotov6.DynamicValue {
	t.Helper()
	schema, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schema.Provider.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs, ok := blocks[name]
		bt, isObj := at.(tftypes.Object)
		if !ok || !isObj {
			vals[name] = tftypes.NewValue(at, nil)
			continue
		}
		inner := map[string]tftypes.Value{}
		for an, aty := range bt.AttributeTypes {
			if v, ok := attrs[an]; ok {
				inner[an] = tftypes.NewValue(tftypes.String, v)
			} else {
				inner[an] = tftypes.NewValue(aty, nil)
			}
		}
		vals[name] = tftypes.NewValue(bt, inner)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func diagsText(ds []*tfprotov6.Diagnostic) (errs, warns string) {
	for _, d := range ds {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs += d.Summary + ": " + d.Detail + "\n"
		} else {
			warns += d.Summary + ": " + d.Detail + "\n"
		}
	}
	return errs, warns
}

// Endpoints with user info are refused at plan without showing the
// password; plain http:// to another machine plans with a warning; http://
// to the local machine and https:// are fine.
func TestEndpointValidation(t *testing.T) {
	const password = "hunter2-Endpoint-Pw"
	cases := []struct {
		name, block, endpoint string
		wantErr, wantWarn     string
	}{
		{"user info", "docspace", "https://admin:" + password + "@portal.example.com", "user info", ""},
		{"user info http", "royalti", "http://admin:" + password + "@127.0.0.1:8080/x", "user info", ""},
		{"user only", "attackforge", "https://someone@demo.attackforge.com", "user info", ""},
		{"not http", "goldleaf", "ftp://x:" + password + "@files", "user info", ""},
		{"not a URL", "goldleaf", "portal.example.com", "not an absolute http(s) URL", ""},
		{"plain http remote", "royalti", "http://api.example.com/v1", "", "plain http://"},
		{"plain http loopback", "docspace", "http://127.0.0.1:8080/docspace", "", ""},
		{"plain http localhost", "smartdocumentor", "http://localhost:5000", "", ""},
		{"plain http ipv6 loopback", "goldleaf", "http://[::1]:8080", "", ""},
		{"https", "attackforge", "https://demo.attackforge.com", "", ""},
	}
	s := ProtocolServer("test")()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := s.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{
				Config: providerConfig(t, s, map[string]map[string]string{tc.block: {"endpoint": tc.endpoint}}),
			})
			if err != nil {
				t.Fatal(err)
			}
			errs, warns := diagsText(resp.Diagnostics)
			if strings.Contains(errs+warns, password) {
				t.Errorf("the diagnostics show the password: %s%s", errs, warns)
			}
			if (tc.wantErr == "") != (errs == "") || !strings.Contains(errs, tc.wantErr) {
				t.Errorf("errors: want %q, got %q", tc.wantErr, errs)
			}
			if (tc.wantWarn == "") != (warns == "") || !strings.Contains(warns, tc.wantWarn) {
				t.Errorf("warnings: want %q, got %q", tc.wantWarn, warns)
			}
		})
	}
}

// An endpoint from the environment is checked at Configure: user info is
// refused without showing the password, plain http:// to another machine
// warns.
func TestEndpointFromEnvironment(t *testing.T) {
	const password = "hunter2-Env-Pw"
	s := ProtocolServer("test")()
	configure := func() (string, string) {
		resp, err := s.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
			TerraformVersion: "1.14.0",
			Config:           providerConfig(t, s, map[string]map[string]string{"royalti": {"token": "rt-token-value"}}),
		})
		if err != nil {
			t.Fatal(err)
		}
		return diagsText(resp.Diagnostics)
	}
	t.Setenv("ROYALTI_ENDPOINT", "https://u:"+password+"@api.example.com")
	errs, warns := configure()
	if !strings.Contains(errs, "user info") || strings.Contains(errs+warns, password) {
		t.Errorf("user info in ROYALTI_ENDPOINT: errors %q warnings %q", errs, warns)
	}
	t.Setenv("ROYALTI_ENDPOINT", "http://api.example.com")
	errs, warns = configure()
	if errs != "" || !strings.Contains(warns, "ROYALTI_ENDPOINT") || !strings.Contains(warns, "plain http://") {
		t.Errorf("plain http in ROYALTI_ENDPOINT: errors %q warnings %q", errs, warns)
	}
}
