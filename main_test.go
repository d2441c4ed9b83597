package main

import (
	"os"
	"testing"
)

func TestQuietUnreadLogs(t *testing.T) {
	for _, v := range logSettings {
		t.Setenv(v, "")
	}
	quietUnreadLogs()
	for _, v := range []string{"TF_LOG_PROVIDER_MEMBERSHIP", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if got := os.Getenv(v); got != "off" {
			t.Fatalf("no log asked for: %s=%q, want off", v, got)
		}
	}
	// Any setting that asks for logs leaves every logger as it was.
	for _, asked := range logSettings {
		for _, v := range logSettings {
			t.Setenv(v, "")
		}
		t.Setenv(asked, "TRACE")
		quietUnreadLogs()
		for _, v := range logSettings {
			if want := map[bool]string{true: "TRACE", false: ""}[v == asked]; os.Getenv(v) != want {
				t.Fatalf("with %s set, %s=%q, want %q", asked, v, os.Getenv(v), want)
			}
		}
	}
}
