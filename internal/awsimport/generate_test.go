package awsimport

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
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
			cfg, err := Parse(sampleName, []byte(tc.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			res, err := Generate(cfg, tc.opts)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			checkGolden(t, tc.golden, res.HCL)

			again, err := Generate(cfg, tc.opts)
			if err != nil || !bytes.Equal(again.HCL, res.HCL) {
				t.Errorf("second Generate differs (err %v)", err)
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
			// The redacted outside address cannot be checked: say so.
			if len(res.Warnings) != 2 || res.Warnings[0].Line != lineOf(t, tc.src, "63.2xx.2xx.38", 1) {
				t.Errorf("warnings = %v, want one per redacted address", res.Warnings)
			}
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
	type want struct {
		line int
		msg  string
	}
	tests := []struct {
		name string
		src  string
		opts func(*Options)
		want []want // nil: success
	}{
		{"redacted CGW address needs the router's address", sample, func(o *Options) { o.ExpectOutside = netip.Addr{} },
			[]want{
				{87, `Customer Gateway outside address "63.2xx.2xx.38" is not an IP address (redacted?); give the router's outside address`},
				{183, `Customer Gateway outside address "63.2xx.2xx.38" is not an IP address`},
			}},
		{"valid CGW address alone is enough", withCGW, func(o *Options) { o.ExpectOutside = netip.Addr{} }, nil},
		{"valid CGW address matches", withCGW, func(*Options) {}, nil},
		{"IPv4-mapped router address matches", withCGW, func(o *Options) { o.ExpectOutside = netip.MustParseAddr("::ffff:63.1.2.38") }, nil},
		{"CGW address is another router's", withCGW, func(o *Options) { o.ExpectOutside = netip.MustParseAddr("63.9.9.9") },
			[]want{
				{87, "Customer Gateway outside address 63.1.2.38 is not the router's outside address 63.9.9.9"},
				{183, "Customer Gateway outside address 63.1.2.38 is not the router's outside address 63.9.9.9"},
			}},
		{"CGW ASN is not the router's", sample, func(o *Options) { o.ExpectASN = 65010 },
			[]want{{105, "Customer Gateway ASN 65003 is not the router's ASN 65010"}, {201, "Customer Gateway ASN 65003"}}},
		{"CGW ASN matches", sample, func(o *Options) { o.ExpectASN = 65003 }, nil},
		{"ASN not checked for static VPNs", removeBGP(sample, 0), func(o *Options) { o.ExpectASN = 65010 }, nil},
		{"no router", sample, func(o *Options) { o.Router = "" }, []want{{0, "no router name given"}}},
		{"unsafe name prefix", sample, func(o *Options) { o.NamePrefix = "AWS 23" }, []want{{0, `name prefix "AWS 23" is not a safe name`}}},
		{"name prefix with a slash", sample, func(o *Options) { o.NamePrefix = "a/b" }, []want{{0, `name prefix "a/b" is not a safe name`}}},
		{"no VPN ID and no prefix", replaceNth(sample, "Your VPN Connection ID", "Your VPN Thing", 1), func(o *Options) { o.NamePrefix = "" },
			[]want{{0, "no VPN Connection ID to name the tunnels after"}}},
		{"VPN ID gives no name", replaceNth(sample, "vpn-05e0fe17", "***", 1), func(o *Options) { o.NamePrefix = "" },
			[]want{{11, `VPN Connection ID "***" gives no usable name`}}},
		{"too few interfaces", sample, func(o *Options) { o.Interfaces = []string{"vti1"} }, []want{{0, "1 interface names given for 2 tunnels"}}},
		{"duplicate interface", sample, func(o *Options) { o.Interfaces = []string{"vti1", "vti1"} }, []want{{0, `interface "vti1" is given twice`}}},
		{"interface name too long", sample, func(o *Options) { o.Interfaces = []string{"vti1", "vti-much-too-long"} },
			[]want{{0, `interface name "vti-much-too-long" is not valid`}}},
		{"secrets outside the site", sample, func(o *Options) { o.SecretsDir = "../keys" }, []want{{0, `secrets directory "../keys" is not inside`}}},
		{"absolute secrets dir", sample, func(o *Options) { o.SecretsDir = "/etc/keys" }, []want{{0, `secrets directory "/etc/keys" is not inside`}}},
		{"name prefix with ..", sample, func(o *Options) { o.NamePrefix = "aws..23" }, []want{{0, `name prefix "aws..23" is not a safe name`}}},
		{"router named like a tunnel, but in capitals", sample, func(o *Options) { o.Router = "AWS23-t2" },
			[]want{{115, `tunnel name "aws23-t2" is the router's name`}}},
		{"router named like a tunnel", sample, func(o *Options) { o.Router = "aws23-t2" },
			[]want{{115, `tunnel name "aws23-t2" is the router's name`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse(sampleName, []byte(tc.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			opts := sampleOptions()
			tc.opts(&opts)
			res, err := Generate(cfg, opts)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Generate: %v", err)
				}
				assertValidHCL(t, res.HCL)
				return
			}
			if res != nil {
				t.Errorf("Generate returned a result along with errors")
			}
			got := Errors(err)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(got), len(tc.want), err)
			}
			for i, w := range tc.want {
				if got[i].Line != w.line || !strings.Contains(got[i].Msg, w.msg) {
					t.Errorf("error %d = %q, want line %d containing %q", i, got[i].Error(), w.line, w.msg)
				}
			}
		})
	}
}

// TestGenerateRefusesBrokenConfig feeds Generate a config that did not come
// from a clean Parse: it must refuse rather than render empty values.
func TestGenerateRefusesBrokenConfig(t *testing.T) {
	cfg := &Config{Name: "hand.txt", Tunnels: []*Tunnel{{Number: 1, Line: 4, BGP: &BGP{}}}}
	_, err := Generate(cfg, Options{Router: "gw1", NamePrefix: "x", ExpectOutside: routerOutside})
	var msgs []string
	for _, e := range Errors(err) {
		msgs = append(msgs, e.Error())
	}
	want := []string{
		"hand.txt:4: IPSec Tunnel #1 has no Pre-Shared Key",
		"hand.txt:4: IPSec Tunnel #1 has no Virtual Private Gateway outside address",
		"hand.txt:4: IPSec Tunnel #1 lacks an inside address",
		"hand.txt:4: IPSec Tunnel #1 has BGP settings but no Virtual Private Gateway ASN",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
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
		{strings.Repeat("a", 100), strings.Repeat("a", maxNameLen-5)},
	}
	for _, tc := range tests {
		got := prefixFromID(tc.id)
		if got != tc.want {
			t.Errorf("prefixFromID(%q) = %q, want %q", tc.id, got, tc.want)
		}
		if got != "" {
			if err := checkSafeName("prefix", got+"-t999"); err != nil {
				t.Errorf("prefixFromID(%q): %v", tc.id, err)
			}
		}
	}
}
