package acctest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Trace captures Terraform's and the provider's TRACE logs in a file and
// keeps terraform's working directories (state, plans), so a test can
// prove that no secret reaches either. It sets environment variables, so
// a test using it must not run in parallel.
type Trace struct {
	LogFile string
	WorkDir string
}

// CaptureTrace starts capturing for the rest of t.
func CaptureTrace(t *testing.T) *Trace {
	t.Helper()
	dir := t.TempDir()
	tr := &Trace{LogFile: filepath.Join(dir, "trace.log"), WorkDir: filepath.Join(dir, "work")}
	if err := os.Mkdir(tr.WorkDir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", tr.LogFile)
	t.Setenv("TF_ACC_LOG_PATH", tr.LogFile)
	t.Setenv("TF_ACC_TEMP_DIR", tr.WorkDir)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")
	return tr
}

// CredentialsSent returns every credential the sandbox received in a
// header (Authorization, X-SSAPI-KEY, cookies): static keys and the tokens
// the provider obtained by exchange alike.
func (e *Env) CredentialsSent() []string {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		if len(v) >= 6 && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, r := range e.Sandbox.Requests("") {
		for k, v := range r.Header {
			switch strings.ToLower(k) {
			case "authorization":
				_, tok, _ := strings.Cut(v, " ")
				add(tok)
			case "x-ssapi-key":
				add(v)
			case "cookie":
				for _, c := range strings.Split(v, ";") {
					if _, val, ok := strings.Cut(c, "="); ok {
						add(val)
					}
				}
			}
		}
	}
	return out
}

// AssertNoSecrets fails t when a secret appears in the TRACE log or in any
// file terraform wrote (state, backups, plans; not the configuration the
// test itself wrote). mustLog are strings the log must contain, so that
// the test proves something (the provider's HTTP traces were captured).
func (tr *Trace) AssertNoSecrets(t *testing.T, secrets map[string]string, mustLog ...string) {
	t.Helper()
	log, err := os.ReadFile(tr.LogFile)
	if err != nil {
		t.Fatalf("no TRACE log: %v", err)
	}
	for _, want := range mustLog {
		if !bytes.Contains(log, []byte(want)) {
			t.Fatalf("the TRACE log (%d bytes) does not contain %q: the test would prove nothing", len(log), want)
		}
	}
	for what, secret := range secrets {
		if secret == "" {
			t.Fatalf("empty secret %q", what)
		}
		for _, line := range bytes.Split(log, []byte("\n")) {
			if bytes.Contains(line, []byte(secret)) {
				shown := strings.ReplaceAll(string(line), secret, "<"+strings.ToUpper(what)+">")
				if len(shown) > 400 {
					shown = shown[:400] + "…"
				}
				t.Errorf("the TRACE log contains the %s: %s", what, shown)
				break
			}
		}
	}
	states := 0
	err = filepath.WalkDir(tr.WorkDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&os.ModeSymlink != 0 {
			return err
		}
		name := d.Name()
		if strings.HasSuffix(name, ".tf") || strings.Contains(name, ".tfvars") ||
			strings.Contains(p, string(filepath.Separator)+".terraform"+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(name, "terraform.tfstate") {
			states++
		}
		for what, secret := range secrets {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains the %s", p, what)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if states == 0 {
		t.Fatal("no state file was found in the kept working directories: the test would prove nothing")
	}
}
