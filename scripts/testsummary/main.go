// Command testsummary reads `go test -json` on stdin and prints what a reader
// of `make test` needs: the full output of every failed test (and of any
// package that failed to build), a line per package as it finishes, the names of skipped tests with their
// reason, and one line per package with passed/failed/skipped counts. The
// complete verbose log is written to the file named by -log.
//
// It exits 1 when any test or package failed, or when the input holds no
// test result at all (a broken pipeline must not look green).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type pkgResult struct {
	passed, failed, skipped int
	status                  string // pass, fail, skip (no test files), or "" (no result)
	elapsed                 float64
	output                  []string // package-level output (build errors, panics)
}

type testKey struct{ pkg, test string }

func main() {
	logPath := flag.String("log", "", "write the full test output to this file")
	flag.Parse()

	logw := io.Discard
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(2)
		}
		defer func() { _ = f.Close() }()
		logw = f
	}
	code := summarize(os.Stdin, os.Stdout, logw)
	os.Exit(code)
}

func summarize(in io.Reader, out, logw io.Writer) int {
	pkgs := map[string]*pkgResult{}
	outputs := map[testKey][]string{}
	var failedTests, skippedTests []testKey
	skipReason := map[testKey]string{}
	pkg := func(name string) *pkgResult {
		p := pkgs[name]
		if p == nil {
			p = &pkgResult{}
			pkgs[name] = p
		}
		return p
	}

	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	sawResult := false
	var stray []string
	for sc.Scan() {
		line := sc.Text()
		var ev event
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &ev) != nil {
			// Not test2json: build errors printed by the go command itself.
			_, _ = fmt.Fprintln(logw, line)
			stray = append(stray, line)
			continue
		}
		if ev.Output != "" {
			_, _ = io.WriteString(logw, ev.Output)
		}
		k := testKey{ev.Package, ev.Test}
		switch ev.Action {
		case "output", "build-output":
			if ev.Test == "" {
				p := pkg(ev.Package)
				p.output = append(p.output, ev.Output)
			} else {
				outputs[k] = append(outputs[k], ev.Output)
			}
		case "pass", "fail", "skip":
			sawResult = true
			if ev.Test == "" {
				p := pkg(ev.Package)
				p.status, p.elapsed = ev.Action, ev.Elapsed
				// Progress: one line per package as it finishes.
				_, _ = fmt.Fprintf(out, "%-4s %s (%d passed, %d failed, %d skipped) %s\n", ev.Action, short(ev.Package),
					p.passed, p.failed, p.skipped, seconds(ev.Elapsed))
				continue
			}
			p := pkg(ev.Package)
			switch ev.Action {
			case "pass":
				p.passed++
				delete(outputs, k)
			case "fail":
				p.failed++
				failedTests = append(failedTests, k)
			case "skip":
				p.skipped++
				skippedTests = append(skippedTests, k)
				skipReason[k] = reason(outputs[k])
				delete(outputs, k)
			}
		}
	}
	if err := sc.Err(); err != nil {
		_, _ = fmt.Fprintln(out, "testsummary: reading go test output:", err)
		return 1
	}

	failed := false
	for _, k := range failedTests {
		failed = true
		_, _ = fmt.Fprintf(out, "--- FAIL %s %s\n%s\n", short(k.pkg), k.test, strings.Join(outputs[k], ""))
	}
	names := make([]string, 0, len(pkgs))
	for name := range pkgs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := pkgs[name]
		if p.status == "fail" && p.failed == 0 {
			failed = true
			_, _ = fmt.Fprintf(out, "--- FAIL %s (package)\n%s\n", short(name), strings.Join(p.output, ""))
		}
	}
	if len(stray) > 0 && failed {
		_, _ = fmt.Fprintln(out, strings.Join(stray, "\n"))
	}
	if len(skippedTests) > 0 {
		_, _ = fmt.Fprintln(out, "Skipped (did not run):")
		for _, k := range skippedTests {
			_, _ = fmt.Fprintf(out, "  %s %s: %s\n", short(k.pkg), k.test, skipReason[k])
		}
		_, _ = fmt.Fprintln(out)
	}

	_, _ = fmt.Fprintf(out, "\n%-6s %-50s %7s %7s %7s %9s\n", "", "package", "passed", "failed", "skipped", "time")
	var tp, tf, ts int
	for _, name := range names {
		p := pkgs[name]
		status := strings.ToUpper(p.status)
		switch p.status {
		case "":
			status, failed = "NONE", true
		case "skip":
			status = "-"
		}
		_, _ = fmt.Fprintf(out, "%-6s %-50s %7d %7d %7d %9s\n", status, short(name), p.passed, p.failed, p.skipped,
			seconds(p.elapsed))
		tp, tf, ts = tp+p.passed, tf+p.failed, ts+p.skipped
	}
	_, _ = fmt.Fprintf(out, "%-6s %-50s %7d %7d %7d\n", "", "total", tp, tf, ts)
	if !sawResult {
		_, _ = fmt.Fprintln(out, "testsummary: no test result in the input (did `go test -json` run?)")
		if len(stray) > 0 {
			_, _ = fmt.Fprintln(out, strings.Join(stray, "\n"))
		}
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

func seconds(s float64) time.Duration {
	return time.Duration(s * float64(time.Second)).Round(100 * time.Millisecond)
}

// reason is the last line a skipped test printed (its t.Skip message).
func reason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		return l
	}
	return "(no reason given)"
}

func short(pkg string) string {
	const module = "github.com/workspace-membership/terraform-provider-membership"
	if pkg == module {
		return "."
	}
	return strings.TrimPrefix(pkg, module+"/")
}
