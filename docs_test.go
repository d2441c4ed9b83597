package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A page whose example declares resources, data sources or actions of
// this provider must also show where Terraform finds it
// (required_providers): an example copied alone into an empty directory
// otherwise makes Terraform look for hashicorp/membership.
func TestDocsExamplesDeclareTheProvider(t *testing.T) {
	uses := regexp.MustCompile(`(?m)^\s*(resource|data|action|provider) "membership(_[a-z_]+)?"`)
	block := regexp.MustCompile("(?s)```terraform\n(.*?)```")
	checked := 0
	err := filepath.WalkDir("docs", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var code strings.Builder
		for _, m := range block.FindAllStringSubmatch(string(b), -1) {
			code.WriteString(m[1])
		}
		if !uses.MatchString(code.String()) {
			return nil
		}
		checked++
		if !strings.Contains(code.String(), "required_providers") {
			t.Errorf("%s: its examples use the provider but none declares it (required_providers with source = \"workspace-membership/membership\")", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d pages with examples found under docs/", checked)
	}
}
