package vtiinit_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/vtiinit"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, vtiinit.Renderer{})
}

// TestShellReadsBack sources every vti.init with dash and checks that the
// variables hold exactly the plan's values.
func TestShellReadsBack(t *testing.T) {
	require.Root(t, "sh")
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, _ := vtiinit.Renderer{}.Render(h)
			dir := t.TempDir()
			targettest.WriteTree(t, dir, files)
			for _, tn := range h.Tunnels {
				got := realcheck.ShellSource(t, filepath.Join(dir, filepath.FromSlash(vtiinit.Path(tn.Name))),
					"VTI_INTERFACE", "VTI_MARK", "VTI_MTU", "VTI_LOCALADDR", "VTI_DESCRIPTION")
				want := map[string]string{
					"VTI_INTERFACE":   tn.Interface,
					"VTI_MARK":        fmt.Sprint(tn.Mark),
					"VTI_MTU":         fmt.Sprint(tn.MTU),
					"VTI_LOCALADDR":   tn.Inside.String(),
					"VTI_DESCRIPTION": tn.Description,
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%s/%s/%s: %s = %q, want %q", ex.Name, h.Name, tn.Name, k, got[k], v)
					}
				}
			}
		}
	}
}

func TestQuote(t *testing.T) {
	for _, s := range []string{"", "plain", "it's", `"$(rm -rf /)"`, "a\nb", "`x`", `\`} {
		dir := t.TempDir()
		path := filepath.Join(dir, "f")
		targettest.WriteTree(t, dir, nil)
		writeFile(t, path, "V="+vtiinit.Quote(s)+"\n")
		if got := realcheck.ShellSource(t, path, "V")["V"]; got != s {
			t.Errorf("Quote(%q) read back as %q", s, got)
		}
	}
}
