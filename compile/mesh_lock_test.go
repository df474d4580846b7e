package compile_test

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// The lock-file tests change a site the ways a network grows (a router
// joins, one leaves, blocks and routers are reordered) and want every
// tunnel that existed before to compile exactly as it did: the same mark,
// interfaces and inside addresses, on both of its routers.

// meshRouters declares routers r1…r5 and a peer with a hand-written tunnel
// on r1, whose vti1 and mark 12 the pools must step around.
const meshRouters = `
router "r1" {
  asn     = 65001
  outside = "192.0.2.1"
}
router "r2" {
  asn     = 65002
  outside = "192.0.2.2"
}
router "r3" {
  asn     = 65003
  outside = "192.0.2.3"
}
router "r4" {
  asn     = 65004
  outside = "192.0.2.4"
}
router "r5" {
  asn     = 65005
  outside = "192.0.2.5"
}
peer "far" {
  outside = "198.51.100.7"
}
tunnel "r1-far" {
  psk = env("PSK")
  end "r1" {
    interface = "vti1"
    inside    = "169.254.0.2/30"
  }
  end "far" {
    inside = "169.254.0.1/30"
  }
}
`

func meshBlock(name string, routers []string, pool string) string {
	return fmt.Sprintf(`
mesh %q {
  routers     = ["%s"]
  inside_pool = %q
  psk         = env("PSK")
}
`, name, strings.Join(routers, `", "`), pool)
}

// lockedSite writes files into a fresh site directory, runs what vtic lock
// runs, and returns the directory.
func lockedSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeSite(t, dir, files)
	relock(t, dir)
	return dir
}

func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func meshOptions(relock bool) lang.Options {
	return lang.Options{Relock: relock, LookupEnv: func(name string) (string, bool) { return testKey, name == "PSK" }}
}

