package awsimport

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// TestParseSample checks every value Parse reads from the sample, with the
// line it came from.
func TestParseSample(t *testing.T) {
	cfg, err := Parse(sampleName, []byte(readSample(t)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(cfg.Tunnels) != 2 {
		t.Fatalf("got %d tunnels, want 2", len(cfg.Tunnels))
	}
	t1, t2 := cfg.Tunnels[0], cfg.Tunnels[1]
	if t2.BGP == nil || t1.BGP == nil {
		t.Fatal("sample tunnels parsed without BGP")
	}
	tests := []struct {
		what     string
		value    any
		line     int
		want     any
		wantLine int
	}{
		{"VPN connection ID", cfg.VPNConnectionID.Value, cfg.VPNConnectionID.Line, "vpn-05e0fe17", 11},
		{"VGW ID", cfg.VPNGatewayID.Value, cfg.VPNGatewayID.Line, "vgw-4de33a53", 12},
		{"CGW ID", cfg.CustomerGatewayID.Value, cfg.CustomerGatewayID.Line, "cgw-54c8114a", 13},
		{"t1 number", t1.Number, t1.Line, 1, 19},
		{"t1 auth method", t1.AuthMethod.Value, t1.AuthMethod.Line, "Pre-Shared Key", 32},
		{"t1 PSK", t1.PSK.Value, t1.PSK.Line, "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", 33},
		{"t1 IKE auth", t1.IKE.Auth.Value, t1.IKE.Auth.Line, "sha1", 34},
		{"t1 IKE encryption", t1.IKE.Encryption.Value, t1.IKE.Encryption.Line, "aes-128-cbc", 35},
		{"t1 IKE lifetime", t1.IKE.Lifetime.Value, t1.IKE.Lifetime.Line, int64(28800), 36},
		{"t1 IKE mode", t1.IKE.Mode.Value, t1.IKE.Mode.Line, "main", 37},
		{"t1 IKE DH group", t1.IKE.DHGroup.Value, t1.IKE.DHGroup.Line, int64(2), 38},
		{"t1 ESP auth", t1.ESP.Auth.Value, t1.ESP.Auth.Line, "hmac-sha1-96", 46},
		{"t1 ESP encryption", t1.ESP.Encryption.Value, t1.ESP.Encryption.Line, "aes-128-cbc", 47},
		{"t1 ESP lifetime", t1.ESP.Lifetime.Value, t1.ESP.Lifetime.Line, int64(3600), 48},
		{"t1 ESP mode", t1.ESP.Mode.Value, t1.ESP.Mode.Line, "tunnel", 49},
		{"t1 ESP DH group", t1.ESP.DHGroup.Value, t1.ESP.DHGroup.Line, int64(2), 50},
		{"t1 DPD interval", t1.DPDInterval.Value, t1.DPDInterval.Line, int64(10), 54},
		{"t1 DPD retries", t1.DPDRetries.Value, t1.DPDRetries.Line, int64(3), 55},
		{"t1 TCP MSS", t1.TCPMSS.Value, t1.TCPMSS.Line, int64(1387), 62},
		{"t1 CGW outside raw", t1.CGWOutside.Raw, t1.CGWOutside.Line, "63.2xx.2xx.38", 87},
		{"t1 CGW outside valid", t1.CGWOutside.Value.IsValid(), t1.CGWOutside.Line, false, 87},
		{"t1 VGW outside", t1.VGWOutside.Value, t1.VGWOutside.Line, netip.MustParseAddr("52.25.31.90"), 88},
		{"t1 CGW inside", t1.CGWInside.Value, t1.CGWInside.Line, netip.MustParsePrefix("169.254.13.22/30"), 91},
		{"t1 VGW inside", t1.VGWInside.Value, t1.VGWInside.Line, netip.MustParsePrefix("169.254.13.21/30"), 92},
		{"t1 MTU", t1.MTU.Value, t1.MTU.Line, int64(1436), 95},
		{"t1 BGP", t1.BGP.Line, t1.BGP.Line, 97, 97},
		{"t1 CGW ASN", t1.BGP.CGWASN.Value, t1.BGP.CGWASN.Line, int64(65003), 105},
		{"t1 VGW ASN", t1.BGP.VGWASN.Value, t1.BGP.VGWASN.Line, int64(7224), 106},
		{"t1 neighbor", t1.BGP.NeighborIP.Value, t1.BGP.NeighborIP.Line, netip.MustParseAddr("169.254.13.21"), 107},
		{"t1 hold time", t1.BGP.HoldTime.Value, t1.BGP.HoldTime.Line, int64(30), 108},
		{"t2 number", t2.Number, t2.Line, 2, 115},
		{"t2 PSK keeps its trailing dot", t2.PSK.Value, t2.PSK.Line, "xxxxNG0kFNtuW0QdRD_ksToB1byJxxxx.", 129},
		{"t2 VGW outside", t2.VGWOutside.Value, t2.VGWOutside.Line, netip.MustParseAddr("52.39.14.106"), 184},
		{"t2 CGW inside", t2.CGWInside.Value, t2.CGWInside.Line, netip.MustParsePrefix("169.254.13.110/30"), 187},
		{"t2 VGW inside", t2.VGWInside.Value, t2.VGWInside.Line, netip.MustParsePrefix("169.254.13.109/30"), 188},
		{"t2 neighbor", t2.BGP.NeighborIP.Value, t2.BGP.NeighborIP.Line, netip.MustParseAddr("169.254.13.109"), 203},
		{"t2 static next hop unset", t2.StaticNextHop.Set(), t2.StaticNextHop.Line, false, 0},
	}
	for _, tc := range tests {
		if tc.value != tc.want || tc.line != tc.wantLine {
			t.Errorf("%s = %v at line %d, want %v at line %d", tc.what, tc.value, tc.line, tc.want, tc.wantLine)
		}
	}
}

// TestParseVariants proves the parser reads by labels and sections: every
// variation must yield the same tunnels as the sample, or the documented
// difference.
func TestParseVariants(t *testing.T) {
	sample := readSample(t)
	tests := []struct {
		name   string
		src    string
		bgp    bool
		nextHp bool
	}{
		{"sample", sample, true, false},
		{"tunnels swapped", swapTunnels(sample), true, false},
		{"CRLF, BOM and odd spacing", messy(sample), true, false},
		{"static, no #4", removeBGP(sample, 0), false, false},
		{"static with next hop", staticNextHop(sample), false, true},
		{"static, messy and swapped", messy(swapTunnels(staticNextHop(sample))), false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse(sampleName, []byte(tc.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got []string
			for _, tun := range cfg.Tunnels {
				got = append(got, fmt.Sprintf("#%d psk=%s vgw=%s in=%s/%s mtu=%d ike=%s/%s/%d/dh%d esp=%s/%s/%d/dh%d bgp=%v hop=%v",
					tun.Number, tun.PSK.Value, tun.VGWOutside.Value, tun.CGWInside.Value, tun.VGWInside.Value, tun.MTU.Value,
					tun.IKE.Auth.Value, tun.IKE.Encryption.Value, tun.IKE.Lifetime.Value, tun.IKE.DHGroup.Value,
					tun.ESP.Auth.Value, tun.ESP.Encryption.Value, tun.ESP.Lifetime.Value, tun.ESP.DHGroup.Value,
					tun.BGP != nil, tun.StaticNextHop.Value))
			}
			bgp := fmt.Sprint(tc.bgp)
			hop1, hop2 := "invalid IP", "invalid IP"
			if tc.nextHp {
				hop1, hop2 = "169.254.13.21", "169.254.13.109"
			}
			want := []string{
				"#1 psk=xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx vgw=52.25.31.90 in=169.254.13.22/30/169.254.13.21/30 mtu=1436 ike=sha1/aes-128-cbc/28800/dh2 esp=hmac-sha1-96/aes-128-cbc/3600/dh2 bgp=" + bgp + " hop=" + hop1,
				"#2 psk=xxxxNG0kFNtuW0QdRD_ksToB1byJxxxx. vgw=52.39.14.106 in=169.254.13.110/30/169.254.13.109/30 mtu=1436 ike=sha1/aes-128-cbc/28800/dh2 esp=hmac-sha1-96/aes-128-cbc/3600/dh2 bgp=" + bgp + " hop=" + hop2,
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("tunnels:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if cfg.VPNConnectionID.Value != "vpn-05e0fe17" {
				t.Errorf("VPN connection ID = %q", cfg.VPNConnectionID.Value)
			}
		})
	}
}

// TestParseErrors checks that each problem is reported at the line that
// holds it (or where the missing value belongs), and that all are listed.
func TestParseErrors(t *testing.T) {
	sample := readSample(t)
	type want struct {
		line int
		msg  string // substring of the message
	}
	tests := []struct {
		name string
		src  string
		want func(src string) []want
	}{
		{
			name: "missing PSK",
			src:  replaceNth(sample, "  - Pre-Shared Key            : xxxxNG0kFNtuW0QdRD_ksToB1byJxxxx.\n", "", 1),
			want: func(s string) []want {
				return []want{{lineOf(t, s, "#1: Internet Key Exchange", 2), "IPSec Tunnel #2 has no Pre-Shared Key (expected in section #1)"}}
			},
		},
		{
			name: "neighbor IP is not the VGW inside address",
			src:  replaceNth(sample, ": 169.254.13.109\n", ": 169.254.13.105\n", 1),
			want: func(s string) []want {
				return []want{{lineOf(t, s, "Neighbor IP Address", 2), "Neighbor IP Address 169.254.13.105 is not the Virtual Private Gateway inside address 169.254.13.109 (line 188)"}}
			},
		},
		{
			name: "inside addresses in different /30s",
			src:  replaceNth(sample, "169.254.13.21/30", "169.254.13.25/30", 1),
			want: func(s string) []want {
				return []want{
					{92, "Virtual Private Gateway inside address 169.254.13.25/30 is not in the same /30 as the Customer Gateway inside address 169.254.13.22/30 (line 91)"},
					{107, "Neighbor IP Address 169.254.13.21 is not the Virtual Private Gateway inside address 169.254.13.25"},
				}
			},
		},
		{
			name: "inside address is not a /30",
			src:  replaceNth(sample, "169.254.13.22/30", "169.254.13.22/29", 1),
			want: func(string) []want {
				return []want{{91, "Customer Gateway inside address 169.254.13.22/29 is not a /30"}}
			},
		},
		{
			name: "inside address is the network address",
			src:  replaceNth(sample, "169.254.13.22/30", "169.254.13.20/30", 1),
			want: func(string) []want {
				return []want{{91, "Customer Gateway inside address 169.254.13.20/30 is the network or broadcast address"}}
			},
		},
		{
			name: "same tunnel number twice",
			src:  replaceNth(sample, "IPSec Tunnel #2", "IPSec Tunnel #1", 1),
			want: func(string) []want { return []want{{115, "IPSec Tunnel #1 appears twice (first at line 19)"}} },
		},
		{
			name: "missing VGW outside and inside addresses",
			src: replaceNth(replaceNth(sample, "  - Virtual Private Gateway          : 52.25.31.90\n", "", 1),
				"  - Customer Gateway                 : 169.254.13.110/30\n", "", 1),
			want: func(s string) []want {
				return []want{
					{lineOf(t, s, "#3: Tunnel Interface", 1), "IPSec Tunnel #1 has no Virtual Private Gateway outside address"},
					{lineOf(t, s, "#3: Tunnel Interface", 2), "IPSec Tunnel #2 has no Customer Gateway inside address"},
				}
			},
		},
		{
			name: "malformed values are reported once, not also as missing",
			src:  replaceNth(replaceNth(sample, "1436 bytes", "14x6 bytes", 1), "52.39.14.106", "52.39.14", 1),
			want: func(string) []want {
				return []want{
					{95, `Tunnel interface MTU "14x6 bytes" is not a number of bytes`},
					{184, `Virtual Private Gateway outside address "52.39.14" is not an IP address`},
				}
			},
		},
		{
			name: "only one tunnel has BGP",
			src:  removeBGP(sample, 2),
			want: func(string) []want {
				return []want{{115, "IPSec Tunnel #2 has no BGP settings but IPSec Tunnel #1 has (line 97)"}}
			},
		},
		{
			name: "BGP section without neighbor",
			src:  replaceNth(sample, "  - Neighbor IP Address                      : 169.254.13.21\n", "", 1),
			want: func(string) []want {
				return []want{{97, "IPSec Tunnel #1 has no Neighbor IP Address (expected in section #4)"}}
			},
		},
		{
			name: "ASNs differ between tunnels",
			src:  replaceNth(sample, ": 65003", ": 65004", 2),
			want: func(string) []want { return []want{{201, "Customer Gateway ASN 65004 differs from 65003 (line 105)"}} },
		},
		{
			name: "customer gateway outside addresses differ",
			src:  replaceNth(replaceNth(sample, "63.2xx.2xx.38", "63.1.2.38", 1), "63.2xx.2xx.38", "63.1.2.39", 1),
			want: func(string) []want {
				return []want{{183, "Customer Gateway outside address 63.1.2.39 differs from 63.1.2.38 (line 87)"}}
			},
		},
		{
			name: "PSK with a space",
			src:  replaceNth(sample, "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", "xxxx1DEJB2wt Xzc4jYRGvADIhVLxxxxx", 1),
			want: func(string) []want { return []want{{33, "Pre-Shared Key contains white space"}} },
		},
		{
			name: "label given twice",
			src:  replaceNth(sample, "  - DPD Retries               : 3\n", "  - DPD Retries : 3\n  - DPD Retries : 5\n", 1),
			want: func(string) []want {
				return []want{{56, "DPD Retries appears twice in IPSec Tunnel #1 (first at line 55)"}}
			},
		},
		{
			name: "same VGW outside address twice",
			src:  replaceNth(sample, "52.39.14.106", "52.25.31.90", 1),
			want: func(string) []want {
				return []want{{184, "Virtual Private Gateway outside address 52.25.31.90 is also used by IPSec Tunnel #1 (line 88)"}}
			},
		},
		{
			name: "inside addresses of two tunnels overlap",
			src:  strings.ReplaceAll(strings.ReplaceAll(sample, "169.254.13.110/30", "169.254.13.22/30"), "169.254.13.109", "169.254.13.21"),
			want: func(string) []want {
				return []want{{187, "Customer Gateway inside address 169.254.13.22/30 overlaps 169.254.13.22/30 of IPSec Tunnel #1 (line 91)"}}
			},
		},
		{
			name: "not an AWS configuration",
			src:  "hello: world\n",
			want: func(string) []want { return []want{{0, `no "IPSec Tunnel #N" sections found`}} },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse(sampleName, []byte(tc.src))
			if cfg == nil {
				t.Fatal("Parse returned no partial config")
			}
			got := Errors(err)
			want := tc.want(tc.src)
			if len(got) != len(want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(got), len(want), err)
			}
			for i, w := range want {
				if got[i].Line != w.line || !strings.Contains(got[i].Msg, w.msg) || got[i].Name != sampleName {
					t.Errorf("error %d = %q, want line %d containing %q", i, got[i].Error(), w.line, w.msg)
				}
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Name: "aws.txt", Line: 33, Msg: "Pre-Shared Key is empty"}, "aws.txt:33: Pre-Shared Key is empty"},
		{&Error{Name: "aws.txt", Msg: "no tunnels"}, "aws.txt: no tunnels"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	_, err := Parse("x.txt", []byte("IPSec Tunnel #1\n#1: IKE\n  - Pre-Shared Key : \n"))
	// Problems come in line order, one per line of the joined message.
	want := "x.txt:1: IPSec Tunnel #1 has no Virtual Private Gateway outside address (expected in section #3)\n" +
		"x.txt:1: IPSec Tunnel #1 has no Customer Gateway inside address (expected in section #3)\n" +
		"x.txt:1: IPSec Tunnel #1 has no Virtual Private Gateway inside address (expected in section #3)\n" +
		"x.txt:3: Pre-Shared Key is empty"
	if err == nil || err.Error() != want {
		t.Errorf("joined error = %q, want %q", err, want)
	}
}
