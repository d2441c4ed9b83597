// Command schemajson writes the provider's schemas in the format of
// `terraform providers schema -json`, straight from the provider server,
// for `tfplugindocs generate --providers-schema`. The Terraform CLI only
// reports resource identity schemas from 1.12 and list resource and action
// schemas from 1.14; this keeps their documentation whatever Terraform is
// on the machine.
//
//	go run ./internal/acctest/schemajson -o schema.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-membership/terraform-provider-membership/internal/provider"
)

func main() {
	out := flag.String("o", "schema.json", "file to write")
	name := flag.String("provider", "registry.terraform.io/hashicorp/membership", "provider address to file the schemas under")
	flag.Parse()
	b, err := dump(context.Background(), *name)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

type obj = map[string]any

func dump(ctx context.Context, name string) ([]byte, error) {
	srv, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return nil, err
	}
	ps, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagErr(ps.Diagnostics); err != nil {
		return nil, err
	}
	ids, err := srv.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagErr(ids.Diagnostics); err != nil {
		return nil, err
	}
	p := obj{"provider": schema(ps.Provider)}
	group := func(key string, m map[string]*tfprotov6.Schema) {
		if len(m) == 0 {
			return
		}
		g := obj{}
		for k, s := range m {
			g[k] = schema(s)
		}
		p[key] = g
	}
	group("resource_schemas", ps.ResourceSchemas)
	group("data_source_schemas", ps.DataSourceSchemas)
	group("ephemeral_resource_schemas", ps.EphemeralResourceSchemas)
	group("list_resource_schemas", ps.ListResourceSchemas)
	if len(ps.ActionSchemas) > 0 {
		g := obj{}
		for k, a := range ps.ActionSchemas {
			if a != nil && a.Schema != nil {
				g[k] = obj{"block": block(a.Schema.Block)}
			}
		}
		p["action_schemas"] = g
	}
	if len(ids.IdentitySchemas) > 0 {
		g := obj{}
		for k, s := range ids.IdentitySchemas {
			attrs := obj{}
			for _, a := range s.IdentityAttributes {
				attrs[a.Name] = omitEmpty(obj{"type": typ(a.Type), "description": a.Description,
					"required_for_import": a.RequiredForImport, "optional_for_import": a.OptionalForImport})
			}
			g[k] = obj{"version": s.Version, "attributes": attrs}
		}
		p["resource_identity_schemas"] = g
	}
	return json.MarshalIndent(obj{"format_version": "1.0", "provider_schemas": obj{name: p}}, "", "  ")
}

func diagErr(diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	return nil
}

func schema(s *tfprotov6.Schema) obj {
	if s == nil {
		return nil
	}
	return obj{"version": s.Version, "block": block(s.Block)}
}

func kind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

func block(b *tfprotov6.SchemaBlock) obj {
	out := obj{"description": b.Description, "description_kind": kind(b.DescriptionKind), "deprecated": b.Deprecated}
	if len(b.Attributes) > 0 {
		attrs := obj{}
		for _, a := range b.Attributes {
			attrs[a.Name] = attribute(a)
		}
		out["attributes"] = attrs
	}
	if len(b.BlockTypes) > 0 {
		bts := obj{}
		for _, nb := range b.BlockTypes {
			bts[nb.TypeName] = omitEmpty(obj{"nesting_mode": nesting(nb.Nesting), "block": block(nb.Block), "min_items": nb.MinItems, "max_items": nb.MaxItems})
		}
		out["block_types"] = bts
	}
	return omitEmpty(out)
}

func attribute(a *tfprotov6.SchemaAttribute) obj {
	out := obj{"description": a.Description, "description_kind": kind(a.DescriptionKind), "deprecated": a.Deprecated,
		"required": a.Required, "optional": a.Optional, "computed": a.Computed, "sensitive": a.Sensitive, "write_only": a.WriteOnly}
	if a.NestedType != nil {
		attrs := obj{}
		for _, na := range a.NestedType.Attributes {
			attrs[na.Name] = attribute(na)
		}
		out["nested_type"] = obj{"attributes": attrs, "nesting_mode": objectNesting(a.NestedType.Nesting)}
	} else {
		out["type"] = typ(a.Type)
	}
	return omitEmpty(out)
}

func typ(t tftypes.Type) json.RawMessage {
	b, err := json.Marshal(t)
	if err != nil {
		log.Fatalf("type %s: %v", t, err)
	}
	return b
}

func nesting(n tfprotov6.SchemaNestedBlockNestingMode) string {
	switch n {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return "single"
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return "group"
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return "list"
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return "set"
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return "map"
	}
	return "invalid"
}

func objectNesting(n tfprotov6.SchemaObjectNestingMode) string {
	switch n {
	case tfprotov6.SchemaObjectNestingModeSingle:
		return "single"
	case tfprotov6.SchemaObjectNestingModeList:
		return "list"
	case tfprotov6.SchemaObjectNestingModeSet:
		return "set"
	case tfprotov6.SchemaObjectNestingModeMap:
		return "map"
	}
	return "invalid"
}

// omitEmpty drops false, "" and zero values, as terraform's own output does.
func omitEmpty(m obj) obj {
	for k, v := range m {
		switch x := v.(type) {
		case bool:
			if !x {
				delete(m, k)
			}
		case string:
			if x == "" {
				delete(m, k)
			}
		case int64:
			if x == 0 {
				delete(m, k)
			}
		}
	}
	return m
}
