package lang_test

import (
	"fmt"
	"testing"

	"github.com/vtic/vtic/internal/testkit/sitegen"
	"github.com/vtic/vtic/lang"
)

// Scale benchmarks: synthetic sites of 10 to 5,000 routers with 10 tunnels
// each (docs/performance.md). Compare sizes with benchstat; time per router
// must stay flat. TestBench* run each body once on a small site so the
// benchmarks keep compiling and working.

// benchSizes are the router counts of the growth curve.
var benchSizes = []int{10, 100, 1000, 5000}

// benchConfig is the site every scale benchmark uses at a size.
func benchConfig(routers int) sitegen.Config {
	return sitegen.Config{Routers: routers, TunnelsPerRouter: 10, Seed: 1}
}

func writeBenchSite(tb testing.TB, routers int) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := sitegen.WriteSite(dir, benchConfig(routers)); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// loadValid is the body of BenchmarkLoadDir: read, decode and check a site,
// which must be valid.
func loadValid(tb testing.TB, dir string) *lang.Site {
	site, diags := lang.LoadDir(dir, lang.Options{})
	if len(diags) > 0 {
		tb.Fatalf("%d diagnostics, the first: %s", len(diags), diags[0])
	}
	return site
}

// BenchmarkLoadDir is what vtic validate does besides printing.
func BenchmarkLoadDir(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("routers=%d", n), func(b *testing.B) {
			dir := writeBenchSite(b, n)
			measure(b, func() { loadValid(b, dir) })
		})
	}
}

// BenchmarkValidate is the rules alone, on a site already decoded.
func BenchmarkValidate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("routers=%d", n), func(b *testing.B) {
			site := loadValid(b, writeBenchSite(b, n))
			measure(b, func() {
				if diags := lang.Validate(site); len(diags) > 0 {
					b.Fatal(diags)
				}
			})
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

func TestBenchLoadDir(t *testing.T) {
	site := loadValid(t, writeBenchSite(t, 10))
	if diags := lang.Validate(site); len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(site.Routers) != 10 {
		t.Fatalf("%d routers", len(site.Routers))
	}
}
