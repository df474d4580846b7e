package lang

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestInterfacePoolExhausted covers the one mesh rule no txtar fixture
// holds: a 12-character prefix leaves room for prefix1 … prefix999, so the
// router needs 999 tunnels that use them, each to a peer of its own (the
// site would be a 150 KB fixture). The mesh's tunnel then finds no name on
// gw1, and that is the only error.
func TestInterfacePoolExhausted(t *testing.T) {
	const prefix = "abcdefghijkl"
	var b strings.Builder
	b.WriteString("router \"gw1\" {\n  outside = \"192.0.2.1\"\n}\nrouter \"gw2\" {\n  outside = \"192.0.2.2\"\n}\n")
	for i := 1; i <= 999; i++ {
		fmt.Fprintf(&b, `peer "p%d" {
  outside = "198.51.%d.%d"
}
tunnel "t%d" {
  mark = %d
  psk  = env("PSK")
  end "gw1" {
    interface = "%s%d"
    inside    = "10.%d.%d.1/30"
  }
  end "p%d" {
    inside = "10.%d.%d.2/30"
  }
}
`, i, i/250, i%250+1, i, i, prefix, i, i/250, i%250, i, i/250, i%250)
	}
	fmt.Fprintf(&b, `mesh "core" {
  routers          = ["gw1", "gw2"]
  interface_prefix = "%s"
  inside_pool      = "169.254.0.0/24"
  psk              = env("PSK")
}
`, prefix)
	dir := t.TempDir()
	_, diags := LoadDir(dir, Options{
		Sources:   map[string][]byte{filepath.Join(dir, "site.hcl"): []byte(b.String())},
		LookupEnv: func(string) (string, bool) { return "a.key.for.this.test", true },
	})
	var errs []string
	for _, d := range diags {
		errs = append(errs, d.Summary+": "+d.Detail)
	}
	if len(diags) != 1 || diags[0].Summary != "Interface pool exhausted" ||
		!strings.Contains(diags[0].Detail, `No interface name abcdefghijklN is free on router "gw1" for the tunnel "gw1-gw2"`) ||
		diags[0].Subject == nil || diags[0].Subject.Start.Line != 6+999*14+2 {
		t.Errorf("diagnostics:\n%s\nwant only Interface pool exhausted, at gw1 in routers", strings.Join(errs, "\n"))
	}
}
