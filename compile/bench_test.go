package compile_test

import (
	"fmt"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/sitegen"
	"github.com/vtic/vtic/lang"
)

// Scale benchmarks (docs/performance.md): Compile on synthetic sites of 10
// to 5,000 routers with 10 tunnels each. TestBenchCompile runs the body once
// on a small site so the benchmark cannot rot.

var benchSizes = []int{10, 100, 1000, 5000}

func loadBenchSite(tb testing.TB, routers int) (*lang.Site, int) {
	tb.Helper()
	dir := tb.TempDir()
	st, err := sitegen.WriteSite(dir, sitegen.Config{Routers: routers, TunnelsPerRouter: 10, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	site, diags := lang.LoadDir(dir, lang.Options{})
	if len(diags) > 0 {
		tb.Fatalf("%d diagnostics, the first: %s", len(diags), diags[0])
	}
	return site, st.MeshTunnels*2 + st.AWSTunnels
}

// compileSite is the benchmark body. ends is the number of tunnel ends the
// plan must hold (a mesh tunnel appears on both its routers).
func compileSite(tb testing.TB, site *lang.Site, ends int) *compile.Plan {
	plan, err := compile.Compile(site)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, h := range plan.Hosts {
		n += len(h.Tunnels)
	}
	if len(plan.Hosts) != len(site.Routers) || n != ends {
		tb.Fatalf("plan has %d hosts and %d tunnels; want %d and %d", len(plan.Hosts), n, len(site.Routers), ends)
	}
	return plan
}

func BenchmarkCompile(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("routers=%d", n), func(b *testing.B) {
			site, ends := loadBenchSite(b, n)
			measure(b, func() { compileSite(b, site, ends) })
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

func TestBenchCompile(t *testing.T) {
	site, ends := loadBenchSite(t, 10)
	compileSite(t, site, ends)
}
