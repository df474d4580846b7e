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
	cfg, diags := Parse(sampleName, []byte(readSample(t)))
	if len(diags) > 0 {
		t.Fatalf("Parse:\n%s", describeDiags(diags))
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
		{"VPN connection ID", cfg.VPNConnectionID.Value, cfg.VPNConnectionID.Range.Start.Line, "vpn-05e0fe17", 11},
		{"VGW ID", cfg.VPNGatewayID.Value, cfg.VPNGatewayID.Range.Start.Line, "vgw-4de33a53", 12},
		{"CGW ID", cfg.CustomerGatewayID.Value, cfg.CustomerGatewayID.Range.Start.Line, "cgw-54c8114a", 13},
		{"t1 number", t1.Number, t1.Range.Start.Line, 1, 19},
		{"t1 auth method", t1.AuthMethod.Value, t1.AuthMethod.Range.Start.Line, "Pre-Shared Key", 32},
		{"t1 PSK", t1.PSK.Value, t1.PSK.Range.Start.Line, "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", 33},
		{"t1 IKE auth", t1.IKE.Auth.Value, t1.IKE.Auth.Range.Start.Line, "sha1", 34},
		{"t1 IKE encryption", t1.IKE.Encryption.Value, t1.IKE.Encryption.Range.Start.Line, "aes-128-cbc", 35},
		{"t1 IKE lifetime", t1.IKE.Lifetime.Value, t1.IKE.Lifetime.Range.Start.Line, int64(28800), 36},
		{"t1 IKE mode", t1.IKE.Mode.Value, t1.IKE.Mode.Range.Start.Line, "main", 37},
		{"t1 IKE DH group", t1.IKE.DHGroup.Value, t1.IKE.DHGroup.Range.Start.Line, int64(2), 38},
		{"t1 ESP auth", t1.ESP.Auth.Value, t1.ESP.Auth.Range.Start.Line, "hmac-sha1-96", 46},
		{"t1 ESP encryption", t1.ESP.Encryption.Value, t1.ESP.Encryption.Range.Start.Line, "aes-128-cbc", 47},
		{"t1 ESP lifetime", t1.ESP.Lifetime.Value, t1.ESP.Lifetime.Range.Start.Line, int64(3600), 48},
		{"t1 ESP mode", t1.ESP.Mode.Value, t1.ESP.Mode.Range.Start.Line, "tunnel", 49},
		{"t1 ESP DH group", t1.ESP.DHGroup.Value, t1.ESP.DHGroup.Range.Start.Line, int64(2), 50},
		{"t1 DPD interval", t1.DPDInterval.Value, t1.DPDInterval.Range.Start.Line, int64(10), 54},
		{"t1 DPD retries", t1.DPDRetries.Value, t1.DPDRetries.Range.Start.Line, int64(3), 55},
		{"t1 TCP MSS", t1.TCPMSS.Value, t1.TCPMSS.Range.Start.Line, int64(1387), 62},
		{"t1 CGW outside raw", t1.CGWOutside.Raw, t1.CGWOutside.Range.Start.Line, "63.2xx.2xx.38", 87},
		{"t1 CGW outside valid", t1.CGWOutside.Value.IsValid(), t1.CGWOutside.Range.Start.Line, false, 87},
		{"t1 VGW outside", t1.VGWOutside.Value, t1.VGWOutside.Range.Start.Line, netip.MustParseAddr("52.25.31.90"), 88},
		{"t1 CGW inside", t1.CGWInside.Value, t1.CGWInside.Range.Start.Line, netip.MustParsePrefix("169.254.13.22/30"), 91},
		{"t1 VGW inside", t1.VGWInside.Value, t1.VGWInside.Range.Start.Line, netip.MustParsePrefix("169.254.13.21/30"), 92},
		{"t1 MTU", t1.MTU.Value, t1.MTU.Range.Start.Line, int64(1436), 95},
		{"t1 BGP", t1.BGP.Range.Start.Line, t1.BGP.Range.Start.Line, 97, 97},
		{"t1 CGW ASN", t1.BGP.CGWASN.Value, t1.BGP.CGWASN.Range.Start.Line, int64(65003), 105},
		{"t1 VGW ASN", t1.BGP.VGWASN.Value, t1.BGP.VGWASN.Range.Start.Line, int64(7224), 106},
		{"t1 neighbor", t1.BGP.NeighborIP.Value, t1.BGP.NeighborIP.Range.Start.Line, netip.MustParseAddr("169.254.13.21"), 107},
		{"t1 hold time", t1.BGP.HoldTime.Value, t1.BGP.HoldTime.Range.Start.Line, int64(30), 108},
		{"t2 number", t2.Number, t2.Range.Start.Line, 2, 115},
		{"t2 PSK keeps its trailing dot", t2.PSK.Value, t2.PSK.Range.Start.Line, "xxxxNG0kFNtuW0QdRD_ksToB1byJxxxx.", 129},
		{"t2 VGW outside", t2.VGWOutside.Value, t2.VGWOutside.Range.Start.Line, netip.MustParseAddr("52.39.14.106"), 184},
		{"t2 CGW inside", t2.CGWInside.Value, t2.CGWInside.Range.Start.Line, netip.MustParsePrefix("169.254.13.110/30"), 187},
		{"t2 VGW inside", t2.VGWInside.Value, t2.VGWInside.Range.Start.Line, netip.MustParsePrefix("169.254.13.109/30"), 188},
		{"t2 neighbor", t2.BGP.NeighborIP.Value, t2.BGP.NeighborIP.Range.Start.Line, netip.MustParseAddr("169.254.13.109"), 203},
		{"t2 static next hop unset", t2.StaticNextHop.Set(), t2.StaticNextHop.Range.Start.Line, false, 0},
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
			cfg, diags := Parse(sampleName, []byte(tc.src))
			if len(diags) > 0 {
				t.Fatalf("Parse:\n%s", describeDiags(diags))
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

// TestParseErrors checks that each problem is reported with its summary, at
// the text that holds it (or the header of the section a missing value
// belongs in), and that all are listed in order.
func TestParseErrors(t *testing.T) {
	sample := readSample(t)
	const at = sampleName + ":"
	tests := []struct {
		name string
		src  string
		want func(src string) []wantDiag
	}{
		{
			name: "missing PSK",
			src:  replaceNth(sample, "  - Pre-Shared Key            : xxxxNG0kFNtuW0QdRD_ksToB1byJxxxx.\n", "", 1),
			want: func(s string) []wantDiag {
				return []wantDiag{{lineOf(t, s, "#1: Internet Key Exchange", 2), "#1: Internet Key Exchange Configuration", "Missing pre-shared key",
					"IPSec Tunnel #2 has no Pre-Shared Key; AWS writes it in section #1."}}
			},
		},
		{
			name: "empty PSK",
			src:  replaceNth(sample, "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", "", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{33, "Pre-Shared Key", "Empty value", "Pre-Shared Key has no value after the colon."}}
			},
		},
		{
			name: "neighbor IP is not the VGW inside address",
			src:  replaceNth(sample, ": 169.254.13.109\n", ": 169.254.13.105\n", 1),
			want: func(s string) []wantDiag {
				return []wantDiag{{lineOf(t, s, "Neighbor IP Address", 2), "169.254.13.105", "Neighbor is not the gateway's inside address",
					"The BGP neighbor 169.254.13.105 of IPSec Tunnel #2 must be the Virtual Private Gateway inside address 169.254.13.109 (at " + at + "188,"}}
			},
		},
		{
			name: "inside addresses in different /30s",
			src:  replaceNth(sample, "169.254.13.21/30", "169.254.13.25/30", 1),
			want: func(string) []wantDiag {
				return []wantDiag{
					{92, "169.254.13.25/30", "Inside addresses do not pair up",
						"The Virtual Private Gateway inside address 169.254.13.25/30 must be in the same /30 as the Customer Gateway inside address 169.254.13.22/30 (at " + at + "91,"},
					{107, "169.254.13.21", "Neighbor is not the gateway's inside address",
						"The BGP neighbor 169.254.13.21 of IPSec Tunnel #1 must be the Virtual Private Gateway inside address 169.254.13.25 "},
				}
			},
		},
		{
			name: "inside address is not a /30",
			src:  replaceNth(sample, "169.254.13.22/30", "169.254.13.22/29", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{91, "169.254.13.22/29", "Invalid inside prefix length", "The Customer Gateway inside address 169.254.13.22/29 must be in a /30"}}
			},
		},
		{
			name: "inside address is the network address",
			src:  replaceNth(sample, "169.254.13.22/30", "169.254.13.20/30", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{91, "169.254.13.20/30", "Unusable inside address",
					"The Customer Gateway inside address 169.254.13.20 is the network address of 169.254.13.20/30"}}
			},
		},
		{
			name: "inside addresses reserved by AWS",
			src:  strings.ReplaceAll(strings.ReplaceAll(sample, "169.254.13.22", "169.254.1.2"), "169.254.13.21", "169.254.1.1"),
			want: func(string) []wantDiag {
				return []wantDiag{{91, "169.254.1.2/30", "Inside address reserved by AWS", "AWS reserves 169.254.1.0/30"}}
			},
		},
		{
			name: "inside addresses outside AWS's range",
			src:  strings.ReplaceAll(strings.ReplaceAll(sample, "169.254.13.22", "10.0.0.2"), "169.254.13.21", "10.0.0.1"),
			want: func(string) []wantDiag {
				return []wantDiag{{91, "10.0.0.2/30", "Inside address outside AWS's range", "the Customer Gateway inside address 10.0.0.2/30 is not"}}
			},
		},
		{
			name: "MTU the site language refuses",
			src:  replaceNth(sample, "1436 bytes", "9100 bytes", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{95, "9100 bytes", "MTU out of range", "must be from 576 to 9000 for these inside addresses; 9100 is not"}}
			},
		},
		{
			name: "reserved AS number",
			src:  replaceNth(sample, ": 7224", ": 23456", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{106, "23456", "Reserved AS number", "Virtual Private Gateway ASN: AS 23456 is AS_TRANS"}}
			},
		},
		{
			name: "same tunnel number twice",
			src:  replaceNth(sample, "IPSec Tunnel #2", "IPSec Tunnel #1", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{115, "IPSec Tunnel #1", "Duplicate tunnel", "IPSec Tunnel #1 was already described at " + at + "19,1."}}
			},
		},
		{
			name: "missing VGW outside and inside addresses",
			src: replaceNth(replaceNth(sample, "  - Virtual Private Gateway          : 52.25.31.90\n", "", 1),
				"  - Customer Gateway                 : 169.254.13.110/30\n", "", 1),
			want: func(s string) []wantDiag {
				return []wantDiag{
					{lineOf(t, s, "#3: Tunnel Interface", 1), "#3: Tunnel Interface", "Missing outside address", "IPSec Tunnel #1 has no Virtual Private Gateway outside address"},
					{lineOf(t, s, "#3: Tunnel Interface", 2), "#3: Tunnel Interface", "Missing inside address", "IPSec Tunnel #2 has no Customer Gateway inside address"},
				}
			},
		},
		{
			name: "malformed values are reported once, not also as missing",
			src:  replaceNth(replaceNth(sample, "1436 bytes", "14x6 bytes", 1), "52.39.14.106", "52.39.14", 1),
			want: func(string) []wantDiag {
				return []wantDiag{
					{95, "14x6 bytes", "Invalid number", `Tunnel interface MTU "14x6 bytes" is not a number of bytes`},
					{184, "52.39.14", "Invalid IP address", `Virtual Private Gateway outside address "52.39.14" is not an IP address`},
				}
			},
		},
		{
			name: "only one tunnel has BGP",
			src:  removeBGP(sample, 2),
			want: func(string) []wantDiag {
				return []wantDiag{{115, "IPSec Tunnel #2", "Routing differs between tunnels",
					"IPSec Tunnel #2 has no BGP settings, but IPSec Tunnel #1 has (at " + at + "97,1)."}}
			},
		},
		{
			name: "BGP section without neighbor",
			src:  replaceNth(sample, "  - Neighbor IP Address                      : 169.254.13.21\n", "", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{97, "#4: Border Gateway Protocol", "Missing neighbor address", "IPSec Tunnel #1 has no Neighbor IP Address; AWS writes it in section #4."}}
			},
		},
		{
			name: "ASNs differ between tunnels",
			src:  replaceNth(sample, ": 65003", ": 65004", 2),
			want: func(string) []wantDiag {
				return []wantDiag{{201, "65004", "AS number differs between tunnels", "The Customer Gateway ASN 65004 differs from 65003 (at " + at + "105,"}}
			},
		},
		{
			name: "customer gateway outside addresses differ",
			src:  replaceNth(replaceNth(sample, "63.2xx.2xx.38", "63.1.2.38", 1), "63.2xx.2xx.38", "63.1.2.39", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{183, "63.1.2.39", "Customer gateway differs between tunnels",
					"The Customer Gateway outside address 63.1.2.39 differs from 63.1.2.38 (at " + at + "87,"}}
			},
		},
		{
			name: "PSK with a space",
			src:  replaceNth(sample, "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", "xxxx1DEJB2wt Xzc4jYRGvADIhVLxxxxx", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{33, "Pre-Shared Key", "Invalid pre-shared key for AWS",
					"The pre-shared key of IPSec Tunnel #1 has a character other than a letter, digit, '.' or '_' at offset 12."}}
			},
		},
		{
			name: "PSK too short",
			src:  replaceNth(sample, "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", "xxxx1DE", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{33, "Pre-Shared Key", "Pre-shared key too short", "The pre-shared key of IPSec Tunnel #1 is 7 bytes; AWS keys are 8 to 64."}}
			},
		},
		{
			name: "PSK starting with 0",
			src:  replaceNth(sample, "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", "0xxx1DEJB2wtXzc4jYRGvADIhVLxxxxx", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{33, "Pre-Shared Key", "Invalid pre-shared key for AWS", "The pre-shared key of IPSec Tunnel #1 starts with 0"}}
			},
		},
		{
			name: "label given twice",
			src:  replaceNth(sample, "  - DPD Retries               : 3\n", "  - DPD Retries : 3\n  - DPD Retries : 5\n", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{56, "DPD Retries", "Duplicate value", "DPD Retries is given twice in IPSec Tunnel #1; the first is at " + at + "55,5."}}
			},
		},
		{
			name: "same VGW outside address twice",
			src:  replaceNth(sample, "52.39.14.106", "52.25.31.90", 1),
			want: func(string) []wantDiag {
				return []wantDiag{{184, "52.25.31.90", "Duplicate outside address",
					"The Virtual Private Gateway outside address 52.25.31.90 is also that of IPSec Tunnel #1 (at " + at + "88,"}}
			},
		},
		{
			name: "inside addresses of two tunnels overlap",
			src:  strings.ReplaceAll(strings.ReplaceAll(sample, "169.254.13.110/30", "169.254.13.22/30"), "169.254.13.109", "169.254.13.21"),
			want: func(string) []wantDiag {
				return []wantDiag{{187, "169.254.13.22/30", "Overlapping inside addresses",
					"The Customer Gateway inside address 169.254.13.22/30 overlaps 169.254.13.22/30 of IPSec Tunnel #1 (at " + at + "91,"}}
			},
		},
		{
			name: "not an AWS configuration",
			src:  "hello: world\n",
			want: func(string) []wantDiag {
				return []wantDiag{{0, "", "No IPsec tunnels", sampleName + ` has no "IPSec Tunnel #N" sections`}}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := Parse(sampleName, []byte(tc.src))
			if cfg == nil || cfg.File == nil {
				t.Fatal("Parse returned no partial config")
			}
			checkDiags(t, sampleName, tc.src, diags, tc.want(tc.src))
			checkRedacted(t, tc.src, cfg.File.Bytes)
		})
	}
}

