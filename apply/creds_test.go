package apply

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/swanctl"
)

// A router whose tunnel authenticates with certificates gets its key
// (0600), certificate and authority installed, and charon gets the
// authority and the key before the connection that uses them; an apply
// that changes nothing loads nothing, and a new key alone is loaded
// without reloading the connection.
func TestCertificateApply(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "certificates"))
	in, err := FromHost(plan.Host("gw1"))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	w.mustApply(in)
	got := w.charon.Transcript()
	want := []string{"load-cert " + swanctl.CAPath("lab"), "load-key " + swanctl.KeyPath, "load-conn gw1-gw2"}
	var loads []string
	for _, l := range got {
		if l != "restart" {
			loads = append(loads, l)
		}
	}
	if !slices.Equal(loads, want) {
		t.Errorf("charon transcript %v, want %v after any restart", got, want)
	}
	for path, mode := range map[string]os.FileMode{swanctl.KeyPath: 0o600, swanctl.CertPath: 0o644, swanctl.CAPath("lab"): 0o644} {
		fi, err := os.Stat(filepath.Join(w.root, path))
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v, %v; want mode %04o", path, fi, err, mode)
		}
	}

	w.resetTranscripts()
	if res, out := w.mustApply(in); len(res.Actions) != 0 {
		t.Errorf("second apply: %v\n%s", res.Actions, out)
	}

	h := plan.Host("gw1")
	h.Key.Value = append([]byte("-----BEGIN PRIVATE KEY-----\nrotated\n"), h.Key.Value...)
	in2, err := FromHost(h)
	if err != nil {
		t.Fatal(err)
	}
	w.resetTranscripts()
	res, out := w.mustApply(in2)
	for _, a := range []string{"charon: load-key " + swanctl.KeyPath, "charon: load-cert " + swanctl.CAPath("lab")} {
		if !slices.Contains(res.Actions, a) {
			t.Errorf("a new key: actions lack %q:\n%s", a, out)
		}
	}
	if slices.Contains(res.Actions, "charon: load-conn gw1-gw2") {
		t.Errorf("a new key reloaded the connection:\n%s", out)
	}
}

// A plan rendered without the router's key (vtic diff in CI) is refused
// before anything changes, as one without a pre-shared key is.
func TestCertificateApplyUnresolvedKey(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "certificates"))
	h := plan.Host("gw1")
	h.Key.Value, h.Key.Resolved = nil, false
	in, err := FromHost(h)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	_, out, err := w.apply(in, Options{})
	if err == nil || !strings.Contains(err.Error(), "private key") || !strings.Contains(err.Error(), "unresolved") {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(w.root, swanctl.KeyPath)); !os.IsNotExist(err) {
		t.Errorf("the key file was installed: %v", err)
	}
	if got := w.charon.Transcript(); len(got) != 0 {
		t.Errorf("charon was driven: %v", got)
	}
}
