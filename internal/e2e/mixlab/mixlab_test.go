package mixlab

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
)

// sites are the site versions, made of fragments from testdata/hcl plus
// the keys of testdata/secrets.
var sites = map[string][]string{
	"site-v1": {"routers.hcl", "tunnel.hcl"},
	"site-v2": {"routers-v2.hcl", "tunnel-v2.hcl"},
}

// TestMixLab boots the lab once and runs testdata/mixlab.sh, then judges
// each scenario from the evidence it left (see the package doc).
func TestMixLab(t *testing.T) {
	require.Lab(t, lab.Available)
	ls := realcheck.FindLibreswan(t)
	require.Programs(t, "bird", "birdc", "dpkg-query")
	start := time.Now()
	defer func() { t.Logf("whole test %s", time.Since(start).Round(100*time.Millisecond)) }()

	share := os.Getenv("VTIC_LAB_SHARE")
	if share == "" {
		share = t.TempDir()
	}
	prepareShare(t, share, ls)

	ctx, cancel := context.WithTimeout(context.Background(), 36*time.Minute)
	defer cancel()
	res, err := lab.Run(ctx, lab.Config{
		ScriptPath: "mixlab.sh",
		ShareDir:   share,
		ConsoleLog: filepath.Join(share, "console.log"),
		Timeout:    35 * time.Minute,
	})
	t.Logf("boot %s, VM %s", res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond))
	for _, m := range labtestutil.Times(res.Output) {
		t.Logf("  %-28s at %6.1fs of the guest script", m.Name, m.Secs)
	}
	if err != nil {
		t.Fatalf("lab run: %v\n%s", err, labtestutil.Tail(res.Output, 40))
	}
	defer func() {
		if t.Failed() {
			t.Logf("guest output:\n%s\nevidence and daemon logs: %s/out (set VTIC_LAB_SHARE to keep them)", res.Output, share)
		}
	}()
	out := filepath.Join(share, "out")
	t.Run("boot", func(t *testing.T) {
		for _, f := range []string{"start-ls1", "boot-ss1"} {
			if rc := read(t, out, f+".rc"); rc != "0" {
				t.Errorf("%s failed (%s):\n%s", f, rc, read(t, out, f+".out"))
			}
		}
	})
	t.Run("fresh", func(t *testing.T) {
		checkApplied(t, out, "fresh", map[string][]string{
			"ls1": {"libreswan: load conn ls1-ss1 and initiate it", "bird: configure"},
			"ss1": {"charon: load-conn ls1-ss1", "frr: "},
		})
		checkTunnel(t, out, "fresh", []string{"10.11.0.0/16"}, []string{"10.12.0.0/16"})
	})
	t.Run("change", func(t *testing.T) {
		checkApplied(t, out, "change", map[string][]string{
			"ls1": {"libreswan: replace conn ls1-ss1 and initiate it", "bird: configure"},
			"ss1": {"charon: load-conn ls1-ss1", "frr: "},
		})
		checkTunnel(t, out, "change", []string{"10.11.0.0/16", "10.13.0.0/16"}, []string{"10.12.0.0/16", "10.14.0.0/16"})
	})
	t.Run("noop", func(t *testing.T) { checkNoop(t, out) })
}

func prepareShare(t *testing.T, share string, ls realcheck.Libreswan) {
	t.Helper()
	labtestutil.BuildVtic(t, filepath.Join(share, "bin", "vtic"))
	for name, frags := range sites {
		dst := filepath.Join(share, name)
		os.RemoveAll(dst)
		for _, f := range frags {
			copyFile(t, filepath.Join("testdata", "hcl", f), filepath.Join(dst, f), 0o644)
		}
		copyFile(t, filepath.Join("testdata", "secrets", "ls1-ss1.psk"), filepath.Join(dst, "secrets", "ls1-ss1.psk"), 0o600)
	}
	for _, f := range []string{"mixlab.sh", "mix-exec"} {
		copyFile(t, filepath.Join("testdata", f), filepath.Join(share, f), 0o755)
	}
	abs, err := filepath.Abs(ls.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(share, "libreswan.path"), []byte(abs+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stock := filepath.Join(share, "stock")
	os.RemoveAll(stock)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	if _, err := lab.StockEtc(stock, filepath.Join(cache, "vtic-lab", "debs"), "frr", "strongswan.conf", "strongswan.d", "swanctl", "bird"); err != nil {
		t.Fatalf("stock configuration files: %v", err)
	}
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, mode); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Errorf("evidence: %v", err)
	}
	return strings.TrimSpace(string(b))
}

