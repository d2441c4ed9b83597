package main

import (
	"flag"
	"log"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/workspace-membership/terraform-provider-membership/internal/provider"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Run "go generate" to format example terraform files and generate the docs for the registry/website.

//go:generate terraform fmt -recursive ./examples/
// The schemas come from the provider server itself (internal/acctest/schemajson),
// not from `terraform providers schema -json`: a Terraform older than 1.12
// reports no resource identities and one older than 1.14 no list resources.
//go:generate go run ./internal/acctest/schemajson -o .providers-schema.json
//go:generate go tool tfplugindocs generate --provider-name membership --providers-schema .providers-schema.json
//go:generate rm -f .providers-schema.json

// version is set at build time: -ldflags "-X main.version=..." (make build
// uses git describe, goreleaser the tag). It is sent in the User-Agent.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	if path := os.Getenv(shared.HeapProfileEnv); path != "" {
		shared.StartHeapProfiles(path, time.Second, make(chan struct{}))
	}

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// The provider's server redacts every registered secret from the
	// diagnostics and errors it returns.
	err := tf6server.Serve("registry.terraform.io/workspace-membership/membership", provider.ProtocolServer(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
