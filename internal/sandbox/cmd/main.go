// Command sandbox serves the emulator of the five membership APIs on one
// port, for the demo and for manual testing:
//
//	go run ./internal/sandbox/cmd -addr 127.0.0.1:8080
//
// Each platform lives under its own prefix (/smartdocumentor, /docspace,
// /attackforge, /goldleaf, /royalti); the admin API is under /_admin.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	latency := flag.Duration("latency", 0, "delay added to every API request, e.g. 50ms")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	flag.Parse()

	sb := sandbox.New()
	sb.SetLatency(*latency)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	fmt.Printf("sandbox listening on %s\n", base)
	for _, p := range []string{sandbox.PrefixSmartDocumentor, sandbox.PrefixDocSpace, sandbox.PrefixAttackForge, sandbox.PrefixGoldLeaf, sandbox.PrefixRoyalti} {
		fmt.Printf("  %s\n", base+p)
	}
	fmt.Printf("  admin: %s/_admin/requests, /_admin/counts, /_admin/faults, /_admin/latency\n", base)
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(base), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
