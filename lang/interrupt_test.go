package lang

import (
	"context"
	"testing"
)

// TestLoadInterrupted: a load whose context is done says so, whether the
// context was done before the load started or became done while it ran,
// and even when what it read so far already has errors: those are not all
// the site's errors, and nothing must read as if they were.
func TestLoadInterrupted(t *testing.T) {
	const site = `
router "a" {
  outside = "192.0.2.1"
}
peer "b" {
  outside = "192.0.2.2"
}
tunnel "t" {
  psk = file("secrets/t.psk")
  end "a" {
    interface = "vti1"
    inside    = "169.254.1.1/30"
  }
  end "b" {
    inside = "169.254.1.2/30"
  }
}
`
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for name, tc := range map[string]struct {
		sources map[string][]byte
		ctx     func() (context.Context, func(string) ([]byte, error))
	}{
		"done before": {map[string][]byte{"/s/site.hcl": []byte(site)},
			func() (context.Context, func(string) ([]byte, error)) { return done, nil }},
		// a.hcl, with a syntax error, is read first; reading the key of
		// b.hcl cancels the load, after the last look at the context
		// during parsing and decoding.
		"done during, after an error": {map[string][]byte{"/s/a.hcl": []byte("router \"x\" {\n  asn = [\n}\n"), "/s/b.hcl": []byte(site)},
			func() (context.Context, func(string) ([]byte, error)) {
				ctx, cancel := context.WithCancel(context.Background())
				return ctx, func(string) ([]byte, error) {
					cancel()
					return []byte("Key.for.tunnel.t"), nil
				}
			}},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, read := tc.ctx()
			_, diags := LoadDir("/s", Options{Sources: tc.sources, Context: ctx, ReadSecret: read})
			n := 0
			for _, d := range diags {
				if d.Summary == "Loading interrupted" {
					n++
				}
			}
			if n != 1 || !diags.HasErrors() {
				t.Errorf("%d \"Loading interrupted\" errors, want 1:\n%v", n, diags)
			}
		})
	}
}
