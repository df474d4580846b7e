package apply

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/frr"
	"github.com/vtic/vtic/targets/plan"
)

// forgetPlan makes the router look as if an older vtic, which installed
// no plan, had applied it.
func (w *world) forgetPlan() {
	w.t.Helper()
	st := w.state()
	delete(st.Files, plan.Path)
	if err := os.WriteFile(filepath.Join(w.root, StatePath), st.encode(), 0o600); err != nil {
		w.t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(w.root, plan.Path)); err != nil {
		w.t.Fatal(err)
	}
}

// FromInstalled reads the installed plan and files back as they were
// applied; Tunnels lists the plan's tunnels.
func TestFromInstalled(t *testing.T) {
	w := newWorld(t)
	in := base.input(t)
	w.mustApply(in)
	got, err := FromInstalled(w.root, "gw1")
	if err != nil {
		t.Fatal(err)
	}
	// The world's FRR reads one file per daemon: the integrated file is
	// not installed.
	in.Files = slices.DeleteFunc(in.Files, func(f targets.File) bool { return f.Path == frr.IntegratedPath })
	if d := cmp.Diff(in, got, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})); d != "" {
		t.Errorf("installed input (-applied +read back):\n%s", d)
	}
	tunnels, err := got.Tunnels()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tn := range tunnels {
		names = append(names, tn.Name+" "+tn.VTI.Name+" "+tn.BGPNeighbor.String())
	}
	if want := []string{"gw1-gw2 vti2 169.254.20.2", "gw1-gw3 vti3 169.254.30.2"}; !slices.Equal(names, want) {
		t.Errorf("tunnels %q; want %q", names, want)
	}

	if host, err := InstalledHost(w.root); err != nil || host != "gw1" {
		t.Errorf("InstalledHost = %q, %v; want gw1", host, err)
	}
	if _, err := InstalledHost(t.TempDir()); err == nil || !strings.Contains(err.Error(), "vtic apply has not run on this router") {
		t.Errorf("InstalledHost of an empty root: err = %v", err)
	}

	w.forgetPlan()
	if _, err := FromInstalled(w.root, "gw1"); err == nil || !strings.Contains(err.Error(), "no plan (etc/vtic/plan.json) is installed") {
		t.Errorf("without an installed plan: err = %v", err)
	}
}

// A router an older vtic applied has no installed plan: apply goes
// ahead, with a note that charon's connections could not be put back.
func TestApplyAfterOlderVtic(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.forgetPlan()
	res, out := w.mustApply(base.with(func(s *site) { s.Enabled3 = false }).input(t))
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "no plan is installed") }) {
		t.Errorf("no note about the missing plan:\n%s", out)
	}
	if !slices.Contains(res.Actions, "files: create etc/vtic/plan.json (0600)") {
		t.Errorf("the plan is not installed:\n%s", out)
	}
	if res, _ := w.mustApply(base.with(func(s *site) { s.Enabled3 = false }).input(t)); len(res.Actions) != 0 || len(res.Notes) != 0 {
		t.Errorf("second apply: %v %v", res.Actions, res.Notes)
	}
}
