package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/workspace-membership/terraform-provider-membership/internal/provider"
)

// Run "go generate" to format example terraform files and generate the docs for the registry/website.

//go:generate terraform fmt -recursive ./examples/
//go:generate go tool tfplugindocs generate --provider-name membership

// version is set at build time: -ldflags "-X main.version=..." (make build
// uses git describe, goreleaser the tag). It is sent in the User-Agent.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

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
