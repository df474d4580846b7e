package awsimport

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/vtic/vtic/lang"
)

var routerOutside = netip.MustParseAddr("63.1.2.38")

func sampleOptions() Options {
	return Options{Router: "gw1", NamePrefix: "aws23", ExpectOutside: routerOutside}
}

var sampleKeys = []string{"xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx\n", "xxxxNG0kFNtuW0QdRD_ksToB1byJxxxx.\n"}

// TestGenerateGolden renders the sample and its variations; variations that
// differ only in layout must give byte-identical files.
func TestGenerateGolden(t *testing.T) {
	sample := readSample(t)
	tests := []struct {
		name     string
		src      string
		opts     Options
		golden   string
		keyPaths []string
	}{
		{"sample", sample, sampleOptions(), "aws23.golden.hcl",
			[]string{"secrets/aws23-t1.psk", "secrets/aws23-t2.psk"}},
		{"tunnels swapped", swapTunnels(sample), sampleOptions(), "aws23.golden.hcl",
			[]string{"secrets/aws23-t1.psk", "secrets/aws23-t2.psk"}},
		{"CRLF and odd spacing", messy(sample), sampleOptions(), "aws23.golden.hcl",
			[]string{"secrets/aws23-t1.psk", "secrets/aws23-t2.psk"}},
		{"static", removeBGP(sample, 0), sampleOptions(), "aws23-static.golden.hcl",
			[]string{"secrets/aws23-t1.psk", "secrets/aws23-t2.psk"}},
		{"static with next hop", staticNextHop(sample), sampleOptions(), "aws23-static.golden.hcl",
			[]string{"secrets/aws23-t1.psk", "secrets/aws23-t2.psk"}},
		{"default names, own interfaces and secrets dir", sample,
			Options{Router: "gw1", Interfaces: []string{"vti12", "vti13"}, SecretsDir: "keys/aws/", ExpectOutside: routerOutside},
			"vpn-05e0fe17.golden.hcl",
			[]string{"keys/aws/vpn-05e0fe17-t1.psk", "keys/aws/vpn-05e0fe17-t2.psk"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := Parse(sampleName, []byte(tc.src))
			if len(diags) > 0 {
				t.Fatalf("Parse:\n%s", describeDiags(diags))
			}
			res, diags := Generate(cfg, tc.opts)
			if diags.HasErrors() {
				t.Fatalf("Generate:\n%s", describeDiags(diags))
			}
			checkGolden(t, tc.golden, res.HCL)

			again, againDiags := Generate(cfg, tc.opts)
			if againDiags.HasErrors() || !bytes.Equal(again.HCL, res.HCL) {
				t.Errorf("second Generate differs:\n%s", describeDiags(againDiags))
			}
			if f := hclwrite.Format(res.HCL); !bytes.Equal(f, res.HCL) {
				t.Errorf("output is not hclwrite-formatted")
			}
			assertValidHCL(t, res.HCL)
			if len(res.Secrets) != len(tc.keyPaths) {
				t.Errorf("got %d key files, want %d", len(res.Secrets), len(tc.keyPaths))
			}
			for i, p := range tc.keyPaths {
				if got := string(res.Secrets[p]); got != sampleKeys[i] {
					t.Errorf("key file %s = %q, want %q", p, got, sampleKeys[i])
				}
				if !bytes.Contains(res.HCL, []byte(`file("`+p+`")`)) {
					t.Errorf("HCL does not refer to %s", p)
				}
			}
			for _, k := range sampleKeys {
				if bytes.Contains(res.HCL, []byte(strings.TrimSpace(k))) {
					t.Errorf("HCL holds a key inline")
				}
			}
			// The redacted outside address cannot be checked: say so,
			// once per tunnel, at the address.
			for _, d := range diags {
				if d.Severity != hcl.DiagWarning {
					t.Errorf("diagnostic %q is not a warning", d.Summary)
				}
			}
			const detail = `The Customer Gateway outside address "63.2xx.2xx.38" is not an IP address (redacted?), so it could not be checked against the router's outside address 63.1.2.38.`
			checkDiags(t, sampleName, tc.src, diags, []wantDiag{
				{lineOf(t, tc.src, "63.2xx.2xx.38", 1), "63.2xx.2xx.38", "Customer gateway address not checked", detail},
				{lineOf(t, tc.src, "63.2xx.2xx.38", 2), "63.2xx.2xx.38", "Customer gateway address not checked", detail},
			})
		})
	}
}

func assertValidHCL(t testing.TB, src []byte) {
	t.Helper()
	if _, diags := hclsyntax.ParseConfig(src, "gen.hcl", hcl.InitialPos); diags.HasErrors() {
		t.Errorf("generated HCL does not parse: %v\n%s", diags, src)
	}
}

