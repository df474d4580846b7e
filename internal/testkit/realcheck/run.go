package realcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// commandTimeout bounds every program a checker runs; a checker that hangs
// would otherwise stall a whole go test run until its global timeout.
const commandTimeout = 30 * time.Second

// baseEnv is the whole environment the checked programs see, so that the
// developer's shell (LANG, a stray STRONGSWAN_CONF) cannot change a verdict.
var baseEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}

// result is what one run of a program left behind.
type result struct {
	cmdline string
	stdout  string
	stderr  string
	code    int   // exit status; -1 when the program did not exit normally
	err     error // nil when the program ran to completion, whatever its status
}

// output joins both streams for failure messages.
func (r result) output() string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ %s\n", r.cmdline)
	if r.stdout != "" {
		// NULs (ShellSource's separators) would make the message binary.
		fmt.Fprintf(&b, "--- stdout\n%s", withNewline(strings.ReplaceAll(r.stdout, "\x00", `\0`)))
	}
	if r.stderr != "" {
		fmt.Fprintf(&b, "--- stderr\n%s", withNewline(r.stderr))
	}
	fmt.Fprintf(&b, "--- exit status %d", r.code)
	if r.err != nil {
		fmt.Fprintf(&b, " (%v)", r.err)
	}
	return b.String()
}

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// run executes prog with args and the extra environment entries appended to
// baseEnv. A non-zero exit status is reported in code, not in err: the
// callers decide what a status means for their program.
func run(extraEnv []string, prog string, args ...string) result {
	return runEnv(append(append([]string{}, baseEnv...), extraEnv...), prog, args...)
}

// runEnv is run with exactly env as the environment; an empty env is the
// equivalent of env -i.
func runEnv(env []string, prog string, args ...string) result {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = append([]string{}, env...) // never nil: nil would inherit ours
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	r := result{
		cmdline: strings.Join(append([]string{prog}, args...), " "),
		stdout:  stdout.String(),
		stderr:  stderr.String(),
		code:    cmd.ProcessState.ExitCode(),
	}
	var exitErr *exec.ExitError
	if err != nil && !(errors.As(err, &exitErr) && ctx.Err() == nil) {
		r.err = fmt.Errorf("run %s: %w", prog, err)
		if ctx.Err() != nil {
			r.err = fmt.Errorf("run %s: killed after %v: %w", prog, commandTimeout, ctx.Err())
		}
	}
	return r
}
