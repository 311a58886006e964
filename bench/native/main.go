// Command native times mailseal's Verify on the benchmark messages (bench/gen.sh) in
// this process, for bench/run.mjs, and prints the results as JSON.
//
//	go run ./bench/native -dir out/bench [-cold 10] [-warm 30]
//	go run ./bench/native -dir out/bench -memory
//
// Cold runs add a throwaway root (dummy.pem) to the anchors, a different one each run,
// so the chain cache of internal/trust cannot answer: every cold run builds and checks
// the chain. Warm runs repeat the same call, as a second message from the same sender
// would. Each figure is the median. -memory verifies the large message once and reports
// the process's peak resident memory (VmHWM) and the Go heap.
package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/smime"
)

type manifest struct {
	Now      string    `json:"now"`
	Messages []message `json:"messages"`
	Large    message   `json:"large"`
}

type message struct {
	File  string `json:"file"`
	Bytes int    `json:"bytes"`
	Root  string `json:"root"`
}

type timing struct {
	ColdNS int64  `json:"coldNS"`
	WarmNS int64  `json:"warmNS"`
	Status string `json:"status"`
}

func main() {
	dir := flag.String("dir", "out/bench", "directory written by bench/gen.sh")
	cold := flag.Int("cold", 10, "cold runs per message")
	warm := flag.Int("warm", 30, "warm runs per message")
	memory := flag.Bool("memory", false, "verify the large message once and report peak memory")
	flag.Parse()
	if err := run(*dir, *cold, *warm, *memory); err != nil {
		fmt.Fprintln(os.Stderr, "native:", err)
		os.Exit(1)
	}
}

func run(dir string, cold, warm int, memory bool) error {
	var m manifest
	if err := readJSON(filepath.Join(dir, "manifest.json"), &m); err != nil {
		return err
	}
	now, err := time.Parse(time.RFC3339, m.Now)
	if err != nil {
		return err
	}
	if memory {
		return measureMemory(dir, m.Large, now)
	}
	dummies, err := certificates(filepath.Join(dir, "dummy.pem"))
	if err != nil {
		return err
	}
	out := map[string]timing{}
	for _, msg := range m.Messages {
		raw, err := os.ReadFile(filepath.Join(dir, msg.File))
		if err != nil {
			return err
		}
		roots, err := certificates(filepath.Join(dir, msg.Root))
		if err != nil {
			return err
		}
		var t timing
		var coldNS, warmNS []int64
		for range cold {
			if len(dummies) == 0 {
				return fmt.Errorf("dummy.pem has too few roots for %d cold runs of every message", cold)
			}
			opts := smime.Options{Now: now, Roots: []*x509.Certificate{roots[0], dummies[0]}}
			dummies = dummies[1:]
			d, r := timed(raw, opts)
			coldNS = append(coldNS, d)
			t.Status = string(r.Status)
		}
		opts := smime.Options{Now: now, Roots: roots}
		timed(raw, opts) // fills the chain cache
		for range warm {
			d, _ := timed(raw, opts)
			warmNS = append(warmNS, d)
		}
		t.ColdNS, t.WarmNS = median(coldNS), median(warmNS)
		out[msg.File] = t
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

func timed(raw []byte, opts smime.Options) (int64, *smime.Report) {
	start := time.Now()
	r, err := smime.Verify(raw, opts)
	d := time.Since(start).Nanoseconds()
	if err != nil {
		fmt.Fprintln(os.Stderr, "native:", err)
		os.Exit(1)
	}
	return d, r
}

// measureMemory reports the peak resident set of this process around one Verify of the
// large message; the message itself (read before) is part of it, as it is for any caller.
func measureMemory(dir string, msg message, now time.Time) error {
	raw, err := os.ReadFile(filepath.Join(dir, msg.File))
	if err != nil {
		return err
	}
	roots, err := certificates(filepath.Join(dir, msg.Root))
	if err != nil {
		return err
	}
	runtime.GC()
	before := vmHWM()
	r, err := smime.Verify(raw, smime.Options{Now: now, Roots: roots})
	if err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"status": r.Status, "bytes": len(raw), "rssBeforeKB": before, "peakRSSKB": vmHWM(),
		"heapSysKB": ms.HeapSys >> 10, "totalAllocKB": ms.TotalAlloc >> 10,
	})
}

// vmHWM is the peak resident set size of this process in KB (Linux).
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return -1
}

func certificates(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		if block, data = pem.Decode(data); block == nil {
			return certs, nil
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		certs = append(certs, c)
	}
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
