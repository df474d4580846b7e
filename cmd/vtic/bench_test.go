package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/sitegen"
)

// Whole-pipeline scale benchmarks (docs/performance.md): vtic validate,
// vtic build and vtic diff (two git revisions differing in 1% of the
// tunnels), in process, on synthetic sites of 10 to 5,000 routers with 10
// tunnels each, and the floor they are compared with: reading the site's
// files and writing as many files and bytes as the build wrote, with plain
// Go file I/O. TestBenchPipeline runs every body once at 10 routers so the
// benchmarks cannot rot.

var scaleSizes = []int{10, 100, 1000, 5000}

func scaleSite(tb testing.TB, routers int) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := sitegen.WriteSite(dir, sitegen.Config{Routers: routers, TunnelsPerRouter: 10, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// vticRun runs one vtic command in process and fails unless it exits 0.
func vticRun(tb testing.TB, args ...string) { vticRunCode(tb, 0, args...) }

func vticRunCode(tb testing.TB, want int, args ...string) {
	var stderr strings.Builder
	e := &env{stdout: io.Discard, stderr: &stderr, getenv: os.Getenv}
	if code := run(context.Background(), e, args); code != want {
		tb.Fatalf("vtic %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, stderr.String())
	}
}

// diffRepo makes a git repository holding two revisions of a synthetic site
// that differ in 1% of the tunnels. The key files are not committed, as in
// a real site repository: vtic diff reads them from the work tree.
func diffRepo(tb testing.TB, routers int) string {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
	dir := tb.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.invalid",
			"GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.invalid", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	c := sitegen.Config{Routers: routers, TunnelsPerRouter: 10, Seed: 1}
	if _, err := sitegen.WriteSite(dir, c); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("secrets/\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-qm", "revision 1")
	c.Change = 0.01
	files, _, err := sitegen.Generate(c)
	if err != nil {
		tb.Fatal(err)
	}
	if err := sitegen.Write(dir, files); err != nil { // the same paths: every file is replaced
		tb.Fatal(err)
	}
	git("commit", "-qam", "revision 2")
	return dir
}

// floor is the floor's body: read the site, write shape under out.
func floor(tb testing.TB, site, out string, shape []sitegen.Entry) {
	if _, err := sitegen.ReadTree(site); err != nil {
		tb.Fatal(err)
	}
	if err := sitegen.WriteShape(out, shape); err != nil {
		tb.Fatal(err)
	}
}

// buildShape builds the site once and returns the files that build wrote.
func buildShape(tb testing.TB, site string) []sitegen.Entry {
	out := filepath.Join(tb.TempDir(), "out")
	vticRun(tb, "build", site, "-o", out)
	shape, err := sitegen.Shape(out)
	if err != nil {
		tb.Fatal(err)
	}
	return shape
}

// measure runs body in b.Loop, the i-th call writing to out/i, and reports
// the process's CPU time per operation as cpu-ns/op (on a shared machine
// ns/op also counts waiting for a CPU).
func measure(b *testing.B, body func(out string)) {
	b.ReportAllocs()
	root := b.TempDir()
	start := sitegen.CPUTime()
	for i := 0; b.Loop(); i++ {
		body(filepath.Join(root, fmt.Sprint(i)))
	}
	b.ReportMetric(float64(sitegen.CPUTime()-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkPipeline(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("validate/routers=%d", n), func(b *testing.B) {
			site := scaleSite(b, n)
			measure(b, func(string) { vticRun(b, "validate", site) })
		})
		b.Run(fmt.Sprintf("build/routers=%d", n), func(b *testing.B) {
			site := scaleSite(b, n)
			measure(b, func(out string) { vticRun(b, "build", site, "-o", out) })
		})
		b.Run(fmt.Sprintf("diff/routers=%d", n), func(b *testing.B) {
			if n > 1000 {
				b.Skip("diff is measured up to 1,000 routers, its target size")
			}
			repo := diffRepo(b, n)
			measure(b, func(string) { vticRunCode(b, 2, "diff", repo, "--base", "HEAD~1", "--head", "HEAD") })
		})
		b.Run(fmt.Sprintf("floor/routers=%d", n), func(b *testing.B) {
			site := scaleSite(b, n)
			shape := buildShape(b, site)
			var size int64
			for _, e := range shape {
				size += e.Size
			}
			b.SetBytes(size)
			measure(b, func(out string) { floor(b, site, out, shape) })
		})
	}
}

func TestBenchPipeline(t *testing.T) {
	site := scaleSite(t, 10)
	vticRun(t, "validate", site)
	shape := buildShape(t, site)
	if len(shape) < 10*8 {
		t.Fatalf("build wrote only %d files", len(shape))
	}
	floor(t, site, filepath.Join(t.TempDir(), "floor"), shape)
	vticRunCode(t, 2, "diff", diffRepo(t, 10), "--base", "HEAD~1", "--head", "HEAD")
}