func relock(t *testing.T, dir string) {
	t.Helper()
	site, diags := lang.LoadDir(dir, meshOptions(true))
	if diags.HasErrors() {
		t.Fatalf("lock: %s", diags.Error())
	}
	b, ok := site.LockFile()
	if !ok {
		t.Fatal("the site needs no lock file")
	}
	if err := os.WriteFile(filepath.Join(dir, lang.LockFileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// compiled loads and compiles a locked site: router → tunnel → its plan.
func compiled(t *testing.T, dir string) map[string]map[string]*compile.Tunnel {
	t.Helper()
	site, diags := lang.LoadDir(dir, meshOptions(false))
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]*compile.Tunnel{}
	for _, h := range plan.Hosts {
		out[h.Name] = map[string]*compile.Tunnel{}
		for _, tu := range h.Tunnels {
			out[h.Name][tu.Name] = tu
		}
	}
	return out
}

// staleSummary loads a site whose lock file has not been rewritten yet and
// returns the summaries of its errors.
func staleSummaries(t *testing.T, dir string) []string {
	t.Helper()
	_, diags := lang.LoadDir(dir, meshOptions(false))
	var out []string
	for _, d := range diags {
		if d.Severity == 1 {
			out = append(out, d.Summary)
			if !strings.Contains(d.Detail, "Run vtic lock "+dir) {
				t.Errorf("%s: the detail does not say how to update the lock file: %s", d.Summary, d.Detail)
			}
		}
	}
	return out
}

// unchanged fails for every tunnel of before that after lacks or compiles
// differently; it returns how many tunnels it compared.
func unchanged(t *testing.T, before, after map[string]map[string]*compile.Tunnel, gone func(router, tunnel string) bool) int {
	t.Helper()
	n := 0
	for router, tunnels := range before {
		for name, want := range tunnels {
			if gone(router, name) {
				continue
			}
			n++
			got := after[router][name]
			if got == nil {
				t.Errorf("%s: tunnel %s disappeared", router, name)
				continue
			}
			if d := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
				cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
				t.Errorf("%s: tunnel %s changed (-before +after):\n%s", router, name, d)
			}
		}
	}
	return n
}

func TestMeshLockStable(t *testing.T) {
	three := []string{"r1", "r2", "r3"}
	dir := lockedSite(t, map[string]string{
		"routers.hcl": meshRouters,
		"mesh.hcl":    meshBlock("core", three, "10.255.0.0/24") + meshBlock("edge", []string{"r4", "r5"}, "10.255.1.0/24"),
	})
	before := compiled(t, dir)
	if got := before["r1"]["r1-r2"]; got == nil || got.Interface != "vti2" || got.Mark != 24 {
		t.Fatalf("r1-r2 on r1 = %+v; want vti2 and mark 24, around the hand-written tunnel's vti1 and mark 12", got)
	}
	if got := before["r2"]["r2-r3"]; got == nil || got.Inside.String() != "10.255.0.9/30" || got.Mark != 12 {
		t.Fatalf("r2-r3 on r2 = %+v; want the third /30 of the pool and mark 12, free on r2 and r3 though r1 holds it", got)
	}
	lock, _ := os.ReadFile(filepath.Join(dir, lang.LockFileName))
	none := func(string, string) bool { return false }

	t.Run("add a router", func(t *testing.T) {
		dir := lockedSite(t, map[string]string{"routers.hcl": meshRouters,
			"mesh.hcl": meshBlock("core", three, "10.255.0.0/24") + meshBlock("edge", []string{"r4", "r5"}, "10.255.1.0/24")})
		writeSite(t, dir, map[string]string{"mesh.hcl": meshBlock("core", []string{"r1", "r4", "r2", "r3"}, "10.255.0.0/24") +
			meshBlock("edge", []string{"r4", "r5"}, "10.255.1.0/24")})
		if got := staleSummaries(t, dir); !cmp.Equal(got, []string{"Lock file out of date"}) {
			t.Errorf("before vtic lock: errors %q, want one \"Lock file out of date\"", got)
		}
		relock(t, dir)
		after := compiled(t, dir)
		if n := unchanged(t, before, after, none); n != 9 {
			t.Errorf("compared %d tunnel ends, want 9", n)
		}
		if after["r4"]["r1-r4"] == nil || after["r4"]["r4-r2"] == nil || after["r4"]["r4-r3"] == nil {
			t.Errorf("r4 lacks its new core tunnels: %v", after["r4"])
		}
	})

	t.Run("remove a router", func(t *testing.T) {
		dir := lockedSite(t, map[string]string{"routers.hcl": meshRouters,
			"mesh.hcl": meshBlock("core", three, "10.255.0.0/24") + meshBlock("edge", []string{"r4", "r5"}, "10.255.1.0/24")})
		writeSite(t, dir, map[string]string{"mesh.hcl": meshBlock("core", []string{"r1", "r3"}, "10.255.0.0/24") +
			meshBlock("edge", []string{"r4", "r5"}, "10.255.1.0/24")})
		if got := staleSummaries(t, dir); !cmp.Equal(got, []string{"Lock file out of date", "Lock file out of date"}) {
			t.Errorf("before vtic lock: errors %q, want \"Lock file out of date\" for r1-r2 and r2-r3", got)
		}
		relock(t, dir)
		after := compiled(t, dir)
		gone := func(router, tunnel string) bool { return router == "r2" || strings.Contains(tunnel, "r2") }
		if n := unchanged(t, before, after, gone); n != 5 {
			t.Errorf("compared %d tunnel ends, want 5", n)
		}
		// A router that joins later takes the freed values, not the ones
		// still held.
		writeSite(t, dir, map[string]string{"mesh.hcl": meshBlock("core", []string{"r1", "r3", "r2"}, "10.255.0.0/24") +
			meshBlock("edge", []string{"r4", "r5"}, "10.255.1.0/24")})
		relock(t, dir)
		again := compiled(t, dir)
		unchanged(t, after, again, func(string, string) bool { return false })
	})

	t.Run("reorder routers and blocks", func(t *testing.T) {
		dir := lockedSite(t, map[string]string{"routers.hcl": meshRouters,
			"mesh.hcl": meshBlock("core", three, "10.255.0.0/24") + meshBlock("edge", []string{"r4", "r5"}, "10.255.1.0/24")})
		writeSite(t, dir, map[string]string{"mesh.hcl": meshBlock("edge", []string{"r5", "r4"}, "10.255.1.0/24") +
			meshBlock("core", []string{"r3", "r1", "r2"}, "10.255.0.0/24")})
		if got := staleSummaries(t, dir); len(got) != 0 {
			t.Errorf("reordering made the lock file stale: %q", got)
		}
		relock(t, dir)
		if got, _ := os.ReadFile(filepath.Join(dir, lang.LockFileName)); string(got) != string(lock) {
			t.Errorf("reordering rewrote the lock file:\n%s\nwant\n%s", got, lock)
		}
		if n := unchanged(t, before, compiled(t, dir), none); n != 9 {
			t.Errorf("compared %d tunnel ends, want 9", n)
		}
	})

	t.Run("missing lock file", func(t *testing.T) {
		dir := t.TempDir()
		writeSite(t, dir, map[string]string{"routers.hcl": meshRouters, "mesh.hcl": meshBlock("core", three, "10.255.0.0/24")})
		if got := staleSummaries(t, dir); !cmp.Equal(got, []string{"Missing lock file"}) {
			t.Errorf("errors %q, want \"Missing lock file\"", got)
		}
	})
}

// TestMeshShared: what a mesh block says for all of its tunnels (mtu,
// description, enabled, options, the key per tunnel) reaches every one
// of them, on both routers, as if each tunnel had been written by hand.
func TestMeshShared(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, map[string]string{
		"routers.hcl": meshRouters,
		"mesh.hcl": `
mesh "core" {
  routers     = ["r2", "r3"]
  inside_pool = "10.255.0.0/24"
  psk         = env("PSK_${tunnel}")
  mtu         = 1380
  description = "core mesh"
  enabled     = false
  options     = { dpd_delay = "5s" }
}
`})
	opts := func(relock bool) lang.Options {
		return lang.Options{Relock: relock, LookupEnv: func(name string) (string, bool) {
			return "key.of." + name, name == "PSK" || name == "PSK_r2-r3"
		}}
	}
	site, diags := lang.LoadDir(dir, opts(true))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	b, _ := site.LockFile()
	writeSite(t, dir, map[string]string{lang.LockFileName: string(b)})
	site, diags = lang.LoadDir(dir, opts(false))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, router := range []string{"r2", "r3"} {
		var got *compile.Tunnel
		for _, tu := range plan.Host(router).Tunnels {
			if tu.Name == "r2-r3" {
				got = tu
			}
		}
		if got == nil {
			t.Fatalf("%s has no tunnel r2-r3", router)
		}
		if got.MTU != 1380 || got.Description != "core mesh" || got.Enabled || len(got.Options) != 1 ||
			got.Options[0].Value != "5s" || string(got.PSK.Value) != "key.of.PSK_r2-r3" || got.PSK.Ref != `env("PSK_r2-r3")` {
			t.Errorf("%s: r2-r3 = MTU %d, description %q, enabled %v, options %+v, key %q from %s",
				router, got.MTU, got.Description, got.Enabled, got.Options, got.PSK.Value, got.PSK.Ref)
		}
	}
}
