package bundle_test

import (
	"fmt"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/sitegen"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets/bundle"
)

// Scale benchmarks (docs/performance.md): every renderer for every router of
// synthetic sites of 10 to 5,000 routers with 10 tunnels each.
// TestBenchRender runs the body once on a small site so it cannot rot.

var benchSizes = []int{10, 100, 1000, 5000}

func benchPlan(tb testing.TB, routers int) *compile.Plan {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := sitegen.WriteSite(dir, sitegen.Config{Routers: routers, TunnelsPerRouter: 10, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	site, diags := lang.LoadDir(dir, lang.Options{})
	if len(diags) > 0 {
		tb.Fatalf("%d diagnostics, the first: %s", len(diags), diags[0])
	}
	plan, err := compile.Compile(site)
	if err != nil {
		tb.Fatal(err)
	}
	return plan
}

// renderAll is the benchmark body: it returns the bytes rendered, manifests
// included, which the benchmark reports as throughput.
func renderAll(tb testing.TB, plan *compile.Plan) int64 {
	var n int64
	for _, h := range plan.Hosts {
		files, m, err := bundle.Render(h)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			n += int64(len(f.Data))
		}
		n += int64(len(m.Encode()))
	}
	return n
}

func BenchmarkRender(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("routers=%d", n), func(b *testing.B) {
			plan := benchPlan(b, n)
			b.SetBytes(renderAll(b, plan))
			measure(b, func() { renderAll(b, plan) })
		})
	}
}

// measure runs body in b.Loop and reports the process's CPU time per
// operation as cpu-ns/op: on a shared machine ns/op also counts the time
// spent waiting for a CPU.
func measure(b *testing.B, body func()) {
	b.ReportAllocs()
	start := sitegen.CPUTime()
	for b.Loop() {
		body()
	}
	b.ReportMetric(float64(sitegen.CPUTime()-start)/float64(b.N), "cpu-ns/op")
}

func TestBenchRender(t *testing.T) {
	if n := renderAll(t, benchPlan(t, 10)); n == 0 {
		t.Fatal("rendered nothing")
	}
}
