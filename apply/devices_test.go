package apply

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/compile"
)

func testHost() *compile.Host {
	a := netip.MustParseAddr
	return &compile.Host{
		Name: "gw1", Outside: a("192.0.2.1"), Gateway: a("192.0.2.254"),
		Tunnels: []*compile.Tunnel{
			{Name: "t1", Interface: "vti9", Enabled: true, Mark: 20, MTU: 1400, Local: a("192.0.2.1"), Remote: a("203.0.113.1"),
				Inside: netip.MustParsePrefix("169.254.20.1/30"), RemoteInside: a("169.254.20.2")},
			{Name: "t2", Interface: "vti2", Enabled: false, Mark: 30, MTU: 1380, Local: a("192.0.2.1"), Remote: a("203.0.113.1"),
				Inside: netip.MustParsePrefix("169.254.30.1/30"), RemoteInside: a("169.254.30.2")},
		},
		Routes: []compile.Route{{Dst: netip.MustParsePrefix("203.0.113.1/32"), Gateway: a("192.0.2.254")}},
	}
}

// The devices come from the plan: one VTI per tunnel, sorted by device
// name, a disabled tunnel's down, and compile's routes as they are.
func TestDesiredDevices(t *testing.T) {
	d, err := desiredDevices(testHost())
	if err != nil {
		t.Fatal(err)
	}
	want := netdev.Desired{
		VTIs: []netdev.VTI{
			{Name: "vti2", Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("203.0.113.1"), Key: 30,
				MTU: 1380, Address: netip.MustParsePrefix("169.254.30.1/30"), Up: false},
			{Name: "vti9", Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("203.0.113.1"), Key: 20,
				MTU: 1400, Address: netip.MustParsePrefix("169.254.20.1/30"), Up: true},
		},
		Routes: []netdev.Route{{Dst: netip.MustParsePrefix("203.0.113.1/32"), Gateway: netip.MustParseAddr("192.0.2.254")}},
	}
	if diff := cmp.Diff(want, d, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("desired devices (-want +got):\n%s", diff)
	}
}

func TestDesiredDevicesRefusesIPv6(t *testing.T) {
	h := testHost()
	h.Tunnels[1].Remote = netip.MustParseAddr("2001:db8::1")
	if _, err := desiredDevices(h); err == nil || !strings.Contains(err.Error(), "tunnel t2 has IPv6 outer addresses") {
		t.Errorf("err = %v", err)
	}
	h = testHost()
	h.Routes[0] = compile.Route{Dst: netip.MustParsePrefix("2001:db8::1/128"), Gateway: netip.MustParseAddr("2001:db8::ff")}
	if _, err := desiredDevices(h); err == nil || !strings.Contains(err.Error(), "apply only manages IPv4 routes") {
		t.Errorf("err = %v", err)
	}
}
