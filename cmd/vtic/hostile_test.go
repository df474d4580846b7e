package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vtic/vtic/lang"
)

// These tests run vtic the way CI runs it on a pull request that someone
// outside the project wrote: the site is hostile, the runner holds
// credentials. docs/security.md lists what each one proves.

// hostileCanary is text that must never reach vtic's output: it stands for
// a file outside the site (a credential of the runner).
const hostileCanary = "CANARY-4b1d-outside-the-site"

// TestSiteFileSymlink: a site *.hcl that is a symbolic link is refused by
// name, and the file it points at is never read, in every output format and
// in diff's work-tree side. A link to a file inside the site is refused
// too: it could make a key file parse as HCL and print it in a snippet.
func TestSiteFileSymlink(t *testing.T) {
	bin := vticPath(t)
	outside := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(outside, []byte("root:x:0:0:"+hostileCanary+":/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{outside, "secrets/gw1-gw2.psk"} {
		dir := writeSite(t, validSite)
		site := filepath.Join(dir, "site")
		if err := os.MkdirAll(filepath.Join(site, "secrets"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(site, "secrets", "gw1-gw2.psk"), []byte(hostileCanary+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(site, "zz.hcl")); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"text", "json", "github"} {
			res := runVtic(t, bin, dir, baseEnv(t), "validate", "--format", format, "site")
			out := res.stdout + res.stderr
			if res.code != 1 {
				t.Errorf("%s, %s: exit %d, want 1\n%s", target, format, res.code, out)
			}
			if strings.Contains(out, hostileCanary) {
				t.Errorf("%s, %s: output shows the linked file's content:\n%s", target, format, out)
			}
			if !strings.Contains(out, "Site file is a symbolic link") || !strings.Contains(out, "zz.hcl") {
				t.Errorf("%s, %s: no diagnostic naming zz.hcl as a symbolic link:\n%s", target, format, out)
			}
		}
	}
}

// validSite is a site without any diagnostic.
const validSite = `router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
}
router "gw2" {
  asn     = 65002
  outside = "203.0.113.1"
}
tunnel "gw1-gw2" {
  psk = env("VTIC_TEST_PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.20.2/30"
  }
}
`

// TestDiffWorkTreeSymlink: diff's work-tree side refuses a linked site
// file the same way.
func TestDiffWorkTreeSymlink(t *testing.T) {
	bin := vticPath(t)
	env := baseEnv(t)
	r := newRepo(t, env)
	r.write("site/site.hcl", validSite)
	r.commit("base", "site")
	outside := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(outside, []byte("router "+hostileCanary+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(r.dir, "site", "zz.hcl")); err != nil {
		t.Fatal(err)
	}
	res := runVtic(t, bin, r.dir, env, "diff", "--base", "base", "site")
	out := res.stdout + res.stderr
	if res.code != 1 || strings.Contains(out, hostileCanary) || !strings.Contains(out, "Site file is a symbolic link") {
		t.Errorf("diff with a linked site file: exit %d, want 1, a diagnostic and not the file's content:\n%s", res.code, out)
	}
}

// longLineSite is a router whose announce list holds n copies of one
// prefix on a single line: n-1 "Duplicate announced prefix" errors, each
// on the same line.
func longLineSite(n int) string {
	var b strings.Builder
	b.WriteString("router \"gw1\" {\n  asn = 65001\n  outside = \"192.0.2.1\"\n  announce = [")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"10.1.0.0/16"`)
	}
	b.WriteString("]\n}\n")
	return b.String()
}

// TestDiagnosticsBounded: thousands of errors on one long line print a
// bounded snippet each, at most maxPrintedDiags of them and a line that
// counts the rest; JSON keeps the true counts and says how many it left
// out.
func TestDiagnosticsBounded(t *testing.T) {
	bin := vticPath(t)
	const n = 4000
	dir := writeSite(t, longLineSite(n))

	res := runVtic(t, bin, dir, baseEnv(t), "validate", "site")
	if res.code != 1 {
		t.Fatalf("exit %d, want 1\n%.2000s", res.code, res.stderr)
	}
	if got := strings.Count(res.stderr, "Error: Duplicate announced prefix"); got != maxPrintedDiags {
		t.Errorf("text: %d diagnostics printed, want %d", got, maxPrintedDiags)
	}
	if want := fmt.Sprintf("… and %d more errors", n-1-maxPrintedDiags); !strings.Contains(res.stderr, want) {
		t.Errorf("text: no line %q", want)
	}
	for _, line := range strings.Split(res.stderr, "\n") {
		if len(line) > 200 {
			t.Fatalf("text: a line of %d bytes: %.300s…", len(line), line)
		}
	}
	if len(res.stderr) > 100<<10 {
		t.Errorf("text: %d bytes of diagnostics", len(res.stderr))
	}

	res = runVtic(t, bin, dir, baseEnv(t), "validate", "-json", "site")
	var report struct {
		ErrorCount  int `json:"error_count"`
		Truncated   int `json:"truncated"`
		Diagnostics []struct {
			Range struct {
				Start struct{ Byte int }
				End   struct{ Byte int }
			}
			Snippet struct {
				Code                 string
				HighlightStartOffset int `json:"highlight_start_offset"`
				HighlightEndOffset   int `json:"highlight_end_offset"`
			}
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &report); err != nil {
		t.Fatalf("json: %v\n%.2000s", err, res.stdout)
	}
	if report.ErrorCount != n-1 || report.Truncated != n-1-maxPrintedDiags || len(report.Diagnostics) != maxPrintedDiags {
		t.Errorf("json: error_count %d, truncated %d, %d diagnostics; want %d, %d, %d",
			report.ErrorCount, report.Truncated, len(report.Diagnostics), n-1, n-1-maxPrintedDiags, maxPrintedDiags)
	}
	src := longLineSite(n)
	for i, d := range report.Diagnostics {
		s := d.Snippet
		if len(s.Code) > 200 {
			t.Fatalf("json: diagnostic %d: snippet of %d bytes", i, len(s.Code))
		}
		if s.HighlightStartOffset < 0 || s.HighlightEndOffset > len(s.Code) || s.HighlightStartOffset > s.HighlightEndOffset {
			t.Fatalf("json: diagnostic %d: highlight %d..%d outside a code of %d bytes", i, s.HighlightStartOffset, s.HighlightEndOffset, len(s.Code))
		}
		if got, want := s.Code[s.HighlightStartOffset:s.HighlightEndOffset], src[d.Range.Start.Byte:d.Range.End.Byte]; got != want {
			t.Fatalf("json: diagnostic %d: highlight %q, want the subject %q", i, got, want)
		}
	}
}

// worstCases are sites built to make validation as costly as possible:
// many errors on one line, and files at the size limit of the densest
// syntax (one token every 2 bytes) with an error per element.
func worstCases() map[string]string {
	limit := lang.MaxSourceSize - 4096
	dense := func(elem string) string {
		head := "router \"gw1\" {\n  asn = 65001\n  outside = \"192.0.2.1\"\n  announce = ["
		n := (limit - len(head)) / (len(elem) + 1)
		return head + strings.Repeat(elem+",", n) + "]\n}\n"
	}
	lines := strings.Repeat("x = 1\n", limit/6)
	return map[string]string{
		"long-line":     longLineSite(4000),
		"limit-strings": dense(`"10.1.0.0/16"`),
		"limit-numbers": dense("0"),
		"limit-index":   dense("[(0)]"),
		"limit-lines":   "router \"gw1\" {\n" + lines + "}\n",
	}
}

// TestWorstCaseResources runs vtic validate on each worst case and holds
// it to the bounds of issue 12: under 1 GiB of peak RSS and 30 s of CPU
// (CPU, not wall time: the test machine is shared).
func TestWorstCaseResources(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sites of several MiB")
	}
	bin := vticPath(t)
	for name, src := range worstCases() {
		dir := writeSite(t, src)
		// JSON costs what text does but for the writer: once is enough
		// for the files at the limit, which take the longest.
		formats := []string{"text", "json"}
		if strings.HasPrefix(name, "limit-") {
			formats = formats[:1]
		}
		for _, format := range formats {
			cmd := exec.Command(bin, "validate", "--format", format, "site")
			cmd.Dir, cmd.Env = dir, baseEnv(t)
			var out countingWriter
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			_ = cmd.Run()
			wall := time.Since(start)
			ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			rss := ru.Maxrss << 10 // KiB on Linux
			cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			t.Logf("%s %s: exit %d, %d MiB RSS, %.1f s CPU, %.1f s wall, %d bytes out",
				name, format, cmd.ProcessState.ExitCode(), rss>>20, cpu.Seconds(), wall.Seconds(), out.n)
			if cmd.ProcessState.ExitCode() != 1 {
				t.Errorf("%s %s: exit %d, want 1", name, format, cmd.ProcessState.ExitCode())
			}
			if rss >= 1<<30 {
				t.Errorf("%s %s: %d MiB of RSS, want under 1 GiB", name, format, rss>>20)
			}
			if cpu >= 30*time.Second {
				t.Errorf("%s %s: %.1f s of CPU, want under 30 s", name, format, cpu.Seconds())
			}
			if out.n > 1<<20 {
				t.Errorf("%s %s: %d bytes of output, want at most 1 MiB", name, format, out.n)
			}
		}
	}
}

// BenchmarkValidateWorstCase is vtic validate -json, in process, on each
// worst case.
func BenchmarkValidateWorstCase(b *testing.B) {
	for name, src := range worstCases() {
		dir := writeSite(b, src)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				vticRunCode(b, 1, "validate", "-json", filepath.Join(dir, "site"))
			}
		})
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// TestValidateSIGTERM sends SIGTERM to vtic validate while it loads a slow
// site and measures how long it takes to exit. The run must end within
// 1 s of the signal and say it was interrupted (so it did not simply
// finish first).
func TestValidateSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large site")
	}
	bin := vticPath(t)
	// A valid site of 2,000 routers: loading it takes seconds of CPU.
	dir := scaleSite(t, 2000)
	cmd := exec.Command(bin, "validate", ".")
	cmd.Dir, cmd.Env = dir, baseEnv(t)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	// Wait until the process has used some CPU: it is past start-up and
	// inside the load.
	deadline := time.Now().Add(20 * time.Second)
	for cpuOf(cmd.Process.Pid) < 300*time.Millisecond {
		select {
		case <-done:
			t.Fatalf("vtic validate ended before the signal:\n%.2000s", out.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("vtic validate used no CPU for 20 s")
		}
	}
	cpuBefore := cpuOf(cmd.Process.Pid)
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("vtic validate still running 30 s after SIGTERM")
	}
	took := time.Since(sent)
	// Judged by the CPU the process used after the signal, not by the
	// wall clock, which a loaded machine stretches: the whole load takes
	// seconds of CPU, stopping must take a fraction of one.
	cpuAfter := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() - cpuBefore
	t.Logf("exit %d %v after SIGTERM, %v of CPU after it (%v before it)", cmd.ProcessState.ExitCode(), took, cpuAfter, cpuBefore)
	if cpuAfter > time.Second {
		t.Errorf("vtic validate used %v of CPU after SIGTERM, want under 1 s", cpuAfter)
	}
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(out.String(), "interrupted") {
		t.Errorf("vtic validate did not exit 1 saying it was interrupted:\n%.2000s", out.String())
	}
}

// cpuOf is the CPU time a process has used so far, from /proc.
func cpuOf(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100
}

// TestPSKSnippetRedacted: an inline key that is malformed (a syntax error,
// a list, a function call) never shows in a snippet.
func TestPSKSnippetRedacted(t *testing.T) {
	bin := vticPath(t)
	for _, psk := range []string{`"Key12345\q"`, `["Key12345"]`, `upper("Key12345")`, `"Key12345`, `"Key12345" + 1`, "<<EOT\nKey12345\nEOT"} {
		src := strings.Replace(validSite, `env("VTIC_TEST_PSK")`, psk, 1)
		dir := writeSite(t, src)
		for _, format := range []string{"text", "json", "github"} {
			res := runVtic(t, bin, dir, baseEnv(t), "validate", "--format", format, "site")
			out := res.stdout + res.stderr
			if res.code != 1 {
				t.Errorf("psk = %s, %s: exit %d, want 1\n%s", psk, format, res.code, out)
			}
			if strings.Contains(out, "Key12345") || strings.Contains(out, "ey1234") {
				t.Errorf("psk = %s, %s: the key shows:\n%s", psk, format, out)
			}
		}
	}
}

// TestEnvKeyNotProbed: diagnostics about a key from env() do not say how
// long it is or where a bad byte sits, so a pull request cannot measure a
// runner's variable through vtic validate --no-secrets or vtic diff.
func TestEnvKeyNotProbed(t *testing.T) {
	bin := vticPath(t)
	dir := writeSite(t, validSite)
	for _, value := range []string{"short", "abc\x01defghijk"} {
		env := append(baseEnv(t), "VTIC_TEST_PSK="+value)
		for _, args := range [][]string{{"validate", "--no-secrets", "site"}, {"validate", "-json", "site"}} {
			res := runVtic(t, bin, dir, env, args...)
			out := res.stdout + res.stderr
			if res.code != 1 {
				t.Errorf("key %q, %v: exit %d, want 1\n%s", value, args, res.code, out)
			}
			if strings.Contains(out, "offset ") || strings.Contains(out, fmt.Sprintf("is %d bytes", len(value))) ||
				strings.Contains(out, fmt.Sprintf("has %d", len(value))) {
				t.Errorf("key %q, %v: output tells the key's length or a byte offset:\n%s", value, args, out)
			}
		}
	}
}

// TestControlCharsEscaped: a committed file whose name holds a line break
// and a GitHub workflow command cannot start a line of vtic's output, in
// any format, and no control character of the site reaches the output.
func TestControlCharsEscaped(t *testing.T) {
	bin := vticPath(t)
	dir := writeSite(t, validSite)
	name := "x\n::warning title=pwned::injected\r\x1b[2J.hcl"
	src := "router \"gw9\" {\n  asn = 65009 # \x1b]0;title\x07 \n  outside = \"192.0.2.9\"\n  bogus\x1b[31m = 1\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "site", name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "github", "json"} {
		res := runVtic(t, bin, dir, baseEnv(t), "validate", "--format", format, "site")
		out := res.stdout + res.stderr
		if res.code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s", format, res.code, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "::warning") {
				t.Errorf("%s: a line starts a workflow command from the site: %q", format, line)
			}
		}
		if strings.ContainsAny(out, "\r\x1b\x07") {
			t.Errorf("%s: output holds control characters from the site:\n%q", format, out)
		}
		if !strings.Contains(out, `x\n::warning`) && !strings.Contains(out, `x\n%3A%3Awarning`) {
			t.Errorf("%s: the file name is not shown escaped:\n%q", format, out)
		}
	}
}