// checkApplied: each apply succeeded and planned the daemon actions.
func checkApplied(t *testing.T, out, phase string, want map[string][]string) {
	t.Helper()
	for _, r := range []string{"ls1", "ss1"} {
		rc := read(t, out, phase, r+".apply.rc")
		text := read(t, out, phase, r+".apply.out")
		if rc != "0" {
			t.Errorf("%s: vtic apply failed (%s):\n%s\n%s", r, rc, text, read(t, out, phase, r+".apply.err"))
			continue
		}
		for _, w := range want[r] {
			if !strings.Contains(text, w) {
				t.Errorf("%s: apply does not say %q:\n%s", r, w, text)
			}
		}
	}
}

// checkTunnel: SAs up on both ends, pings across, BGP routes learnt.
func checkTunnel(t *testing.T, out, phase string, lsLANs, ssLANs []string) {
	t.Helper()
	if rc := read(t, out, phase, "converged.rc"); rc != "0" {
		t.Errorf("the tunnel did not carry traffic and routes within the wait (%s)", rc)
	}
	if sas := read(t, out, phase, "ls1.sas"); !regexp.MustCompile(`#\d+: "ls1-ss1"`).MatchString(sas) {
		t.Errorf("ls1: pluto has no IPsec SA of ls1-ss1:\n%s", sas)
	}
	sas := read(t, out, phase, "ss1.sas")
	if !strings.Contains(sas, "ESTABLISHED") || !strings.Contains(sas, "INSTALLED") {
		t.Errorf("ss1: charon has no established IKE SA with an installed CHILD SA:\n%s", sas)
	}
	for _, r := range []string{"ls1", "ss1"} {
		if p := read(t, out, phase, r+".ping"); !strings.Contains(p, " 0% packet loss") {
			t.Errorf("%s: ping across the VTI:\n%s", r, p)
		}
	}
	for _, c := range []struct {
		router, proto string
		lans          []string
	}{{"ss1", "bgp", lsLANs}, {"ls1", "bird", ssLANs}} {
		routes := read(t, out, phase, c.router+".routes")
		for _, l := range c.lans {
			re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(l) + ` .*dev vti4 proto ` + c.proto)
			if !re.MatchString(routes) {
				t.Errorf("%s: no route to %s through vti4 learnt by %s:\n%s", c.router, l, c.proto, routes)
			}
		}
	}
	if b := read(t, out, phase, "ls1.bird"); !regexp.MustCompile(`bgp_vti4 +BGP .* up .*Established`).MatchString(b) {
		t.Errorf("ls1: BIRD's session is not established:\n%s", b)
	}
}

var (
	plutoSA  = regexp.MustCompile(`#\d+: "[^"]+"`)
	charonID = regexp.MustCompile(`uniqueid=\d+|spi-in=[0-9a-f]+`)
	birdLine = regexp.MustCompile(`(?m)^bgp_vti4 .*$`)
	frrConns = regexp.MustCompile(`"connections(Established|Dropped)":\d+`)
)

// checkNoop: both applies report no changes, and the daemons hold exactly
// what they held before them.
func checkNoop(t *testing.T, out string) {
	for _, r := range []string{"ls1", "ss1"} {
		rc := read(t, out, "noop", r+".apply.rc")
		text := read(t, out, "noop", r+".apply.out")
		if rc != "0" || !strings.Contains(text, r+": no changes.") {
			t.Errorf("%s: the second apply of site-v2 (%s):\n%s", r, rc, text)
		}
	}
	for _, c := range []struct {
		file string
		res  []*regexp.Regexp
	}{
		{"ls1.daemons", []*regexp.Regexp{plutoSA, birdLine}},
		{"ss1.daemons", []*regexp.Regexp{charonID, frrConns}},
	} {
		before := read(t, out, "noop", "before."+c.file)
		after := read(t, out, "noop", "after."+c.file)
		for _, re := range c.res {
			b, a := re.FindAllString(before, -1), re.FindAllString(after, -1)
			if len(b) == 0 {
				t.Errorf("%s: nothing matches %s before the no-op apply:\n%s", c.file, re, before)
			}
			if !slices.Equal(b, a) {
				t.Errorf("%s: the no-op apply changed %s: %v before, %v after", c.file, re, b, a)
			}
		}
	}
}
