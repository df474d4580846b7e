package routelab

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
	"github.com/vtic/vtic/internal/testkit/require"
)

// stockPaths are the parts of /etc whose packaged files a stock router
// starts with.
var stockPaths = []string{"frr", "strongswan.conf", "strongswan.d", "swanctl"}

// TestRouteLab boots the lab once, runs testdata/routelab.sh and judges
// each scenario from the evidence it left (see the package doc).
func TestRouteLab(t *testing.T) {
	require.Lab(t, lab.Available)
	start := time.Now()
	defer func() { t.Logf("whole test %s", time.Since(start).Round(100*time.Millisecond)) }()

	share := os.Getenv("VTIC_LAB_SHARE")
	if share == "" {
		share = t.TempDir()
	}
	prepareShare(t, share)

	ctx, cancel := context.WithTimeout(context.Background(), 28*time.Minute)
	defer cancel()
	res, err := lab.Run(ctx, lab.Config{
		ScriptPath: "routelab.sh",
		ShareDir:   share,
		ConsoleLog: filepath.Join(share, "console.log"),
		Timeout:    26 * time.Minute,
	})
	t.Logf("boot %s, VM %s", res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond))
	for _, m := range labtestutil.Times(res.Output) {
		t.Logf("  %-20s at %6.1fs of the guest script", m.Name, m.Secs)
	}
	if err != nil {
		t.Fatalf("lab run: %v", err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("guest output:\n%s\nevidence and daemon logs: %s/out (set VTIC_LAB_SHARE to keep them)", res.Output, share)
		}
	}()
	out := filepath.Join(share, "out")
	for _, r := range []string{"gw1", "br"} {
		if rc := strings.TrimSpace(read(t, out, "apply", r+".rc")); rc != "0" {
			t.Fatalf("vtic apply on %s exited %s:\n%s", r, rc, tail(read(t, out, "apply", r+".err")))
		}
	}
	t.Run("steady", func(t *testing.T) { checkAWS(t, out, "steady", "vti1", "vti2") })
	t.Run("static", func(t *testing.T) { checkStatic(t, out) })
	t.Run("failover", func(t *testing.T) {
		if sas := read(t, out, "failover", "aws.sas.txt"); lab.ChildSAInstalled(sas, "t1") == nil {
			t.Errorf("the stand-in's primary CHILD SA t1 is still installed after it was terminated:\n%s", tail(sas))
		}
		checkAWS(t, out, "failover", "vti2", "vti1")
	})
}

// checkAWS judges one phase of the AWS pair: the stand-in's LAN routed by
// BGP through gw1's device via, gw1's LAN routed back through the stand-in's
// device of the same name, and the pings answered, sent through via while
// idle sent nothing.
func checkAWS(t *testing.T, out, phase, via, idle string) {
	if err := lab.RouteVia([]byte(read(t, out, phase, "gw1.routes.json")), "172.31.1.0/24", via, "bgp"); err != nil {
		t.Errorf("gw1: %v", err)
	}
	if err := lab.RouteVia([]byte(read(t, out, phase, "aws.routes.json")), "10.1.0.0/16", via, "bgp"); err != nil {
		t.Errorf("stand-in: %v", err)
	}
	if err := lab.PingReplied(read(t, out, phase, "gw1.ping-aws.txt")); err != nil {
		t.Errorf("ping from gw1's LAN to the stand-in's: %v", err)
	}
	before, after := counters(t, read(t, out, phase, "gw1.tx-before.txt")), counters(t, read(t, out, phase, "gw1.tx-after.txt"))
	if d := after[via] - before[via]; d < 5 {
		t.Errorf("%s carried %d ICMP packets during 5 pings, want at least 5", via, d)
	}
	if d := after[idle] - before[idle]; d != 0 {
		t.Errorf("%s carried %d ICMP packets during the pings, want none: the traffic must take %s only", idle, d, via)
	}
	if phase == "steady" {
		bgp := []byte(read(t, out, phase, "gw1.bgp.json"))
		for _, n := range []string{"169.254.10.1", "169.254.11.1"} {
			if err := lab.BGPEstablished(bgp, n); err != nil {
				t.Errorf("gw1: %v (the primary must win over an established backup)", err)
			}
		}
		running := read(t, out, phase, "gw1.running.txt")
		for _, want := range []string{"set local-preference 200", "set as-path prepend 65001 65001", "maximum-prefix 50"} {
			if !strings.Contains(running, want) {
				t.Errorf("gw1's running FRR configuration lacks %q:\n%s", want, tail(running))
			}
		}
	}
}

// checkStatic judges the tunnel without BGP: staticd's routes into it on
// both ends, and pings between the LANs.
func checkStatic(t *testing.T, out string) {
	for _, c := range []struct{ router, prefix, dev, ping string }{
		{"gw1", "10.30.0.0/16", "vti3", "gw1.ping-br.txt"},
		{"br", "10.1.0.0/16", "vti1", "br.ping-gw1.txt"},
	} {
		if err := lab.RouteVia([]byte(read(t, out, "static", c.router+".routes.json")), c.prefix, c.dev, "static"); err != nil {
			t.Errorf("%s: %v", c.router, err)
		}
		if err := lab.PingReplied(read(t, out, "static", c.ping)); err != nil {
			t.Errorf("%s: ping across the static tunnel: %v", c.router, err)
		}
	}
	if bgp := read(t, out, "static", "gw1.bgp.json"); strings.Contains(bgp, "169.254.30.2") {
		t.Errorf("gw1 has a BGP neighbor on the tunnel without BGP:\n%s", tail(bgp))
	}
	if running := read(t, out, "static", "br.running.txt"); strings.Contains(running, "router bgp") {
		t.Errorf("br, which has no asn, runs BGP:\n%s", tail(running))
	}
}

// counters reads "vti1 N vti2 M".
func counters(t *testing.T, s string) map[string]int {
	f := strings.Fields(s)
	m := map[string]int{}
	for i := 0; i+1 < len(f); i += 2 {
		n, err := strconv.Atoi(f[i+1])
		if err != nil {
			t.Errorf("counters %q: %v", s, err)
		}
		m[f[i]] = n
	}
	return m
}

func read(t *testing.T, out, phase, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, phase, name))
	if err != nil {
		t.Errorf("%s/%s: evidence missing (did the guest script get this far?): %v", phase, name, err)
	}
	return string(b)
}

func tail(s string) string { return strings.TrimSpace(labtestutil.Tail(s, 30)) }

// prepareShare puts into the share what the guest script needs: vtic, the
// site (keys 0600), the script and the stock configuration.
func prepareShare(t *testing.T, share string) {
	t.Helper()
	vtic := filepath.Join(share, "bin", "vtic")
	labtestutil.BuildVtic(t, vtic)
	site := filepath.Join(share, "site")
	os.RemoveAll(site)
	if err := os.CopyFS(site, os.DirFS(filepath.Join("testdata", "site"))); err != nil {
		t.Fatal(err)
	}
	keys, _ := filepath.Glob(filepath.Join(site, "secrets", "*"))
	for _, k := range keys {
		if err := os.Chmod(k, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := exec.Command(vtic, "validate", site).CombinedOutput(); err != nil {
		t.Fatalf("vtic validate: %v\n%s", err, b)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "routelab.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(share, "routelab.sh"), script, 0o644); err != nil {
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
