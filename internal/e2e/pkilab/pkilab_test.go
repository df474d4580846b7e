//go:build wip

package pkilab

import (
	"context"
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

var stockPaths = []string{"frr", "strongswan.conf", "strongswan.d", "swanctl"}

func TestPKILab(t *testing.T) {
	require.Lab(t, lab.Available)
	start := time.Now()
	defer func() { t.Logf("whole test %s", time.Since(start).Round(100*time.Millisecond)) }()
	share := os.Getenv("VTIC_LAB_SHARE")
	if share == "" {
		share = t.TempDir()
	}
	vtic := filepath.Join(share, "bin", "vtic")
	prepareShare(t, share, vtic)

	ctx, cancel := context.WithTimeout(context.Background(), 31*time.Minute)
	defer cancel()
	res, err := lab.Run(ctx, lab.Config{
		ScriptPath: "pkilab.sh",
		ShareDir:   share,
		ConsoleLog: filepath.Join(share, "console.log"),
		Timeout:    30 * time.Minute,
	})
	t.Logf("boot %s, VM %s", res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond))
	for _, m := range labtestutil.Times(res.Output) {
		t.Logf("  %-20s at %6.1fs of the guest script", m.Name, m.Secs)
	}
	if err != nil {
		t.Fatalf("lab run: %v\n%s", err, labtestutil.Tail(res.Output, 40))
	}
	defer func() {
		if t.Failed() {
			t.Logf("guest output:\n%s\nevidence: %s/out (set VTIC_LAB_SHARE to keep it)", res.Output, share)
		}
	}()
	ev := evidence{t: t, dir: filepath.Join(share, "out")}
	t.Run("pubkey", func(t *testing.T) { checkPubkey(t, ev.with(t)) })
	t.Run("wrongid", func(t *testing.T) { checkWrongID(t, ev.with(t)) })
	t.Run("nhrpd", func(t *testing.T) { checkNHRPD(t, ev.with(t)) })
	t.Run("fallback", func(t *testing.T) { checkFallback(t, ev.with(t)) })
}

// prepareShare builds vtic, makes the two sites and their certificates
// with vtic pki, and copies the stock configuration.
func prepareShare(t *testing.T, share, vtic string) {
	t.Helper()
	labtestutil.BuildVtic(t, vtic)
	tmpl, err := os.ReadFile(filepath.Join("testdata", "site.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	good, bad := filepath.Join(share, "site-pki"), filepath.Join(share, "site-imposter")
	for _, d := range []string{good, bad} {
		os.RemoveAll(d)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(dir, id string) {
		site := strings.ReplaceAll(string(tmpl), "GW2_ID", id)
		if err := os.WriteFile(filepath.Join(dir, "site.hcl"), []byte(site), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		out, err := exec.Command(vtic, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("vtic %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	write(good, "gw2.example.net")
	run("pki", good)
	// The imposter: the same authority and gw1, and for gw2 a
	// certificate that vtic pki issues to imposter.example.net.
	write(bad, "imposter.example.net")
	if err := os.MkdirAll(filepath.Join(bad, "pki"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ca.crt", "ca.key", "gw1.crt", "gw1.key"} {
		b, err := os.ReadFile(filepath.Join(good, "pki", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bad, "pki", f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if out := run("pki", bad); !strings.Contains(out, "wrote pki/gw2.crt") || strings.Contains(out, "ca.crt") {
		t.Fatalf("vtic pki on the imposter site:\n%s", out)
	}
	run("validate", good)
	run("validate", bad)

	script, err := os.ReadFile(filepath.Join("testdata", "pkilab.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(share, "pkilab.sh"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	stock := filepath.Join(share, "stock")
	os.RemoveAll(stock)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	if _, err := lab.StockEtc(stock, filepath.Join(cache, "vtic-lab", "debs"), stockPaths...); err != nil {
		t.Fatalf("stock configuration files: %v", err)
	}
}

// evidence reads the files the guest script left.
type evidence struct {
	t   *testing.T
	dir string
}

func (e evidence) with(t *testing.T) evidence { e.t = t; return e }

func (e evidence) read(name string) string {
	b, err := os.ReadFile(filepath.Join(e.dir, name))
	if err != nil {
		e.t.Errorf("evidence %s: %v", name, err)
	}
	return string(b)
}

func (e evidence) rc(name string) string { return strings.TrimSpace(e.read(name)) }

// contains fails unless the evidence file holds each of want.
func (e evidence) contains(name string, want ...string) {
	e.t.Helper()
	got := e.read(name)
	for _, w := range want {
		if !strings.Contains(got, w) {
			e.t.Errorf("%s lacks %q:\n%s", name, w, labtestutil.Tail(got, 40))
		}
	}
}
