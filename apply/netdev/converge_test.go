package netdev

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	ourOuter = netip.MustParseAddr("192.0.2.10")
	gw       = netip.MustParseAddr("192.0.2.1")
	peer1    = netip.MustParseAddr("198.51.100.2")
	peer2    = netip.MustParseAddr("203.0.113.2")

	vti1 = VTI{Name: "vti1", Local: ourOuter, Remote: peer1, Key: 12, MTU: 1400,
		Address: netip.MustParsePrefix("169.254.10.1/30"), Up: true}
	vti2 = VTI{Name: "vti2", Local: ourOuter, Remote: peer2, Key: 13, MTU: 1400,
		Address: netip.MustParsePrefix("169.254.10.5/30"), Up: true}
	route1 = Route{Dst: netip.MustParsePrefix("198.51.100.2/32"), Gateway: gw}
	route2 = Route{Dst: netip.MustParsePrefix("203.0.113.2/32"), Gateway: gw}

	eth0 = Link{Name: "eth0", Kind: "veth", Up: true, MTU: 1500,
		Addrs: []netip.Prefix{netip.MustParsePrefix("192.0.2.10/24")}}
)

var fwd = []string{"sysctl net.ipv4.ip_forward=1"}

// created1 is what creating vti1 (as in the var above) writes.
var created1 = []string{
	"create vti1 local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400",
	"addr replace vti1 169.254.10.1/30",
	"sysctl net.ipv4.conf.vti1.disable_policy=1",
	"sysctl net.ipv4.conf.vti1.rp_filter=2",
	"set vti1 up",
}

var created2 = []string{
	"create vti2 local 192.0.2.10 remote 203.0.113.2 key 13 mtu 1400",
	"addr replace vti2 169.254.10.5/30",
	"sysctl net.ipv4.conf.vti2.disable_policy=1",
	"sysctl net.ipv4.conf.vti2.rp_filter=2",
	"set vti2 up",
}

func lines(groups ...[]string) []string { return slices.Concat(groups...) }

func edit(v VTI, f func(*VTI)) VTI { return with(v, f) }

