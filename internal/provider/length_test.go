package provider

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The length guard (CONTRIBUTING.md, "File layout"): no function of the
// provider's own code is over maxFuncLines lines and no file of a platform
// package over maxFileLines, except those listed in lengthAllowlist, a list
// that only shrinks. After splitting a long function or file, run
//
//	go test ./internal/provider -run TestLengthGuard -update
//
// to take it off the list; never add to the list by hand.
const (
	maxFuncLines    = 70
	maxFileLines    = 600
	lengthAllowlist = "testdata/length-allowlist.txt"
)

var updateLengthAllowlist = flag.Bool("update", false, "rewrite "+lengthAllowlist+" with today's long functions and files")

// notPlatform are the packages under internal/ that are not one platform's:
// the file-length rule is for platform packages only.
var notPlatform = map[string]bool{"acctest": true, "provider": true, "recipes": true, "sandbox": true, "shared": true}

// TestLengthGuard measures every non-test Go file under internal/ but the
// sandbox's (an emulator, not the provider): a function (from its func
// keyword to its closing brace) over maxFuncLines lines is named
// "path:Func" (methods "path:Type.Method"), a platform file over
// maxFileLines lines "path". Each must be in the allowlist, and each entry
// of the allowlist must still be too long, so that the list only shrinks.
func TestLengthGuard(t *testing.T) {
	root := filepath.Join("..", "..")
	long, err := tooLong(root)
	if err != nil {
		t.Fatal(err)
	}
	if *updateLengthAllowlist {
		writeAllowlist(t, long)
		return
	}
	allowed := readAllowlist(t)
	for _, l := range slices.Sorted(maps.Keys(long)) {
		if !allowed[l] {
			t.Errorf("%s: %s; split it (CONTRIBUTING.md, File layout): the allowlist (%s) takes no new entries", l, long[l], lengthAllowlist)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(allowed)) {
		if _, ok := long[a]; !ok {
			t.Errorf("%s is no longer too long (or is gone): remove it from the allowlist (go test ./internal/provider -run TestLengthGuard -update)", a)
		}
	}
}

// tooLong returns the long functions and platform files under root's
// internal/, each with what is wrong with it.
func tooLong(root string) (map[string]string, error) {
	long := map[string]string{}
	internal := filepath.Join(root, "internal")
	err := filepath.WalkDir(internal, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "internal/sandbox" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		return measure(path, rel, long)
	})
	return long, err
}

func measure(path, rel string, long map[string]string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	if ast.IsGenerated(f) {
		return nil
	}
	pkg := strings.Split(rel, "/")[1]
	if lines := strings.Count(strings.TrimSuffix(string(src), "\n"), "\n") + 1; !notPlatform[pkg] && lines > maxFileLines {
		long[rel] = fmt.Sprintf("file of %d lines (at most %d)", lines, maxFileLines)
	}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		lines := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
		if lines > maxFuncLines {
			long[rel+":"+funcName(fn)] = fmt.Sprintf("function of %d lines (at most %d)", lines, maxFuncLines)
		}
	}
	return nil
}

// funcName is fn's name, its receiver's type first for a method
// (Client.Invite, for func (c *Client) Invite).
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) { // generic receivers: T[K], T[K, V]
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

func readAllowlist(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(lengthAllowlist)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			allowed[line] = true
		}
	}
	return allowed
}

const allowlistHeader = `# The functions over 70 lines ("path:Func", methods "path:Type.Method") and
# platform files over 600 lines ("path") that TestLengthGuard
# (internal/provider/length_test.go) still lets through. This list only
# shrinks: after splitting one, run
#   go test ./internal/provider -run TestLengthGuard -update
# Never add an entry by hand.
`

func writeAllowlist(t *testing.T, long map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(allowlistHeader)
	for _, l := range slices.Sorted(maps.Keys(long)) {
		b.WriteString(l + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(lengthAllowlist), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lengthAllowlist, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d entries", lengthAllowlist, len(long))
}
