package plan_test

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/plan"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, plan.Renderer{})
}

// The plan file is private and internal, and reads back as the host.
func TestFile(t *testing.T) {
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, err := plan.Renderer{}.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 1 {
				t.Fatalf("%d files", len(files))
			}
			f := files[0]
			if f.Path != plan.Path || f.Mode != 0o600 || !f.Secret || !f.Internal {
				t.Errorf("%s/%s: file %s mode %04o secret %v internal %v; want %s 0600, secret and internal",
					ex.Name, h.Name, f.Path, f.Mode, f.Secret, f.Internal, plan.Path)
			}
			got, err := plan.Decode(f.Data)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(h, got, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})); d != "" {
				t.Errorf("%s/%s: decoded plan differs:\n%s", ex.Name, h.Name, d)
			}
		}
	}
}
