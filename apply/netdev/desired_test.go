package netdev

import (
	"net/netip"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		d    Desired
		want []string // substrings of the joined error; nil = valid
	}{
		{"valid", Desired{VTIs: []VTI{vti1, vti2}, Routes: []Route{route1, route2}, Owned: []string{"vti9"}}, nil},
		{"mtu left to the kernel", Desired{VTIs: []VTI{edit(vti1, func(v *VTI) { v.MTU = 0 })}}, nil},
		{"every problem at once", Desired{VTIs: []VTI{
			edit(vti1, func(v *VTI) { v.Name = "a-very-long-device-name" }),
			edit(vti1, func(v *VTI) { v.Local = netip.MustParseAddr("2001:db8::1") }),
			edit(vti2, func(v *VTI) { v.Name = "vti1"; v.Remote = netip.IPv4Unspecified() }),
			edit(vti2, func(v *VTI) { v.Key = 0; v.MTU = 40; v.Address = netip.Prefix{} }),
		}}, []string{
			"vti a-very-long-device-name: name longer than 15 bytes",
			"vti vti1: local address 2001:db8::1 is not IPv4",
			"vti vti1: declared twice",
			"vti vti2: key must not be 0",
			"vti vti2: mtu 40 out of range",
			"vti vti2: address \"invalid Prefix\" is not an IPv4 prefix",
		}},
		{"one vti per pair", Desired{VTIs: []VTI{vti1, edit(vti2, func(v *VTI) { v.Remote = peer1 })}},
			[]string{"vti vti2: local 192.0.2.10 remote 198.51.100.2 already used by vti vti1"}},
		{"reserved and odd names", Desired{VTIs: []VTI{edit(vti1, func(v *VTI) { v.Name = "ip_vti0" })}, Owned: []string{"a/b"}},
			[]string{"reserved for the kernel's fallback device", "owned vti \"a/b\": not a valid device name"}},
		{"routes", Desired{Routes: []Route{
			{Dst: netip.MustParsePrefix("198.51.100.2/24"), Gateway: gw},
			{Dst: route1.Dst},
			route2, route2,
		}}, []string{
			"route 198.51.100.2/24: destination has host bits set",
			"route 198.51.100.2/32: gateway \"invalid IP\" is not an IPv4 address",
			"route 203.0.113.2/32: declared twice",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("valid, want errors")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}
