package main

import (
	"bytes"
	"strings"
	"testing"
)

const stream = `{"Action":"run","Package":"m/a","Test":"TestOK"}
{"Action":"output","Package":"m/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"pass","Package":"m/a","Test":"TestOK","Elapsed":0.1}
{"Action":"run","Package":"m/a","Test":"TestBad"}
{"Action":"output","Package":"m/a","Test":"TestBad","Output":"    a_test.go:9: boom\n"}
{"Action":"fail","Package":"m/a","Test":"TestBad","Elapsed":0.1}
{"Action":"run","Package":"m/a","Test":"TestNewer"}
{"Action":"output","Package":"m/a","Test":"TestNewer","Output":"    a_test.go:12: Terraform CLI version 1.11.0 is below minimum version 1.14.0: skipping test\n"}
{"Action":"output","Package":"m/a","Test":"TestNewer","Output":"--- SKIP: TestNewer (0.00s)\n"}
{"Action":"skip","Package":"m/a","Test":"TestNewer","Elapsed":0}
{"Action":"fail","Package":"m/a","Elapsed":0.3}
{"Action":"pass","Package":"m/b","Elapsed":0.2}
`

func TestSummarize(t *testing.T) {
	var out, log bytes.Buffer
	code := summarize(strings.NewReader(stream), &out, &log)
	if code != 1 {
		t.Errorf("exit code %d, want 1 (a test failed)", code)
	}
	for _, want := range []string{
		"--- FAIL m/a TestBad\n    a_test.go:9: boom",
		"m/a TestNewer: a_test.go:12: Terraform CLI version 1.11.0 is below minimum version 1.14.0: skipping test",
		"FAIL   m/a",
		"PASS   m/b",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "TestOK") {
		t.Errorf("a passing test's output is in the summary:\n%s", out.String())
	}
	if !strings.Contains(log.String(), "=== RUN   TestOK") {
		t.Errorf("the log lacks the verbose output")
	}
}

func TestSummarizeBuildFailureAndEmptyInput(t *testing.T) {
	var out bytes.Buffer
	build := "# m/c\nc.go:1:1: syntax error\n" + `{"Action":"fail","Package":"m/c","Elapsed":0}` + "\n"
	if code := summarize(strings.NewReader(build), &out, &bytes.Buffer{}); code != 1 || !strings.Contains(out.String(), "syntax error") {
		t.Errorf("build failure: code %d, summary:\n%s", code, out.String())
	}
	out.Reset()
	if code := summarize(strings.NewReader(""), &out, &bytes.Buffer{}); code != 1 {
		t.Errorf("empty input: code %d, want 1", code)
	}
	out.Reset()
	if code := summarize(strings.NewReader(`{"Action":"pass","Package":"m/b","Elapsed":0.2}`+"\n"), &out, &bytes.Buffer{}); code != 0 {
		t.Errorf("all passed: code %d, want 0:\n%s", code, out.String())
	}
}
