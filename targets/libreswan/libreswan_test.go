package libreswan_test

import (
	"path/filepath"
	"testing"

	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/libreswan"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, libreswan.Renderer{})
}

// TestAddconnAccepts feeds every rendered ipsec.conf to libreswan's own
// parser (addconn --checkconfig), and every conn's proposals to its
// algorithm parser, both from Debian's libreswan package.
func TestAddconnAccepts(t *testing.T) {
	ls := realcheck.FindLibreswan(t)
	n := 0
	for ex, hosts := range targettest.Golden(t, libreswan.Renderer{}) {
		for host, files := range hosts {
			if len(files) == 0 {
				continue
			}
			n++
			t.Run(ex+"/"+host, func(t *testing.T) {
				dir := t.TempDir()
				targettest.WriteTree(t, dir, files)
				ls.Addconn(t, filepath.Join(dir, filepath.FromSlash(libreswan.ConnsPath)))
			})
		}
	}
	if n == 0 {
		t.Fatal("no example has a libreswan router")
	}
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			if !h.UsesLibreswan() {
				continue
			}
			conns, err := libreswan.Conns(h)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range conns {
				v2, _ := c.Value("ikev2")
				pfs, _ := c.Value("pfs")
				ike, _ := c.Value("ike")
				esp, _ := c.Value("esp")
				ls.Algparse(t, "ike="+ike, v2 == "yes", false)
				ls.Algparse(t, "esp="+esp, v2 == "yes", pfs == "yes")
			}
		}
	}
}
