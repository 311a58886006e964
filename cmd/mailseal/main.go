// Command mailseal verifies and signs S/MIME mail with the same core as the browser extension.
//
//	mailseal verify [--json] [--roots FILE.pem]... [--now RFC3339] FILE.eml|-
//	mailseal sign --identity FILE.p12 --password-file FILE [--opaque] IN.eml|- > OUT.eml
//
// Exit status: 0 when the message is valid (or signing succeeded), 1 for any other verdict,
// 2 for a usage or I/O error.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// A command runs with its arguments and returns the exit status.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file.
var commands = map[string]command{}

const (
	exitOK      = 0
	exitVerdict = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return exitUsage
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "mailseal: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: mailseal <command> [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
}
