package scalelab

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// input loads, checks and renders the generated site with n tunnels.
func input(tb testing.TB, n int) apply.Input {
	tb.Helper()
	dir := tb.TempDir()
	if err := WriteSite(dir, n); err != nil {
		tb.Fatal(err)
	}
	site, diags := lang.LoadDir(dir, lang.Options{})
	if len(diags) > 0 {
		tb.Fatalf("generated site with %d tunnels: %s", n, diags.Error())
	}
	plan, err := compile.Compile(site)
	if err != nil {
		tb.Fatal(err)
	}
	h := plan.Host(RouterName)
	if h == nil {
		tb.Fatalf("no host %s", RouterName)
	}
	in, err := apply.FromHost(h)
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

// fakeRouter is a root directory and the fakes, each behind a meter.
type fakeRouter struct {
	sys apply.System
	m   *meter
}

func newFakeRouter(tb testing.TB) *fakeRouter {
	k := netdev.NewFake()
	k.PutLink(netdev.Link{Name: "eth0", Kind: "device", Up: true, MTU: 1500,
		Addrs: []netip.Prefix{netip.MustParsePrefix(LocalAddr + "/24")}})
	m := newMeter()
	return &fakeRouter{m: m, sys: apply.System{
		Root:     tb.TempDir(),
		Kernel:   &meteredKernel{k: k, m: m},
		Charon:   &meteredCharon{c: charon.NewFake(), m: m},
		FRR:      &meteredFRR{f: frrreload.NewFake(), m: m},
		Firewall: &meteredFirewall{f: firewall.NewFake(), m: m},
	}}
}

func (r *fakeRouter) apply(tb testing.TB, in apply.Input) *apply.Result {
	tb.Helper()
	var out bytes.Buffer
	res, err := apply.Apply(context.Background(), r.sys, in, apply.Options{Out: &out})
	if err != nil {
		tb.Fatalf("apply: %v\n%s", err, out.String())
	}
	return res
}

// TestGeneratedSite checks the generator: the site is valid with and
// without tunnels, past the 250 peers of one 198.18.x.0/24, and renders
// one VTI per tunnel with the generated parameters.
func TestGeneratedSite(t *testing.T) {
	for _, n := range []int{0, 1, 300} {
		in := input(t, n)
		vtis := 0
		for _, f := range in.Files {
			if bytes.HasSuffix([]byte(f.Path), []byte("/vti.init")) {
				vtis++
			}
		}
		if vtis != n {
			t.Errorf("n=%d: %d vti.init files", n, vtis)
		}
	}
	tu := Tunnels(300)
	if got := fmt.Sprintf("%s %s %s %s %s", tu[0].Interface, tu[0].Remote, tu[0].Inside, tu[299].Remote, tu[299].Inside); got != "vti1 198.18.0.1 10.0.0.1/30 198.18.1.50 10.0.4.173/30" {
		t.Errorf("tunnels 1 and 300: %s", got)
	}
}

// TestFakesNoopAtScale applies 1,000 tunnels (200 with -short) to fakes
// and a temporary root, then again: the second apply must plan nothing,
// call no write method and change no file. The times it logs are this
// machine's, without the VM's emulation.
func TestFakesNoopAtScale(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 200
	}
	in := input(t, n)
	r := newFakeRouter(t)
	start := time.Now()
	res := r.apply(t, in)
	first := time.Since(start)
	writes := r.m.writes()
	// At least, per tunnel: create, address, two sysctls, up; plus the
	// global forwarding sysctl.
	if kw, least := r.m.n["netlink_writes"]+r.m.n["sysctl_writes"], n*5+1; kw < least {
		t.Errorf("first apply: %d kernel writes, want at least %d", kw, least)
	}
	before, err := snapshotRoot(r.sys.Root)
	if err != nil {
		t.Fatal(err)
	}
	r.m = newMeter()
	r.sys.Kernel.(*meteredKernel).m = r.m
	r.sys.Charon.(*meteredCharon).m = r.m
	r.sys.FRR.(*meteredFRR).m = r.m
	r.sys.Firewall.(*meteredFirewall).m = r.m
	start = time.Now()
	again := r.apply(t, in)
	second := time.Since(start)
	after, err := snapshotRoot(r.sys.Root)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Actions) > 0 || r.m.writes() > 0 {
		t.Errorf("second apply: %d actions, %d writes (%s)", len(again.Actions), r.m.writes(), r.m)
	}
	if ch := diffSnapshots(before, after); len(ch) > 0 {
		t.Errorf("second apply changed files: %v", ch)
	}
	t.Logf("%d tunnels on fakes: first apply %s (%d actions, %d writes), no-op %s", n, first.Round(time.Millisecond), len(res.Actions), writes, second.Round(time.Millisecond))
}

// BenchmarkNoopApplyFakes is the planning cost of a no-op apply of 1,000
// tunnels: read the files and the fakes, plan, write nothing.
func BenchmarkNoopApplyFakes(b *testing.B) {
	in := input(b, 1000)
	r := newFakeRouter(b)
	r.apply(b, in)
	b.ResetTimer()
	for b.Loop() {
		if res := r.apply(b, in); len(res.Actions) > 0 {
			b.Fatalf("%d actions", len(res.Actions))
		}
	}
}
