package compile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/compile"
)

// Each member of a pair gets its part: the primary the higher VRRP
// priority, the backup the lower one and an AS-path prepend; a router
// outside the pair gets none.
func TestCompilePair(t *testing.T) {
	plan, err := compile.Compile(loadSite(t, `
router "a" {
  asn      = 65001
  outside  = "192.0.2.1"
  announce = ["10.1.0.0/16"]
}
router "b" {
  asn      = 65001
  outside  = "192.0.2.2"
  announce = ["10.1.0.0/16"]
}
router "c" {
  outside = "192.0.2.3"
}
pair "lan1" {
  primary   = "a"
  backup    = "b"
  interface = "lan0"
  address   = "10.1.0.1/16"
  vrid      = 51
}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*compile.Pair{
		"a": {Name: "lan1", Partner: "b", Interface: "lan0", Address: prefix("10.1.0.1/16"), VRID: 51, Priority: 150},
		"b": {Name: "lan1", Backup: true, Partner: "a", Interface: "lan0", Address: prefix("10.1.0.1/16"), VRID: 51, Priority: 100, Prepend: 3},
		"c": nil,
	}
	for name, w := range want {
		got := plan.Host(name).Pair
		if d := cmp.Diff(w, got, cmp.Comparer(func(a, b compile.Pair) bool { return a == b })); d != "" {
			t.Errorf("%s: pair (-want +got):\n%s", name, d)
		}
	}
}
