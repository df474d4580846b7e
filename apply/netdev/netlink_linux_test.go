package netdev

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"github.com/vtic/vtic/internal/testkit/require"
	"golang.org/x/sys/unix"
)

// newNamespace returns a fresh network namespace holding lo, and a veth
// pair standing in for foreign devices: eth0 (up, 192.0.2.10/24, the
// uplink) and eth1 (up, no address).
func newNamespace(t *testing.T) (netns.NsHandle, *netlink.Handle) {
	t.Helper()
	require.Root(t) // to create a network namespace
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	ns, nerr := netns.New() // also moves this thread into it
	if err := netns.Set(orig); err != nil {
		t.Fatalf("return to the test's namespace: %v", err) // thread stays locked and dies
	}
	orig.Close()
	runtime.UnlockOSThread()
	if nerr != nil {
		t.Fatalf("create namespace: %v", nerr)
	}
	t.Cleanup(func() { ns.Close() })

	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	attrs := netlink.NewLinkAttrs()
	attrs.Name = "eth0"
	if err := h.LinkAdd(&netlink.Veth{LinkAttrs: attrs, PeerName: "eth1"}); err != nil {
		t.Fatalf("create veth: %v", err)
	}
	for _, name := range []string{"lo", "eth0", "eth1"} {
		l, err := h.LinkByName(name)
		if err == nil {
			err = h.LinkSetUp(l)
		}
		if err != nil {
			t.Fatalf("set %s up: %v", name, err)
		}
	}
	eth0, _ := h.LinkByName("eth0")
	if err := h.AddrAdd(eth0, &netlink.Addr{IPNet: ipNetOf("192.0.2.10/24")}); err != nil {
		t.Fatal(err)
	}
	return ns, h
}

func ipNetOf(s string) *net.IPNet { return ipNet(netip.MustParsePrefix(s)) }

func newTestNetlink(t *testing.T) (*Netlink, *netlink.Handle) {
	ns, h := newNamespace(t)
	k, err := NewNetlinkAt(ns)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Close)
	return k, h
}

func TestNetlinkLinks(t *testing.T) {
	k, _ := newTestNetlink(t)
	links, err := k.Links()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(links, func(l Link) bool { return l.Name == "eth0" })
	if i < 0 {
		t.Fatalf("no eth0 in %+v", links)
	}
	want := Link{Name: "eth0", Kind: "veth", Up: true, MTU: 1500, Addrs: []netip.Prefix{netip.MustParsePrefix("192.0.2.10/24")}}
	if diff := cmp.Diff(want, links[i], cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("eth0 (-want +got):\n%s", diff)
	}
}

func TestNetlinkAddresses(t *testing.T) {
	k, _ := newTestNetlink(t)
	p := netip.MustParsePrefix("10.1.1.1/24")
	for range 2 { // the second replace finds it there
		if err := k.ReplaceAddr("eth1", p); err != nil {
			t.Fatal(err)
		}
	}
	if l := mustLink(t, k, "eth1"); !slices.Equal(l.Addrs, []netip.Prefix{p}) {
		t.Fatalf("eth1 addresses %v, want [%s]", l.Addrs, p)
	}
	for range 2 { // the second delete finds it gone
		if err := k.DelAddr("eth1", p); err != nil {
			t.Fatal(err)
		}
	}
	if l := mustLink(t, k, "eth1"); len(l.Addrs) != 0 {
		t.Fatalf("eth1 addresses %v after delete", l.Addrs)
	}
	if err := k.ReplaceAddr("nodev0", p); !errors.Is(err, unix.ENODEV) && !strings.Contains(err.Error(), "addr replace nodev0 10.1.1.1/24: ") {
		t.Errorf("address on a missing device: %v", err)
	}
}

