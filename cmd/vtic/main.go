// Command vtic compiles a site description of route-based IPsec VPN routers
// into per-router strongSwan, VTI, FRR and iptables files, shows what a change
// does, and converges a router to its files.
//
// main only maps errors to exit codes: 0 success, 1 failure, 2 usage error
// (and for diff, 2 when there are changes, like terraform -detailed-exitcode).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand; each lives in its own file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
	// needsLinux says why the command runs on Linux only; "" when it
	// runs anywhere.
	needsLinux string
}

// env is what a command may touch: its output streams and environment. Tests
// run the real binary; this keeps commands free of globals all the same.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands []command

func register(c command) { commands = append(commands, c) }

func main() { os.Exit(runMain(os.Args[1:])) }

// runMain runs a command as the vtic binary does: SIGINT and SIGTERM
// cancel its context, and the command stops at its next check (within a
// second while loading a site) instead of the process dying mid-write.
// Tests that run vtic as a separate process use it too.
func runMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, args)
}

// exitError carries a specific exit code, such as 2 for "diff found changes".
type exitError struct {
	code int
	err  error // nil: nothing more to print
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// usageError marks bad command-line use (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errReported means the command already printed what went wrong (for
// example, diagnostics): exit 1 without another line.
var errReported = errors.New("reported")

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		if err := c.unsupported(goos); err != nil {
			fmt.Fprintf(e.stderr, "vtic %s: %v\n", c.name, err)
			return 1
		}
		err := c.run(ctx, e, args[1:])
		var ee *exitError
		var ue *usageError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			if ee.err != nil && !errors.Is(ee.err, errReported) {
				fmt.Fprintf(e.stderr, "vtic %s: %v\n", c.name, ee.err)
			}
			return ee.code
		case errors.As(err, &ue):
			fmt.Fprintf(e.stderr, "vtic %s: %s\nRun 'vtic %s -h' for usage.\n", c.name, ue.msg, c.name)
			return 2
		case errors.Is(err, errReported):
			return 1
		default:
			fmt.Fprintf(e.stderr, "vtic %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "vtic: unknown command %q\nRun 'vtic help' for the list of commands.\n", args[0])
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: vtic COMMAND [options]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'vtic COMMAND -h' for a command's options.")
}
