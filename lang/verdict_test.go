package lang

import (
	"errors"
	"path/filepath"
	"testing"
)

// TestSiteErr checks that a site records what Parse and Validate found.
func TestSiteErr(t *testing.T) {
	const valid = `
router "gw1" {
  outside = "192.0.2.1"
}
peer "far" {
  outside = "198.51.100.7"
}
tunnel "t" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.60.1/30"
  }
  end "far" {
    inside = "169.254.60.2/30"
  }
}
`
	env := func(string) (string, bool) { return "a.key.of.the.test", true }
	sources := func(dir, src string) map[string][]byte {
		return map[string][]byte{filepath.Join(dir, "site.hcl"): []byte(src)}
	}
	cases := []struct {
		name string
		site func(dir string) *Site
		want error
	}{
		{"loaded", func(dir string) *Site {
			s, _ := LoadDir(dir, Options{Sources: sources(dir, valid), LookupEnv: env})
			return s
		}, nil},
		{"loaded with warnings", func(dir string) *Site {
			s, diags := LoadDir(dir, Options{Sources: sources(dir, `
router "gw1" {
  outside = "192.0.2.1"
}
peer "far" {
  outside = "198.51.100.7"
}
tunnel "t" {
  psk = "an.inline.key"
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.60.1/30"
  }
  end "far" {
    inside = "169.254.60.2/30"
  }
}
`)})
			if len(diags) == 0 || diags.HasErrors() {
				t.Fatalf("want only warnings: %v", diags)
			}
			return s
		}, nil},
		{"parsed and validated", func(dir string) *Site {
			s, _ := Parse(dir, sources(dir, valid), Options{LookupEnv: env})
			Validate(s)
			return s
		}, nil},
		{"parsed only", func(dir string) *Site {
			s, _ := Parse(dir, sources(dir, valid), Options{LookupEnv: env})
			return s
		}, ErrNotValidated},
		{"validated only", func(string) *Site {
			s := &Site{}
			Validate(s)
			return s
		}, ErrNotValidated},
		{"decoding error", func(dir string) *Site {
			s, _ := LoadDir(dir, Options{Sources: sources(dir, valid), LookupEnv: func(string) (string, bool) { return "", false }})
			return s
		}, ErrSiteInvalid},
		{"decoding error, validated apart", func(dir string) *Site {
			s, _ := Parse(dir, sources(dir, valid+"router \"gw2\" {}\n"), Options{LookupEnv: env})
			Validate(s)
			return s
		}, ErrSiteInvalid},
		{"rule error", func(dir string) *Site {
			s, _ := LoadDir(dir, Options{Sources: sources(dir, valid+"router \"gw1\" {\n  outside = \"192.0.2.9\"\n}\n"), LookupEnv: env})
			return s
		}, ErrSiteInvalid},
		{"no directory", func(dir string) *Site {
			s, _ := LoadDir(filepath.Join(dir, "nowhere"), Options{})
			return s
		}, ErrSiteInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.site(t.TempDir()).Err(); !errors.Is(err, tc.want) {
				t.Errorf("Err() = %v; want %v", err, tc.want)
			}
		})
	}
}