// TestGenerateErrors covers what Generate checks against the caller's
// knowledge of the router, and bad options.
func TestGenerateErrors(t *testing.T) {
	sample := readSample(t)
	withCGW := strings.ReplaceAll(sample, "63.2xx.2xx.38", "63.1.2.38")
	tests := []struct {
		name string
		src  string
		opts func(*Options)
		want []wantDiag // nil: success
	}{
		{"redacted CGW address needs the router's address", sample, func(o *Options) { o.ExpectOutside = netip.Addr{} },
			[]wantDiag{
				{87, "63.2xx.2xx.38", "Redacted customer gateway address", `The Customer Gateway outside address "63.2xx.2xx.38" is not an IP address (redacted?). Give the router an outside address`},
				{183, "63.2xx.2xx.38", "Redacted customer gateway address", `The Customer Gateway outside address "63.2xx.2xx.38" is not an IP address`},
			}},
		{"valid CGW address alone is enough", withCGW, func(o *Options) { o.ExpectOutside = netip.Addr{} }, nil},
		{"valid CGW address matches", withCGW, func(*Options) {}, nil},
		{"IPv4-mapped router address matches", withCGW, func(o *Options) { o.ExpectOutside = netip.MustParseAddr("::ffff:63.1.2.38") }, nil},
		{"CGW address is another router's", withCGW, func(o *Options) { o.ExpectOutside = netip.MustParseAddr("63.9.9.9") },
			[]wantDiag{
				{87, "63.1.2.38", "Customer gateway is another router", "The Customer Gateway outside address 63.1.2.38 is not the router's outside address 63.9.9.9."},
				{183, "63.1.2.38", "Customer gateway is another router", "The Customer Gateway outside address 63.1.2.38 is not the router's outside address 63.9.9.9."},
			}},
		{"CGW ASN is not the router's", sample, func(o *Options) { o.ExpectASN = 65010 },
			[]wantDiag{
				{87, "63.2xx.2xx.38", "Customer gateway address not checked", "could not be checked"},
				{105, "65003", "AS number is not the router's", "The Customer Gateway ASN 65003 is not the router's ASN 65010."},
				{183, "63.2xx.2xx.38", "Customer gateway address not checked", "could not be checked"},
				{201, "65003", "AS number is not the router's", "The Customer Gateway ASN 65003 is not the router's ASN 65010."},
			}},
		{"CGW ASN matches", sample, func(o *Options) { o.ExpectASN = 65003 }, nil},
		{"ASN not checked for static VPNs", removeBGP(sample, 0), func(o *Options) { o.ExpectASN = 65010 }, nil},
		{"no router", sample, func(o *Options) { o.Router = "" }, []wantDiag{{0, "", "Missing router name", "Name the router block"}}},
		{"unsafe name prefix", sample, func(o *Options) { o.NamePrefix = "AWS 23" }, []wantDiag{{0, "", "Invalid name prefix", `The name prefix "AWS 23" cannot start`}}},
		{"name prefix with a slash", sample, func(o *Options) { o.NamePrefix = "a/b" }, []wantDiag{{0, "", "Invalid name prefix", `The name prefix "a/b" cannot start`}}},
		{"no VPN ID and no prefix", replaceNth(sample, "Your VPN Connection ID", "Your VPN Thing", 1), func(o *Options) { o.NamePrefix = "" },
			[]wantDiag{{0, "", "Missing VPN connection ID", sampleName + " has no VPN Connection ID to name the peers and tunnels after."}}},
		{"VPN ID gives no name", replaceNth(sample, "vpn-05e0fe17", "***", 1), func(o *Options) { o.NamePrefix = "" },
			[]wantDiag{{11, "***", "Unusable VPN connection ID", `The VPN Connection ID "***" gives no usable peer and tunnel names.`}}},
		{"too few interfaces", sample, func(o *Options) { o.Interfaces = []string{"vti1"} },
			[]wantDiag{{0, "", "Wrong number of interfaces", "1 interface names are given for 2 tunnels."}}},
		{"duplicate interface", sample, func(o *Options) { o.Interfaces = []string{"vti1", "vti1"} },
			[]wantDiag{{0, "", "Duplicate interface", `The interface "vti1" is given twice.`}}},
		{"interface name too long", sample, func(o *Options) { o.Interfaces = []string{"vti1", "vti-much-too-long"} },
			[]wantDiag{{0, "", "Invalid interface name", `"vti-much-too-long" cannot be a Linux interface name`}}},
		{"interface without a mark to derive", sample, func(o *Options) { o.Interfaces = []string{"vti1", "aws0"} },
			[]wantDiag{{0, "", "Cannot derive mark", `must then be named vtiN (N from 1); "aws0" is not.`}}},
		{"secrets outside the site", sample, func(o *Options) { o.SecretsDir = "../keys" },
			[]wantDiag{{0, "", "Secrets directory outside the site", `The secrets directory "../keys" must be relative`}}},
		{"absolute secrets dir", sample, func(o *Options) { o.SecretsDir = "/etc/keys" },
			[]wantDiag{{0, "", "Secrets directory outside the site", `The secrets directory "/etc/keys" must be relative`}}},
		{"name prefix with ..", sample, func(o *Options) { o.NamePrefix = "aws..23" }, []wantDiag{{0, "", "Invalid name prefix", `The name prefix "aws..23" cannot start`}}},
		{"name prefix too long for the tunnel names", withCGW, func(o *Options) { o.NamePrefix = strings.Repeat("a", 62) },
			[]wantDiag{
				{19, "IPSec Tunnel #1", "Invalid tunnel name", `The peer and tunnel name "` + strings.Repeat("a", 62) + `-t1" for IPSec Tunnel #1 cannot be a file name.`},
				{115, "IPSec Tunnel #2", "Invalid tunnel name", "for IPSec Tunnel #2 cannot be a file name."},
			}},
		{"router named like a tunnel, but in capitals", withCGW, func(o *Options) { o.Router = "AWS23-t2" },
			[]wantDiag{{115, "IPSec Tunnel #2", "Peer name taken by the router", `The peer for IPSec Tunnel #2 would be named "aws23-t2", which is the router's name`}}},
		{"router named like a tunnel", withCGW, func(o *Options) { o.Router = "aws23-t2" },
			[]wantDiag{{115, "IPSec Tunnel #2", "Peer name taken by the router", `would be named "aws23-t2"`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := Parse(sampleName, []byte(tc.src))
			if len(diags) > 0 {
				t.Fatalf("Parse:\n%s", describeDiags(diags))
			}
			opts := sampleOptions()
			tc.opts(&opts)
			res, diags := Generate(cfg, opts)
			if tc.want == nil {
				if diags.HasErrors() {
					t.Fatalf("Generate:\n%s", describeDiags(diags))
				}
				assertValidHCL(t, res.HCL)
				return
			}
			if res != nil && diags.HasErrors() {
				t.Errorf("Generate returned a result along with errors")
			}
			checkDiags(t, sampleName, tc.src, diags, tc.want)
		})
	}
}

// TestGenerateRefusesBrokenConfig feeds Generate a config that did not come
// from a clean Parse: it must refuse rather than render empty values.
func TestGenerateRefusesBrokenConfig(t *testing.T) {
	header := hcl.Range{Filename: "hand.txt", Start: hcl.Pos{Line: 4, Column: 1, Byte: 30}, End: hcl.Pos{Line: 4, Column: 16, Byte: 45}}
	cfg := &Config{Name: "hand.txt", Tunnels: []*Tunnel{{Number: 1, Range: header, BGP: &BGP{}}}}
	res, diags := Generate(cfg, Options{Router: "gw1", NamePrefix: "x", ExpectOutside: routerOutside})
	if res != nil {
		t.Error("Generate returned a result for a broken config")
	}
	var got []string
	for _, d := range diags {
		if d.Subject == nil || *d.Subject != header {
			t.Errorf("diagnostic %q is at %v, want the tunnel header %v", d.Summary, d.Subject, header)
		}
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := []string{
		"Missing pre-shared key: IPSec Tunnel #1 has no Pre-Shared Key. " + downloadAgain,
		"Missing outside address: IPSec Tunnel #1 has no Virtual Private Gateway outside address. " + downloadAgain,
		"Missing inside address: IPSec Tunnel #1 has no inside address on one of its ends. " + downloadAgain,
		"Missing AS number: IPSec Tunnel #1 has no Virtual Private Gateway ASN, though it has BGP settings. " + downloadAgain,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPrefixFromID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"vpn-05e0fe17", "vpn-05e0fe17"},
		{"VPN-05E0FE17", "vpn-05e0fe17"},
		{"  vpn 05/e0", "vpn-05-e0"},
		{"..vpn...x..", "vpn.-.x"},
		{"ünïcode", "n-code"},
		{"***", ""},
		{strings.Repeat("a", 100), strings.Repeat("a", lang.MaxNameLen-5)},
	}
	for _, tc := range tests {
		got := prefixFromID(tc.id)
		if got != tc.want {
			t.Errorf("prefixFromID(%q) = %q, want %q", tc.id, got, tc.want)
		}
		if got != "" && !lang.ValidName(got+"-t999") {
			t.Errorf("prefixFromID(%q) = %q, which makes names lang refuses", tc.id, got)
		}
	}
}
