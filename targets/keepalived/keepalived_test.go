package keepalived_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/keepalived"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, keepalived.Renderer{})
}

// TestKeepalivedAccepts checks every rendered file with keepalived -t, with
// the pair's LAN interface and vtic in place, and that the file holds the
// pair's address, VRRP ID and priority.
func TestKeepalivedAccepts(t *testing.T) {
	require.Root(t, "keepalived")
	n := 0
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, err := keepalived.Renderer{}.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			if (h.Pair == nil) != (len(files) == 0) {
				t.Fatalf("%s/%s: %d files for pair %v", ex.Name, h.Name, len(files), h.Pair)
			}
			if h.Pair == nil {
				continue
			}
			n++
			t.Run(ex.Name+"/"+h.Name, func(t *testing.T) {
				dir := t.TempDir()
				targettest.WriteTree(t, dir, files)
				realcheck.Keepalived(t, filepath.Join(dir, filepath.FromSlash(keepalived.Path)), []string{h.Pair.Interface}, []string{keepalived.VticPath})
				text := string(files[0].Data)
				for _, want := range []string{
					"\t\t" + h.Pair.Address.String() + " dev " + h.Pair.Interface + "\n",
					"\tpriority " + itoa(h.Pair.Priority) + "\n",
					"\tvirtual_router_id " + itoa(h.Pair.VRID) + "\n",
				} {
					if !strings.Contains(text, want) {
						t.Errorf("keepalived.conf lacks %q:\n%s", want, text)
					}
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no example has a pair")
	}
}

// A router in no pair gets no file, so apply removes one it installed.
func TestNoPairNoFile(t *testing.T) {
	files, err := keepalived.Renderer{}.Render(&compile.Host{Name: "gw1"})
	if err != nil || len(files) != 0 {
		t.Fatalf("Render = %v, %v; want no file", files, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
