package main

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"runtime/pprof"
	"time"

	"github.com/mailseal/mailseal/internal/smime"
)

func main() {
	raw, _ := os.ReadFile(os.Args[1])
	rp, _ := os.ReadFile(os.Args[2])
	b, _ := pem.Decode(rp)
	c, _ := x509.ParseCertificate(b.Bytes)
	now, _ := time.Parse(time.RFC3339, os.Args[3])
	f, _ := os.Create(os.Args[4])
	opts := smime.Options{Now: now, Roots: []*x509.Certificate{c}}
	smime.Verify(raw, opts)
	pprof.StartCPUProfile(f)
	n := 0
	for start := time.Now(); time.Since(start) < 3*time.Second; n++ {
		smime.Verify(raw, opts)
	}
	pprof.StopCPUProfile()
	println(n)
}