// newTestFake is a router with its uplink configured and nothing else.
func newTestFake() *Fake {
	f := NewFake()
	f.PutLink(Link{Name: "lo", Kind: "device", Up: true, MTU: 65536,
		Addrs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/8")}})
	f.PutLink(eth0)
	f.PutRoute(Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: gw, Dev: "eth0"})
	return f
}

// applyStep is one apply in a sequence. Unless owned is set, the step owns what
// the previous successful step wanted, as vtic's state file would.
type applyStep struct {
	name    string
	setup   func(*Fake) // foreign changes before the apply, not recorded
	vtis    []VTI
	routes  []Route
	owned   []string
	want    []string // transcript
	wantErr string   // substring; "" = success
	check   func(*testing.T, *Fake)
}

func TestConverge(t *testing.T) {
	tests := []struct {
		name  string
		steps []applyStep
	}{
		{"create then nothing to do", []applyStep{
			{name: "create", vtis: []VTI{vti1}, routes: []Route{route1}, want: lines(
				fwd,
				created1,
				[]string{"route replace 198.51.100.2/32 via 192.0.2.1"})},
			{name: "again", vtis: []VTI{vti1}, routes: []Route{route1}, want: nil},
		}},
		{"mtu change", []applyStep{
			{name: "create", vtis: []VTI{vti1}, want: lines(fwd, created1)},
			{name: "mtu", vtis: []VTI{edit(vti1, func(v *VTI) { v.MTU = 1380 })}, want: []string{"set vti1 mtu 1380"}},
			{name: "mtu left to the kernel", vtis: []VTI{edit(vti1, func(v *VTI) { v.MTU = 0 })}, want: nil},
		}},
		{"disable sets down only, enable sets up only", []applyStep{
			{name: "create", vtis: []VTI{vti1}, want: lines(fwd, created1)},
			{name: "disable", vtis: []VTI{edit(vti1, func(v *VTI) { v.Up = false })}, want: []string{"set vti1 down"}},
			{name: "still disabled", vtis: []VTI{edit(vti1, func(v *VTI) { v.Up = false })}, want: nil},
			{name: "enable", vtis: []VTI{vti1}, want: []string{"set vti1 up"}},
		}},
		{"create disabled", []applyStep{
			{name: "create", vtis: []VTI{edit(vti1, func(v *VTI) { v.Up = false })}, want: lines(
				fwd, created1[:4])},
		}},
		{"remove deletes only owned devices", []applyStep{
			{name: "create", vtis: []VTI{vti1, vti2}, want: lines(fwd, created1, created2)},
			{name: "remove vti2", setup: func(f *Fake) {
				f.PutLink(Link{Name: "vti9", Kind: KindVTI, Local: ourOuter, Remote: netip.MustParseAddr("198.51.100.9"), IKey: 9, OKey: 9})
				f.PutLink(Link{Name: "vti8", Kind: "dummy"})
			}, vtis: []VTI{vti1}, want: []string{"delete vti2"}, check: func(t *testing.T, f *Fake) {
				for _, name := range []string{"vti1", "vti8", "vti9", "eth0"} {
					if _, ok := fakeLink(f, name); !ok {
						t.Errorf("%s was deleted", name)
					}
				}
			}},
			{name: "remove all", vtis: nil, want: []string{"delete vti1"}},
			{name: "nothing owned", vtis: nil, want: nil},
		}},
		{"foreign device with the wanted name", []applyStep{
			{name: "veth", setup: func(f *Fake) { f.PutLink(Link{Name: "vti1", Kind: "veth", Up: true, MTU: 1500}) },
				vtis: []VTI{vti1, vti2}, wantErr: "vti vti1: a veth device with that name exists"},
			{name: "even if the state file claims it", owned: []string{"vti1"},
				vtis: []VTI{vti1}, wantErr: "vti vti1: a veth device with that name exists",
				check: func(t *testing.T, f *Fake) {
					if l, _ := fakeLink(f, "vti1"); l.Kind != "veth" || !l.Up {
						t.Errorf("foreign vti1 changed: %+v", l)
					}
				}},
		}},
		{"foreign vti with the wanted name", []applyStep{
			{name: "other key", setup: func(f *Fake) {
				f.PutLink(Link{Name: "vti1", Kind: KindVTI, Local: ourOuter, Remote: peer1, IKey: 99, OKey: 99, MTU: 1480})
			}, vtis: []VTI{vti1}, wantErr: "a vti with that name exists with local 192.0.2.10 remote 198.51.100.2 ikey 99 okey 99"},
		}},
		{"foreign vti that already matches is adopted", []applyStep{
			{name: "adopt", setup: func(f *Fake) {
				f.PutLink(Link{Name: "vti1", Kind: KindVTI, Local: ourOuter, Remote: peer1, IKey: 12, OKey: 12, MTU: 1480})
			}, vtis: []VTI{vti1}, want: lines([]string{"sysctl net.ipv4.ip_forward=1", "set vti1 mtu 1400"}, created1[1:])},
			{name: "again", vtis: []VTI{vti1}, want: nil},
		}},
		{"foreign device with another name is untouched", []applyStep{
			{name: "create", setup: func(f *Fake) {
				f.PutLink(Link{Name: "wg0", Kind: "wireguard", Up: true, MTU: 1420,
					Addrs: []netip.Prefix{netip.MustParsePrefix("10.9.0.1/24")}})
				f.PutRoute(Route{Dst: netip.MustParsePrefix("10.99.0.0/16"), Gateway: netip.MustParseAddr("10.9.0.2"), Dev: "wg0"})
			}, vtis: []VTI{vti1}, owned: []string{"vti7"}, want: lines(fwd, created1), check: func(t *testing.T, f *Fake) {
				l, _ := fakeLink(f, "wg0")
				if !l.Up || l.MTU != 1420 || len(l.Addrs) != 1 {
					t.Errorf("wg0 changed: %+v", l)
				}
				if rs, _ := f.Routes(); len(rs) != 2 {
					t.Errorf("routes changed: %v", rs)
				}
			}},
		}},
		{"pair held by a foreign vti", []applyStep{
			{name: "clash", setup: func(f *Fake) {
				f.PutLink(Link{Name: "tun0", Kind: KindVTI, Local: ourOuter, Remote: peer1, IKey: 5, OKey: 5})
			}, vtis: []VTI{vti1}, wantErr: "vti vti1: device tun0 already uses local 192.0.2.10 remote 198.51.100.2"},
		}},
		{"key change modifies in place", []applyStep{
			{name: "create", vtis: []VTI{vti1}, want: lines(fwd, created1)},
			{name: "key", vtis: []VTI{edit(vti1, func(v *VTI) { v.Key = 13 })},
				want: []string{"modify vti1 local 192.0.2.10 remote 198.51.100.2 key 13"}},
			{name: "remote", vtis: []VTI{edit(vti1, func(v *VTI) { v.Key = 13; v.Remote = netip.MustParseAddr("198.51.100.3") })},
				want: []string{"modify vti1 local 192.0.2.10 remote 198.51.100.3 key 13"}},
		}},
		{"address change adds before it removes", []applyStep{
			{name: "create", vtis: []VTI{vti1}, want: lines(fwd, created1)},
			{name: "readdress", vtis: []VTI{edit(vti1, func(v *VTI) { v.Address = netip.MustParsePrefix("169.254.10.9/31") })},
				want: []string{"addr replace vti1 169.254.10.9/31", "addr del vti1 169.254.10.1/30"}},
			{name: "stray address", setup: func(f *Fake) {
				f.links["vti1"].Addrs = append(f.links["vti1"].Addrs, netip.MustParsePrefix("10.1.1.1/24"))
			}, vtis: []VTI{edit(vti1, func(v *VTI) { v.Address = netip.MustParsePrefix("169.254.10.9/31") })},
				want: []string{"addr del vti1 10.1.1.1/24"}},
		}},
		{"sysctl drift is repaired", []applyStep{
			{name: "create", vtis: []VTI{vti1}, want: lines(fwd, created1)},
			{name: "drift", setup: func(f *Fake) {
				f.PutSysctl(DevSysctl("vti1", SysctlRPFilter), "1")
				f.PutSysctl(SysctlForward, "0")
			}, vtis: []VTI{vti1}, want: []string{
				"sysctl net.ipv4.ip_forward=1",
				"sysctl net.ipv4.conf.vti1.rp_filter=2",
			}},
		}},
		{"routes", []applyStep{
			{name: "add", routes: []Route{route1, route2}, want: []string{
				"sysctl net.ipv4.ip_forward=1",
				"route replace 198.51.100.2/32 via 192.0.2.1",
				"route replace 203.0.113.2/32 via 192.0.2.1",
			}},
			{name: "new gateway", setup: func(f *Fake) {
				f.links["eth0"].Addrs = append(f.links["eth0"].Addrs, netip.MustParsePrefix("192.0.2.200/24"))
			}, routes: []Route{route1, {Dst: route2.Dst, Gateway: netip.MustParseAddr("192.0.2.254")}},
				want: []string{"route replace 203.0.113.2/32 via 192.0.2.254"}},
			{name: "remove", routes: []Route{route1}, want: []string{"route del 203.0.113.2/32 via 192.0.2.254"}},
			{name: "someone else took over the destination", setup: func(f *Fake) {
				f.PutRoute(Route{Dst: route1.Dst, Gateway: netip.MustParseAddr("192.0.2.77"), Dev: "eth0"})
			}, routes: nil, want: nil, check: func(t *testing.T, f *Fake) {
				if rs, _ := f.Routes(); !slices.ContainsFunc(rs, func(r Route) bool { return r.Dst == route1.Dst }) {
					t.Errorf("foreign route to %s deleted", route1.Dst)
				}
			}},
		}},
		{"unreachable gateway fails only that route", []applyStep{
			{name: "add", vtis: []VTI{vti1}, routes: []Route{{Dst: route1.Dst, Gateway: netip.MustParseAddr("10.0.0.1")}},
				want:    lines(fwd, created1),
				wantErr: "route replace 198.51.100.2/32 via 10.0.0.1: network is unreachable"},
		}},
		{"renamed tunnel frees its pair first", []applyStep{
			{name: "create", vtis: []VTI{vti1}, want: lines(fwd, created1)},
			{name: "rename", vtis: []VTI{edit(vti1, func(v *VTI) { v.Name = "vtiA" })}, want: []string{
				"delete vti1",
				"create vtiA local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400",
				"addr replace vtiA 169.254.10.1/30",
				"sysctl net.ipv4.conf.vtiA.disable_policy=1",
				"sysctl net.ipv4.conf.vtiA.rp_filter=2",
				"set vtiA up",
			}},
		}},
		{"tunnels swapping pairs", []applyStep{
			{name: "create", vtis: []VTI{vti1, vti2}, want: lines(fwd, created1, created2)},
			{name: "swap", vtis: []VTI{
				edit(vti1, func(v *VTI) { v.Remote = peer2 }),
				edit(vti2, func(v *VTI) { v.Remote = peer1 }),
			}, want: []string{
				"delete vti1",
				"modify vti2 local 192.0.2.10 remote 198.51.100.2 key 13",
				"create vti1 local 192.0.2.10 remote 203.0.113.2 key 12 mtu 1400",
				"addr replace vti1 169.254.10.1/30",
				"sysctl net.ipv4.conf.vti1.disable_policy=1",
				"sysctl net.ipv4.conf.vti1.rp_filter=2",
				"set vti1 up",
			}},
		}},
		{"owned name now carried by a foreign device", []applyStep{
			{name: "create", vtis: []VTI{vti1}, want: lines(fwd, created1)},
			{name: "replaced behind our back", setup: func(f *Fake) {
				delete(f.links, "vti1")
				f.PutLink(Link{Name: "vti1", Kind: "dummy"})
			}, vtis: nil, want: nil},
		}},
		{"invalid desired state writes nothing", []applyStep{
			{name: "bad", vtis: []VTI{edit(vti1, func(v *VTI) { v.Local = netip.Addr{} }), edit(vti2, func(v *VTI) { v.Remote = peer1 })},
				wantErr: "vti vti1: local address is missing"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTestFake()
			var owned []string
			var ownedRoutes []Route
			for _, s := range tt.steps {
				if s.setup != nil {
					s.setup(f)
				}
				d := Desired{VTIs: s.vtis, Routes: s.routes, Owned: owned, OwnedRoutes: ownedRoutes}
				if s.owned != nil {
					d.Owned = s.owned
				}
				f.ResetTranscript()
				ops, err := Converge(f, d)
				if s.wantErr == "" && err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if s.wantErr != "" && (err == nil || !strings.Contains(err.Error(), s.wantErr)) {
					t.Fatalf("%s: error %v, want one containing %q", s.name, err, s.wantErr)
				}
				got := f.Transcript()
				if diff := cmp.Diff(s.want, got); diff != "" {
					t.Errorf("%s: transcript (-want +got):\n%s", s.name, diff)
				}
				if diff := cmp.Diff(got, opLines(ops)); diff != "" {
					t.Errorf("%s: returned ops differ from the writes (-writes +ops):\n%s", s.name, diff)
				}
				if s.check != nil {
					s.check(t, f)
				}
				if err == nil {
					owned, ownedRoutes = nil, slices.Clone(d.Routes)
					for _, v := range d.VTIs {
						owned = append(owned, v.Name)
					}
				}
			}
		})
	}
}

func TestConvergeClashIsErrClash(t *testing.T) {
	f := newTestFake()
	f.PutLink(Link{Name: "vti1", Kind: "veth"})
	_, err := Converge(f, Desired{VTIs: []VTI{vti1}})
	if !errors.Is(err, ErrClash) {
		t.Fatalf("got %v, want ErrClash", err)
	}
	if got := f.Transcript(); len(got) != 0 {
		t.Errorf("wrote %q after a clash", got)
	}
}

// A device op that fails skips the rest of that device, not the others.
func TestApplySkipsOnlyTheFailedDevice(t *testing.T) {
	f := newTestFake()
	f.FailOn("create vti1", errors.New("boom"))
	ops, err := Converge(f, Desired{VTIs: []VTI{vti1, vti2}, Routes: []Route{route1}})
	if err == nil || !strings.Contains(err.Error(), "create vti1 local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400: boom") {
		t.Fatalf("error %v does not name the failed op", err)
	}
	want := lines(fwd, created2, []string{"route replace 198.51.100.2/32 via 192.0.2.1"})
	if diff := cmp.Diff(want, f.Transcript()); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, opLines(ops)); diff != "" {
		t.Errorf("ops (-want +got):\n%s", diff)
	}
}

// Plan is pure: the same state and desire give the same ops, and it never
// calls the kernel (it has none to call).
func TestPlanDryRun(t *testing.T) {
	f := newTestFake()
	d := Desired{VTIs: []VTI{vti2, vti1}, Routes: []Route{route2, route1}}
	st, err := Read(f, d)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := Plan(st, d)
	if err != nil {
		t.Fatal(err)
	}
	want := lines(fwd, created1, created2, []string{
		"route replace 198.51.100.2/32 via 192.0.2.1",
		"route replace 203.0.113.2/32 via 192.0.2.1",
	})
	if diff := cmp.Diff(want, opLines(ops)); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if got := f.Transcript(); len(got) != 0 {
		t.Errorf("planning wrote %q", got)
	}
}

func fakeLink(f *Fake, name string) (Link, bool) {
	links, _ := f.Links()
	i := slices.IndexFunc(links, func(l Link) bool { return l.Name == name })
	if i < 0 {
		return Link{}, false
	}
	return links[i], true
}
