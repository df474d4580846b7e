package awsimport

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/lang"
)

// TestInterfaceNamesAsLang holds the importer's interface rule to the site
// language's: for each name, the importer refuses it exactly when a site
// that uses it fails lang's validation at that interface. The importer once
// kept its own rule, which let "all", "default" and "-x" through.
func TestInterfaceNamesAsLang(t *testing.T) {
	cfg, diags := Parse(sampleName, []byte(readSample(t)))
	if diags.HasErrors() {
		t.Fatalf("Parse:\n%s", describeDiags(diags))
	}
	tests := []struct {
		name    string
		refused bool // what lang does, stated so the table reads alone
	}{
		{"all", true},
		{"default", true},
		{"-x", true},
		{"", true},
		{".", true},
		{"..", true},
		{"x/y", true},
		{"vti 1", true},
		{"abcdefghijklmnop", true}, // 16 bytes
		{"vti1", false},
		{"vti1234567890123", true},
		{"abcdefghijklmno", false}, // 15 bytes
		{"ALL", false},
		{"x-", false},
		{"a.b_c", false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q", tc.name), func(t *testing.T) {
			byLang := langRefusesInterface(t, tc.name)
			if byLang != tc.refused {
				t.Fatalf("lang refuses %q: %v; the table says %v", tc.name, byLang, tc.refused)
			}
			_, diags := Generate(cfg, Options{Router: "gw1", NamePrefix: "aws23", ExpectOutside: routerOutside, Interfaces: []string{tc.name, "vti99"}})
			byImporter := false
			for _, d := range diags {
				if d.Summary == "Invalid interface name" && strings.Contains(d.Detail, fmt.Sprintf("%q", tc.name)) {
					byImporter = true
				}
			}
			if byImporter != byLang {
				t.Errorf("the importer refuses %q: %v; lang: %v\n%s", tc.name, byImporter, byLang, describeDiags(diags))
			}
		})
	}
}

// langRefusesInterface validates a site whose router end uses iface. The
// tunnel sets its mark, so no rule but the interface name's looks at the
// name; any error on the interface's line is that rule's.
func langRefusesInterface(t *testing.T, iface string) bool {
	t.Helper()
	const ifaceLine = 7
	src := fmt.Sprintf(`router "gw1" { outside = "192.0.2.1" }
peer "p" { outside = "192.0.2.2" }
tunnel "t" {
  mark = 100
  psk  = env("VTIC_TEST_KEY")
  end "gw1" {
    interface = %q
    inside    = "169.254.10.1/30"
  }
  end "p" {
    inside = "169.254.10.2/30"
  }
}
`, iface)
	site, diags := lang.LoadDir("site", lang.Options{
		Sources:   map[string][]byte{"site/site.hcl": []byte(src)},
		LookupEnv: func(string) (string, bool) { return "a.good.key", true },
	})
	if site == nil || len(site.Tunnels) != 1 {
		t.Fatalf("the test site did not decode:\n%s", describeDiags(diags))
	}
	refused := false
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject == nil || d.Subject.Start.Line != ifaceLine {
			t.Fatalf("the test site has an error besides the interface:\n%s", describeDiags(diags))
		}
		refused = true
	}
	return refused
}

// TestKeysAsLang holds the importer's key rules to the site language's for
// keys of AWS peers: the importer refuses a key in the AWS text exactly
// when lang refuses it in a site.
func TestKeysAsLang(t *testing.T) {
	sample := readSample(t)
	const key = "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx"
	tests := []struct {
		key     string
		refused bool
	}{
		{key, false},
		{"abcdefgh", false},
		{"abcdefg", true},
		{"0abcdefgh", true},
		{"a0bcdefgh", false},
		{"abc def.gh", true},
		{`abc"defgh`, true},
		{"abc-defgh", true},
		{"abc_def.gh", false},
		{strings.Repeat("k", 64), false},
		{strings.Repeat("k", 65), true},
		{"abcdefgh\x01", true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q", tc.key), func(t *testing.T) {
			byLang := langRefusesAWSKey(t, tc.key)
			if byLang != tc.refused {
				t.Fatalf("lang refuses %q: %v; the table says %v", tc.key, byLang, tc.refused)
			}
			_, diags := Parse(sampleName, []byte(strings.Replace(sample, key, tc.key, 1)))
			byImporter := false
			for _, d := range diags {
				if d.Subject != nil && d.Subject.Start.Line == 33 {
					byImporter = true
				}
			}
			if byImporter != byLang || (!byImporter && diags.HasErrors()) {
				t.Errorf("the importer refuses %q: %v; lang: %v\n%s", tc.key, byImporter, byLang, describeDiags(diags))
			}
		})
	}
}

// langRefusesAWSKey validates a site with one AWS peer whose key is key.
func langRefusesAWSKey(t *testing.T, key string) bool {
	t.Helper()
	const src = `router "gw1" { outside = "192.0.2.1" }
peer "p" {
  outside  = "192.0.2.2"
  provider = "aws"
}
tunnel "t" {
  psk = env("VTIC_TEST_KEY")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.10.1/30"
  }
  end "p" {
    inside = "169.254.10.2/30"
  }
}
`
	site, diags := lang.LoadDir("site", lang.Options{
		Sources:   map[string][]byte{"site/site.hcl": []byte(src)},
		LookupEnv: func(string) (string, bool) { return key, true },
	})
	if site == nil || len(site.Tunnels) != 1 {
		t.Fatalf("the test site did not decode:\n%s", describeDiags(diags))
	}
	refused := false
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject == nil || d.Subject.Start.Line != 7 {
			t.Fatalf("the test site has an error besides the key:\n%s", describeDiags(diags))
		}
		refused = true
	}
	return refused
}
