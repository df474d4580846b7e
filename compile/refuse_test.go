package compile_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// refuseSite is valid: two routers, a peer, a tunnel between the routers
// and one to the peer. The cases below break it after validation.
const refuseSite = `
router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
}
router "gw2" {
  asn     = 65002
  outside = "203.0.113.1"
}
peer "far" {
  outside = "198.51.100.7"
  asn     = 65100
}
tunnel "gw1-gw2" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.20.2/30"
  }
}
tunnel "gw1-far" {
  psk = env("PSK")
  options = {
    dpd_delay = "10s"
  }
  end "gw1" {
    interface = "vti2"
    inside    = "169.254.21.1/30"
  }
  end "far" {
    inside = "169.254.21.2/30"
  }
}
`

// TestCompileRefuses checks that Compile does not trust its caller: a site
// lang has not validated, or that has errors, is refused, and a site broken
// after validation gives an error naming the problem instead of a panic or
// a plan with holes.
func TestCompileRefuses(t *testing.T) {
	cases := []struct {
		name  string
		site  func(t *testing.T) *lang.Site
		is    error  // the error must wrap this, when set
		wants string // and hold this text
	}{
		{name: "no site", site: func(*testing.T) *lang.Site { return nil }, wants: "no site"},
		{name: "site not from lang", site: func(*testing.T) *lang.Site { return &lang.Site{} }, is: lang.ErrNotValidated},
		{name: "decoded, not validated", is: lang.ErrNotValidated, site: func(t *testing.T) *lang.Site {
			dir := t.TempDir()
			site, diags := lang.Parse(dir, map[string][]byte{filepath.Join(dir, "site.hcl"): []byte(refuseSite)},
				lang.Options{LookupEnv: func(string) (string, bool) { return testKey, true }})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			return site
		}},
		{name: "site with errors", is: lang.ErrSiteInvalid, site: func(t *testing.T) *lang.Site {
			// Without the environment variable the keys cannot be read.
			dir := t.TempDir()
			site, diags := lang.LoadDir(dir, lang.Options{
				Sources:   map[string][]byte{filepath.Join(dir, "site.hcl"): []byte(refuseSite)},
				LookupEnv: func(string) (string, bool) { return "", false },
			})
			if !diags.HasErrors() {
				t.Fatal("the site has no errors")
			}
			return site
		}},
		{name: "missing router", wants: "router 3 of 3 is missing", site: broken(func(s *lang.Site) {
			s.Routers = append(s.Routers, nil)
		})},
		{name: "router declared twice", wants: `router "gw1" is declared twice`, site: broken(func(s *lang.Site) {
			s.Routers = append(s.Routers, s.Routers[0])
		})},
		{name: "missing peer", wants: "peer 1 of 1 is missing", site: broken(func(s *lang.Site) {
			s.Peers[0] = nil
		})},
		{name: "missing tunnel", wants: "tunnel 2 of 2 is missing", site: broken(func(s *lang.Site) {
			s.Tunnels[1] = nil
		})},
		{name: "one end", wants: `tunnel "gw1-gw2": has 1 ends, not 2`, site: broken(func(s *lang.Site) {
			s.Tunnels[0].Ends = s.Tunnels[0].Ends[:1]
		})},
		{name: "nil end", wants: `tunnel "gw1-far": end 2 is missing`, site: broken(func(s *lang.Site) {
			s.Tunnels[1].Ends[1] = nil
		})},
		{name: "unknown router", wants: `tunnel "gw1-gw2": end "gw9" names no router or peer`, site: broken(func(s *lang.Site) {
			s.Tunnels[0].Ends[1].Name = "gw9"
		})},
		{name: "no router end", wants: `tunnel "gw1-far": neither end is a router`, site: broken(func(s *lang.Site) {
			s.Tunnels[1].Ends[0].Name = "far"
		})},
		{name: "missing PSK", wants: `tunnel "gw1-far": has no pre-shared key`, site: broken(func(s *lang.Site) {
			s.Tunnels[1].PSK = nil
		})},
		{name: "no mark", wants: `tunnel "gw1-far": has no usable mark`, site: broken(func(s *lang.Site) {
			s.Tunnels[1].Ends[0].Interface.Value = "eth0"
		})},
		{name: "unknown option", wants: `tunnel "gw1-far": has the unknown option "bogus"`, site: broken(func(s *lang.Site) {
			s.Tunnels[1].Options = append(s.Tunnels[1].Options, lang.KeyValue{Key: "bogus"})
		})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := compile.Compile(tc.site(t))
			switch {
			case err == nil:
				t.Fatalf("compiled into %d hosts; want an error", len(plan.Hosts))
			case plan != nil:
				t.Errorf("returned a plan with the error %v", err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %q", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.wants) {
				t.Errorf("error %q does not say %q", err, tc.wants)
			}
		})
	}
}

// broken loads refuseSite, which is valid, and then applies change to it.
func broken(change func(*lang.Site)) func(*testing.T) *lang.Site {
	return func(t *testing.T) *lang.Site {
		site := loadSite(t, refuseSite)
		if _, err := compile.Compile(site); err != nil {
			t.Fatalf("the site does not compile before it is changed: %v", err)
		}
		change(site)
		return site
	}
}

// TestCompileWarnings checks that warnings do not stop a site: an inline
// key is warned against but allowed.
func TestCompileWarnings(t *testing.T) {
	src := strings.Replace(refuseSite, `psk = env("PSK")`, `psk = "an.inline.key.1"`, 1)
	dir := t.TempDir()
	site, diags := lang.LoadDir(dir, lang.Options{
		Sources:   map[string][]byte{filepath.Join(dir, "site.hcl"): []byte(src)},
		LookupEnv: func(string) (string, bool) { return testKey, true },
	})
	if len(diags) == 0 || diags.HasErrors() {
		t.Fatalf("want only warnings, got %d diagnostics: %s", len(diags), diags.Error())
	}
	if _, err := compile.Compile(site); err != nil {
		t.Fatal(err)
	}
}
