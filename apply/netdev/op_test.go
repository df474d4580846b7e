package netdev

import (
	"net/netip"
	"testing"
)

func TestOpString(t *testing.T) {
	tests := []struct {
		op   Op
		want string
	}{
		{createOp(edit(vti1, func(v *VTI) { v.MTU = 0 })), "create vti1 local 192.0.2.10 remote 198.51.100.2 key 12"},
		{createOp(vti1), "create vti1 local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400"},
		{modifyOp(vti1), "modify vti1 local 192.0.2.10 remote 198.51.100.2 key 12"},
		{deleteOp("vti9"), "delete vti9"},
		{mtuOp("vti1", 1400), "set vti1 mtu 1400"},
		{upOp("vti1", true), "set vti1 up"},
		{upOp("vti1", false), "set vti1 down"},
		{addrOp("vti1", netip.MustParsePrefix("169.254.0.1/31")), "addr replace vti1 169.254.0.1/31"},
		{delAddrOp("vti1", netip.MustParsePrefix("10.0.0.1/8")), "addr del vti1 10.0.0.1/8"},
		{sysctlOp(SysctlForward, "1"), "sysctl net.ipv4.ip_forward=1"},
		// sysctl(8) writes dots inside a device name as slashes.
		{sysctlOp(DevSysctl("eth0.100", SysctlRPFilter), "2"), "sysctl net.ipv4.conf.eth0/100.rp_filter=2"},
		{routeOp(route1), "route replace 198.51.100.2/32 via 192.0.2.1"},
		{routeOp(Route{Dst: route1.Dst, Gateway: gw, Dev: "eth0"}), "route replace 198.51.100.2/32 via 192.0.2.1 dev eth0"},
		{delRouteOp(route2), "route del 203.0.113.2/32 via 192.0.2.1"},
	}
	for _, tt := range tests {
		if got := tt.op.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestOpSubject(t *testing.T) {
	if a, b := sysctlOp(DevSysctl("vti1", SysctlRPFilter), "2").subject(), createOp(vti1).subject(); a != b {
		t.Errorf("a device's sysctl (%q) and its creation (%q) must share a subject", a, b)
	}
	if a, b := sysctlOp(SysctlForward, "1").subject(), createOp(vti1).subject(); a == b {
		t.Errorf("global sysctl shares subject %q with a device", a)
	}
}
