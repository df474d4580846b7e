package sitegen_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/vtic/vtic/internal/testkit/sitegen"
	"github.com/vtic/vtic/lang"
)

// TestValid loads generated sites of several shapes with lang and expects no
// diagnostic at all, not even a warning.
func TestValid(t *testing.T) {
	for _, c := range []sitegen.Config{
		{Routers: 1, TunnelsPerRouter: 1},
		{Routers: 2, TunnelsPerRouter: 3},
		{Routers: 3, TunnelsPerRouter: 4, MeshShare: 1},
		{Routers: 10, TunnelsPerRouter: 10, Seed: 7},
		{Routers: 20, TunnelsPerRouter: 5, MeshShare: -1},
		{Routers: 9, TunnelsPerRouter: 40, MeshShare: 1, RoutersPerFile: 2},
		{Routers: 100, TunnelsPerRouter: 10, Seed: 3},
		{Routers: 30, TunnelsPerRouter: 6, Seed: 3, Change: 0.1},
		{Routers: 120, TunnelsPerRouter: 2, Seed: 5, RoutersPerFile: 7},
	} {
		t.Run(fmt.Sprintf("%dx%d-mesh%v-change%v", c.Routers, c.TunnelsPerRouter, c.MeshShare, c.Change), func(t *testing.T) {
			dir := t.TempDir()
			st, err := sitegen.WriteSite(dir, c)
			if err != nil {
				t.Fatal(err)
			}
			site, diags := lang.LoadDir(dir, lang.Options{})
			for _, d := range diags {
				t.Errorf("%s", d)
			}
			if len(site.Routers) != c.Routers || len(site.Tunnels) != st.Tunnels || len(site.Peers) != st.Peers {
				t.Errorf("loaded %d routers, %d peers, %d tunnels; generated %+v", len(site.Routers), len(site.Peers), len(site.Tunnels), st)
			}
			checkShape(t, site, c.TunnelsPerRouter)
		})
	}
}

// checkShape checks what lang does not: every router has exactly vti1..vtiM,
// and outside addresses are unique across the whole site.
func checkShape(t *testing.T, site *lang.Site, m int) {
	t.Helper()
	ifaces := map[string]map[string]bool{}
	for _, r := range site.Routers {
		ifaces[r.Name] = map[string]bool{}
	}
	for _, tn := range site.Tunnels {
		for _, e := range tn.Ends {
			if set, ok := ifaces[e.Name]; ok {
				set[e.Interface.Value] = true
			}
		}
	}
	for name, set := range ifaces {
		for i := 1; i <= m; i++ {
			if !set[fmt.Sprintf("vti%d", i)] {
				t.Errorf("router %s has no vti%d", name, i)
			}
		}
		if len(set) != m {
			t.Errorf("router %s has %d interfaces, want %d", name, len(set), m)
		}
	}
	outside := map[string]string{}
	add := func(who, a string) {
		if first, dup := outside[a]; dup {
			t.Errorf("%s and %s share the outside address %s", first, who, a)
		}
		outside[a] = who
	}
	for _, r := range site.Routers {
		add(r.Name, r.Outside.Addr.String())
	}
	for _, p := range site.Peers {
		add(p.Name, p.Outside.Addr.String())
	}
}

// TestDeterministic generates the same config twice into two directories and
// compares every byte and mode; another seed must differ.
func TestDeterministic(t *testing.T) {
	c := sitegen.Config{Routers: 50, TunnelsPerRouter: 6, Seed: 42, RoutersPerFile: 16, Change: 0.05}
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := sitegen.WriteSite(dir, c); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("%d files, then %d", len(ta), len(tb))
	}
	for path, fa := range ta {
		fb, ok := tb[path]
		switch {
		case !ok:
			t.Errorf("%s missing from the second run", path)
		case fa.mode != fb.mode || !bytes.Equal(fa.data, fb.data):
			t.Errorf("%s differs between runs", path)
		}
	}
	c.Seed = 43
	other, _, err := sitegen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for _, f := range other {
		if g, ok := ta[f.Path]; ok && bytes.Equal(g.data, f.Data) {
			same++
		}
	}
	if same == len(other) {
		t.Error("seeds 42 and 43 gave the same site")
	}
}

// TestChange checks that a second revision differs from the first in the
// requested share of tunnels and nowhere else: the same keys, the same
// addresses.
func TestChange(t *testing.T) {
	base := sitegen.Config{Routers: 100, TunnelsPerRouter: 10, Seed: 9}
	changed := base
	changed.Change = 0.01
	fa, sa, err := sitegen.Generate(base)
	if err != nil {
		t.Fatal(err)
	}
	fb, sb, err := sitegen.Generate(changed)
	if err != nil {
		t.Fatal(err)
	}
	// 100 routers with 10 VTIs each: 2 of them start mesh tunnels, 2 end
	// mesh tunnels of others and 6 go to AWS, 800 tunnels in all.
	if sa.Changed != 0 || sb.Changed != 8 || sa.Tunnels != 800 || sa.MeshTunnels != 200 {
		t.Fatalf("changed %d then %d of %d tunnels (%d mesh), want 0 then 8 of 800 (200 mesh)", sa.Changed, sb.Changed, sa.Tunnels, sa.MeshTunnels)
	}
	if len(fa) != len(fb) {
		t.Fatalf("%d files, then %d", len(fa), len(fb))
	}
	lines := 0
	for i := range fa {
		if fa[i].Path != fb[i].Path {
			t.Fatalf("file %d is %s, then %s", i, fa[i].Path, fb[i].Path)
		}
		if filepath.Ext(fa[i].Path) == ".psk" && !bytes.Equal(fa[i].Data, fb[i].Data) {
			t.Errorf("%s changed", fa[i].Path)
		}
		la, lb := bytes.Split(fa[i].Data, []byte("\n")), bytes.Split(fb[i].Data, []byte("\n"))
		for j := range min(len(la), len(lb)) {
			if !bytes.Equal(la[j], lb[j]) {
				lines++
			}
		}
	}
	// Each changed tunnel changes its description line and sets or changes
	// its MTU line; an added MTU line shifts the lines after it, so only a
	// lower bound holds.
	if lines < 8 {
		t.Errorf("only %d lines differ", lines)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []sitegen.Config{
		{Routers: 0, TunnelsPerRouter: 1},
		{Routers: 1, TunnelsPerRouter: 0},
		{Routers: sitegen.MaxRouters + 1, TunnelsPerRouter: 1},
		{Routers: 1, TunnelsPerRouter: 1, Change: 2},
		{Routers: 1, TunnelsPerRouter: 1, MeshShare: 1.5},
	} {
		if _, _, err := sitegen.Generate(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

type file struct {
	mode fs.FileMode
	data []byte
}

func readTree(t *testing.T, root string) map[string]file {
	t.Helper()
	out := map[string]file{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[filepath.ToSlash(rel)] = file{info.Mode(), data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