// Sysctls must be read and written in the handle's namespace, not the
// test's.
func TestNetlinkSysctlStaysInNamespace(t *testing.T) {
	k, _ := newTestNetlink(t)
	key := DevSysctl("lo", SysctlRPFilter)
	hostBefore, err := os.ReadFile("/proc/sys/" + key)
	if err != nil {
		t.Fatal(err)
	}
	value := "2"
	if strings.TrimSpace(string(hostBefore)) == "2" {
		value = "1"
	}
	if err := k.SetSysctl(key, value); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Sysctl(key); err != nil || got != value {
		t.Fatalf("namespace %s = %q, %v; want %q", key, got, err, value)
	}
	if hostAfter, _ := os.ReadFile("/proc/sys/" + key); string(hostAfter) != string(hostBefore) {
		t.Fatalf("host %s changed from %q to %q", key, hostBefore, hostAfter)
	}
	if _, err := k.Sysctl(DevSysctl("nodev0", SysctlRPFilter)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing key: %v, want ErrNotExist", err)
	}
	if err := k.SetSysctl("net/ipv4/conf/eth0/no_such_knob", "1"); err == nil || !strings.Contains(err.Error(), "sysctl net.ipv4.conf.eth0.no_such_knob=1: ") {
		t.Errorf("missing key written: %v", err)
	}
	if err := k.SetSysctl("../etc/passwd", "x"); err == nil {
		t.Error("a key outside /proc/sys was accepted")
	}
}

func TestNetlinkConvergeRoutes(t *testing.T) {
	k, _ := newTestNetlink(t)
	hostForward, _ := os.ReadFile("/proc/sys/net/ipv4/ip_forward")
	d := Desired{Routes: []Route{route1}}

	snap, err := Capture(k, d)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := Converge(k, d)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(opLines(ops), "route replace 198.51.100.2/32 via 192.0.2.1") {
		t.Fatalf("ops %q lack the route", opLines(ops))
	}
	routes, err := k.Routes()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(routes, Route{Dst: route1.Dst, Gateway: gw, Dev: "eth0"}) {
		t.Fatalf("route missing from %+v", routes)
	}
	if v, _ := k.Sysctl(SysctlForward); v != "1" {
		t.Errorf("ip_forward in the namespace is %q", v)
	}
	if now, _ := os.ReadFile("/proc/sys/net/ipv4/ip_forward"); string(now) != string(hostForward) {
		t.Errorf("host ip_forward changed from %q to %q", hostForward, now)
	}

	if ops, err := Converge(k, d); err != nil || len(ops) != 0 {
		t.Fatalf("second converge: %q, %v; want nothing", opLines(ops), err)
	}

	ops, err = Converge(k, Desired{OwnedRoutes: []Route{route1}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"route del 198.51.100.2/32 via 192.0.2.1"}, opLines(ops)); diff != "" {
		t.Errorf("removal (-want +got):\n%s", diff)
	}
	if err := k.DelRoute(route1); err != nil {
		t.Errorf("deleting a route that is gone: %v", err)
	}

	// Put it back, then roll back to before the first apply.
	if _, err := Converge(k, d); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(k, snap); err != nil {
		t.Fatal(err)
	}
	routes, _ = k.Routes()
	if slices.ContainsFunc(routes, func(r Route) bool { return r.Dst == route1.Dst }) {
		t.Errorf("restore left the route: %+v", routes)
	}
	if v, _ := k.Sysctl(SysctlForward); v != snap.Sysctls[SysctlForward] {
		t.Errorf("restore left ip_forward at %q, snapshot had %q", v, snap.Sysctls[SysctlForward])
	}

	err = k.ReplaceRoute(Route{Dst: route2.Dst, Gateway: netip.MustParseAddr("10.0.0.1")})
	if !errors.Is(err, unix.ENETUNREACH) || !strings.Contains(err.Error(), "route replace 203.0.113.2/32 via 10.0.0.1: ") {
		t.Errorf("unreachable gateway: %v", err)
	}
}

