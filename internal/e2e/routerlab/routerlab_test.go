package routerlab

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
	"github.com/vtic/vtic/internal/testkit/require"
)

// sites are the site versions of the scenarios, each made of fragments
// from testdata/hcl plus the keys of testdata/secrets.
var sites = map[string][]string{
	"site-v1":  {"routers.hcl", "tunnels.hcl"},
	"site-v2":  {"routers.hcl", "tunnels.hcl", "tunnel-gw2-gw3.hcl"},
	"site-bad": {"routers.hcl", "tunnels.hcl", "tunnel-gw2-gw3.hcl", "rogue.hcl"},
	"site-v3":  {"routers-gw2-bad-gateway.hcl", "tunnels-mtu1380.hcl"},
}

// repoFile is a file of the repository, from this package's directory.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", ".."}, parts...)...)
}

// TestRouterLab boots the lab once and runs testdata/routerlab.sh, then
// judges each scenario from the evidence it left (see the package doc).
func TestRouterLab(t *testing.T) {
	rejudge := os.Getenv("VTIC_LAB_REJUDGE") == "1" && os.Getenv("VTIC_LAB_SHARE") != ""
	if !rejudge {
		require.Lab(t, lab.Available)
		require.Programs(t, "ansible-playbook", "sshd", "ssh-keygen", "dpkg-query")
	}
	start := time.Now()
	defer func() { t.Logf("whole test %s", time.Since(start).Round(100*time.Millisecond)) }()

	share := os.Getenv("VTIC_LAB_SHARE")
	if share == "" {
		share = t.TempDir()
	}
	vtic := filepath.Join(share, "bin", "vtic")
	if !rejudge {
		prepareShare(t, share, vtic)
	}

	var res lab.Result
	if rejudge {
		b, _ := os.ReadFile(filepath.Join(share, "harness", "output"))
		res.Output = string(b)
	} else {
		// 11 min on an idle machine; a second VM on the two cores (or other
		// load) stretches it past 25 (measured 2026-12-08).
		ctx, cancel := context.WithTimeout(context.Background(), 41*time.Minute)
		defer cancel()
		fwd := forwards(t)
		rollout := startRollout(ctx, t, share, vtic, fwd)
		defer rollout.stop()
		var err error
		res, err = lab.Run(ctx, lab.Config{
			ScriptPath: "routerlab.sh",
			ShareDir:   share,
			ConsoleLog: filepath.Join(share, "console.log"),
			Timeout:    40 * time.Minute,
			Forwards:   fwd,
		})
		t.Logf("boot %s, VM %s", res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond))
		defer func() {
			for _, m := range labtestutil.Times(res.Output) {
				t.Logf("  %-28s at %6.1fs of the guest script", m.Name, m.Secs)
			}
		}()
		if err != nil {
			t.Fatalf("lab run: %v", err)
		}
	}
	defer func() {
		if t.Failed() {
			t.Logf("guest output:\n%s\nevidence and daemon logs: %s/out (set VTIC_LAB_SHARE to keep them)", res.Output, share)
		}
	}()

	t.Run("fresh", func(t *testing.T) { checkFresh(t, share) })
	t.Run("perdaemon", func(t *testing.T) { checkPerDaemon(t, share) })
	t.Run("reboot", func(t *testing.T) { checkReboot(t, share) })
	t.Run("concurrent", func(t *testing.T) { checkConcurrent(t, share) })
	t.Run("reject", func(t *testing.T) { checkReject(t, share) })
	t.Run("ansible", func(t *testing.T) { checkAnsible(t, share) })
}

// prepareShare puts into the share what the guest script needs: vtic, the
// sites, the stock configuration, the boot unit's commands per router and
// the ssh keys.
func prepareShare(t *testing.T, share, vtic string) {
	t.Helper()
	labtestutil.BuildVtic(t, vtic)
	for name, frags := range sites {
		writeSite(t, filepath.Join(share, name), frags)
		if out, err := exec.Command(vtic, "validate", filepath.Join(share, name)).CombinedOutput(); err != nil {
			t.Fatalf("vtic validate %s: %v\n%s", name, err, out)
		}
	}
	script, err := os.ReadFile(filepath.Join("testdata", "routerlab.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(share, "routerlab.sh"), script, 0o644); err != nil {
		t.Fatal(err)
	}

	files, err := lab.WriteStockShare(share)
	if err != nil {
		t.Fatalf("stock configuration files: %v", err)
	}
	for _, f := range files {
		if f.FromDeb {
			t.Logf("stock %s: this machine's copy was edited; taken from the package's .deb", f.Path)
		}
	}

	// The boot path: the commands of the shipped unit, per router.
	boot := filepath.Join(share, "boot")
	os.RemoveAll(boot)
	unit, err := os.ReadFile(repoFile("examples", "systemd", "vtic-boot.service"))
	switch {
	case errors.Is(err, os.ErrNotExist):
		t.Logf("examples/systemd/vtic-boot.service is missing: the reboot scenario will fail")
	case err != nil:
		t.Fatal(err)
	default:
		if err := os.MkdirAll(boot, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, r := range routers {
			sh, err := bootScript(string(unit), r)
			if err != nil {
				t.Fatalf("examples/systemd/vtic-boot.service: %v", err)
			}
			if err := os.WriteFile(filepath.Join(boot, r+".sh"), []byte(sh), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	// The ssh keys of lab-sshd, made here: Ansible runs on this machine.
	keys := filepath.Join(share, "ssh")
	os.RemoveAll(keys)
	if err := os.MkdirAll(keys, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"host_ed25519", "id_ed25519"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vtic-lab", "-f", filepath.Join(keys, k)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	pub, err := os.ReadFile(filepath.Join(keys, "id_ed25519.pub"))
	if err != nil {
		t.Fatal(err)
	}
	hostPub, err := os.ReadFile(filepath.Join(keys, "host_ed25519.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(keys, "authorized_keys"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(keys, "known_hosts"), append([]byte("* "), hostPub...), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeSite writes a site from testdata/hcl fragments and the keys of
// testdata/secrets (mode 0600: vtic warns about readable keys).
func writeSite(t *testing.T, dst string, frags []string) {
	t.Helper()
	os.RemoveAll(dst)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range frags {
		b, err := os.ReadFile(filepath.Join("testdata", "hcl", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyDir(t, filepath.Join("testdata", "secrets"), filepath.Join(dst, "secrets"), 0o600)
}

// copyDir copies the regular files of src into dst with the given mode.
func copyDir(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, mode); err != nil {
			t.Fatal(err)
		}
	}
}

// tail is the end of a long text, for failure messages.
func tail(s string) string { return strings.TrimSpace(labtestutil.Tail(s, 30)) }