// checkRedacted proves the text kept for diagnostics has no key in it, and
// that only keys were changed, so every range still points at the same text.
func checkRedacted(t *testing.T, src string, kept []byte) {
	t.Helper()
	if len(kept) != len(src) {
		t.Fatalf("kept text is %d bytes, the source %d", len(kept), len(src))
	}
	for _, key := range []string{"1DEJB2wt", "NG0kFNtuW0QdRD"} {
		if strings.Contains(src, key) && strings.Contains(string(kept), key) {
			t.Errorf("the text kept for diagnostics holds the key %s", key)
		}
	}
	for i := range kept {
		if kept[i] != src[i] && kept[i] != '*' {
			t.Fatalf("kept text differs at byte %d by more than a redacted key", i)
		}
	}
}

// TestParseMessyPositions checks ranges in a text with a byte order mark,
// CRLF line ends and tabs: columns count characters after the mark, bytes
// count everything.
func TestParseMessyPositions(t *testing.T) {
	src := messy(replaceNth(readSample(t), "52.39.14.106", "52.39.14", 1))
	_, diags := Parse(sampleName, []byte(src))
	checkDiags(t, sampleName, src, diags, []wantDiag{
		{lineOf(t, src, "52.39.14 ", 1), "52.39.14", "Invalid IP address", `"52.39.14" is not an IP address`},
	})
}
