package recipes_test

import (
	"os"
	"testing"
)

// TestMain serves the provider under its published address,
// registry.terraform.io/workspace-membership/membership, to every test of
// the package (terraform-plugin-testing reads the namespace from the
// environment; the other packages use the default, hashicorp, with
// configurations that declare no source).
func TestMain(m *testing.M) {
	_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "workspace-membership")
	os.Exit(m.Run())
}