func TestNetlinkForeignDevices(t *testing.T) {
	k, _ := newTestNetlink(t)
	before, err := k.Links()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Converge(k, Desired{VTIs: []VTI{edit(vti1, func(v *VTI) { v.Name = "eth1" })}, Owned: []string{"eth0"}})
	if !errors.Is(err, ErrClash) || !strings.Contains(err.Error(), "vti eth1: a veth device with that name exists") {
		t.Errorf("converge over a veth: %v", err)
	}
	for _, err := range []error{
		k.AddVTI(edit(vti1, func(v *VTI) { v.Name = "eth1" })),
		k.ModifyVTI(edit(vti1, func(v *VTI) { v.Name = "eth1" })),
		k.DeleteLink("eth1"),
	} {
		// The kernel answers EEXIST for the name before it looks for
		// vti support, so this holds with or without the module.
		if !errors.Is(err, ErrClash) || !strings.Contains(err.Error(), " eth1") {
			t.Errorf("write to a veth: %v, want a clash naming eth1", err)
		}
	}
	if err := k.DeleteLink("nodev0"); err != nil {
		t.Errorf("deleting a missing device: %v", err)
	}
	after, _ := k.Links()
	if diff := cmp.Diff(before, after, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("foreign devices changed (-before +after):\n%s", diff)
	}
}

// TestNetlinkVTI runs the self-test on this kernel. Where the kernel has no
// vti support (the development host), it proves the failure is clear and
// names the device; the lab VM proves the rest.
func TestNetlinkVTI(t *testing.T) {
	k, _ := newTestNetlink(t)
	err := SelfTest(k)
	if err == nil {
		t.Log("this kernel has vti: self-test passed")
		return
	}
	if !errors.Is(err, unix.EOPNOTSUPP) {
		t.Fatalf("self-test: %v", err)
	}
	want := "create vtic-selftest local 198.18.255.1 remote 198.18.255.2 key 32343 mtu 1400: operation not supported (the kernel has no vti support"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\nlacks %q", err, want)
	}
	t.Logf("no vti in this kernel, as expected here: %v", err)

	_, err = Converge(k, Desired{VTIs: []VTI{vti1}})
	if err == nil || !strings.Contains(err.Error(), "create vti1 ") {
		t.Errorf("converge without vti support: %v", err)
	}
	if _, ok := linkNamed(t, k, "vti1"); ok {
		t.Error("a failed create left vti1 behind")
	}
}

func mustLink(t *testing.T, k Kernel, name string) Link {
	t.Helper()
	l, ok := linkNamed(t, k, name)
	if !ok {
		t.Fatalf("no device %s", name)
	}
	return l
}

func linkNamed(t *testing.T, k Kernel, name string) (Link, bool) {
	t.Helper()
	links, err := k.Links()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(links, func(l Link) bool { return l.Name == name })
	if i < 0 {
		return Link{}, false
	}
	return links[i], true
}

// The library decides vti or vti6 from the length of Local, and a zero
// LinkAttrs would set the queue length to 0: check what AddVTI sends.
func TestVTIOf(t *testing.T) {
	l, err := vtiOf(vti1)
	if err != nil {
		t.Fatal(err)
	}
	if l.Type() != "vti" || len(l.Local) != 4 || len(l.Remote) != 4 {
		t.Errorf("type %s local %v (%d bytes) remote %v (%d bytes), want a vti with 4-byte addresses",
			l.Type(), l.Local, len(l.Local), l.Remote, len(l.Remote))
	}
	if l.IKey != 12 || l.OKey != 12 || l.Name != "vti1" || l.TxQLen != -1 {
		t.Errorf("got %+v", l)
	}
	for _, local := range []netip.Addr{{}, netip.IPv4Unspecified(), netip.MustParseAddr("::ffff:0:0"), netip.MustParseAddr("2001:db8::1")} {
		if _, err := vtiOf(edit(vti1, func(v *VTI) { v.Local = local })); !errors.Is(err, unix.EINVAL) {
			t.Errorf("local %v: %v, want EINVAL", local, err)
		}
	}
}
