package lang

import (
	"path/filepath"
	"testing"
)

func TestDerivedMark(t *testing.T) {
	tests := []struct {
		iface string
		mark  uint32
		ok    bool
	}{
		{"vti1", 12, true},
		{"vti2", 24, true},
		{"vti7", 106, true},
		{"vti8", 120, true},
		{"vti10", 144, true},
		{"vti100", 1750, true},
		{"vti0", 0, false},
		{"vti", 0, false},
		{"vti01", 0, false},
		{"vti-1", 0, false},
		{"vti+1", 0, false},
		{"vti1a", 0, false},
		{"VTI1", 0, false},
		{"eth0", 0, false},
		{"", 0, false},
		// The largest N whose N*10 in octal, read as decimal, fits 32 bits.
		{"vti58720255", 4277777766, true},
		{"vti58720256", 0, false},
		{"vti4294967295", 0, false},
		{"vti99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		mark, ok := DerivedMark(tt.iface)
		if mark != tt.mark || ok != tt.ok {
			t.Errorf("DerivedMark(%q) = %d, %v; want %d, %v", tt.iface, mark, ok, tt.mark, tt.ok)
		}
	}
}

// TestMarkOf checks that a tunnel without a mark gets the one derived from
// its router end, and that an explicit mark wins.
func TestMarkOf(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "base"), dir)
	writeFile(t, filepath.Join(dir, "tunnels2.hcl"), []byte(`
tunnel "far-gw2" {
  psk = env("PSK")

  end "far" {
    inside = "169.254.30.2/30"
  }
  end "gw2" {
    interface = "vti10"
    inside    = "169.254.30.1/30"
  }
}
`))
	site, diags := LoadDir(dir, Options{LookupEnv: func(string) (string, bool) { return "env.key.value.1", true }})
	if len(diags) > 0 {
		t.Fatalf("LoadDir: %v", diags)
	}
	for name, want := range map[string]uint32{"gw1-gw2": 12, "gw1-aws1": 100, "far-gw2": 144} {
		var tunnel *Tunnel
		for _, tn := range site.Tunnels {
			if tn.Name == name {
				tunnel = tn
			}
		}
		if tunnel == nil {
			t.Fatalf("no tunnel %q", name)
		}
		if got, ok := site.MarkOf(tunnel); got != want || !ok {
			t.Errorf("MarkOf(%s) = %d, %v; want %d, true", name, got, ok, want)
		}
	}

	// Marks that cannot be used: out of range, or not derivable.
	for _, tn := range []*Tunnel{
		{Name: "zero", Mark: Num{Value: 0, Set: true}},
		{Name: "wide", Mark: Num{Value: 1 << 32, Set: true}},
		{Name: "eth", Ends: []*End{{Name: "gw1", Interface: Str{Value: "eth0", Set: true}}}},
		{Name: "peers only", Ends: []*End{{Name: "far"}, {Name: "aws1"}}},
	} {
		if got, ok := site.MarkOf(tn); ok {
			t.Errorf("MarkOf(%s) = %d, true; want false", tn.Name, got)
		}
	}
}
