package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/workspace-membership/terraform-provider-membership/internal/provider"
)

// ProviderAddress is the provider's published address, the one
// configurations declare (source = "workspace-membership/membership").
const ProviderAddress = "registry.terraform.io/workspace-membership/membership"

// CLI runs the terraform binary of the acceptance tests by hand, for
// commands a user runs that the test harness has no step for (such as
// `terraform plan -refresh-only -json`). The provider is served in-process,
// as the harness serves it, and Terraform reattaches to it
// (TF_REATTACH_PROVIDERS) under ProviderAddress: the configuration must
// declare that source. Each CLI has a working directory of its own.
type CLI struct {
	t   *testing.T
	Dir string
	bin string
	env []string
}

// Result is one terraform command's outcome.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// NewCLI starts the provider for t (stopped when t ends) and returns a CLI
// working in a new temporary directory. It fails t when no terraform is
// found (TF_ACC_TERRAFORM_PATH, else PATH).
func NewCLI(t *testing.T) *CLI {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("acceptance tests need the terraform CLI (>= 1.11) in PATH or TF_ACC_TERRAFORM_PATH")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	configCh, closeCh := make(chan *plugin.ReattachConfig, 1), make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(ProviderAddress, provider.ProtocolServer("test"),
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t)) // TF_LOG or TF_ACC_LOG, as the test harness
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-configCh:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider did not start serving within 30s")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-closeCh:
		case <-time.After(10 * time.Second):
			t.Error("the provider did not stop within 10s")
		}
	})
	reattach, err := json.Marshal(map[string]any{ProviderAddress: map[string]any{
		"Protocol":        string(rc.Protocol),
		"ProtocolVersion": rc.ProtocolVersion,
		"Pid":             rc.Pid,
		"Test":            rc.Test,
		"Addr":            map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"TF_REATTACH_PROVIDERS=" + string(reattach), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"}
	for _, kv := range os.Environ() {
		// The test's own Terraform settings stay out: the commands run as a
		// user would run them.
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "TF_") || k == "TF_CLI_CONFIG_FILE" {
			env = append(env, kv)
		}
	}
	return &CLI{t: t, Dir: t.TempDir(), bin: bin, env: env}
}

// Write writes a file of the working directory.
func (c *CLI) Write(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, name), []byte(content), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// Run runs terraform with args in the working directory (-no-color is
// added to every command but version). It fails t when terraform cannot be
// started; the exit code is the caller's to check.
func (c *CLI) Run(args ...string) Result {
	c.t.Helper()
	if len(args) > 0 && args[0] != "version" {
		args = append([]string{args[0], "-no-color"}, args[1:]...)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(c.bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = c.Dir, c.env, &stdout, &stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		res.Code = exit.ExitCode()
	} else if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// MustRun is Run that fails t unless terraform exits with one of codes
// (0 when none is given).
func (c *CLI) MustRun(codes []int, args ...string) Result {
	c.t.Helper()
	if len(codes) == 0 {
		codes = []int{0}
	}
	res := c.Run(args...)
	for _, code := range codes {
		if res.Code == code {
			return res
		}
	}
	c.t.Fatalf("terraform %s exited %d, want %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.Code, codes, res.Stdout, res.Stderr)
	return res
}
