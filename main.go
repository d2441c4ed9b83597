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

	if !debug {
		quietUnreadLogs()
	}
	if prefix := os.Getenv(shared.CPUProfileEnv); prefix != "" {
		shared.StartCPUProfiles(prefix, 5*time.Second)
	}
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

// logSettings are the environment variables that ask for the provider's
// logs: Terraform's own (TF_LOG, TF_LOG_PROVIDER, TF_LOG_PATH), which the
// provider inherits from the terraform process that starts it, and the
// plugin SDK's.
var logSettings = []string{
	"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH", "TF_LOG_PROVIDER_MEMBERSHIP",
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
}

// quietUnreadLogs turns the plugin SDK's loggers off when none of
// logSettings is set. The SDK logs every RPC at TRACE whatever the level
// (Terraform filters what it receives), so a plan of 1000 resources has
// the provider encode, and Terraform parse, tens of thousands of JSON log
// lines; with neither TF_LOG nor TF_LOG_PROVIDER set Terraform discards
// every one of them. Setting any of logSettings (TF_LOG=TRACE, say) keeps
// every log as before.
func quietUnreadLogs() {
	for _, v := range logSettings {
		if os.Getenv(v) != "" {
			return
		}
	}
	for _, v := range []string{"TF_LOG_PROVIDER_MEMBERSHIP", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(v, "off")
	}
}
