//go:build wip

package halab

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
	"github.com/vtic/vtic/internal/testkit/require"
)

// The targets: a failover between two tunnels watched by BFD, and
// one from a pair's primary router to its backup.
const (
	maxBFDGap  = 3 * time.Second
	maxPairGap = 10 * time.Second
)

// TestHALab boots the lab once, runs testdata/halab.sh and judges each
// scenario from the evidence it left (see the package doc).
func TestHALab(t *testing.T) {
	require.Lab(t, lab.Available)
	start := time.Now()
	defer func() { t.Logf("whole test %s", time.Since(start).Round(100*time.Millisecond)) }()
	share := os.Getenv("VTIC_LAB_SHARE")
	if share == "" {
		share = t.TempDir()
	}
	prepareShare(t, share)

	ctx, cancel := context.WithTimeout(context.Background(), 32*time.Minute)
	defer cancel()
	res, err := lab.Run(ctx, lab.Config{
		ScriptPath: "halab.sh",
		ShareDir:   share,
		ConsoleLog: filepath.Join(share, "console.log"),
		Timeout:    30 * time.Minute,
	})
	t.Logf("boot %s, VM %s", res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond))
	for _, m := range labtestutil.Times(res.Output) {
		t.Logf("  %-16s at %6.1fs of the guest script", m.Name, m.Secs)
	}
	if err != nil {
		t.Fatalf("lab run: %v", err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("guest output:\n%s\nevidence: %s/out (set VTIC_LAB_SHARE to keep it)", res.Output, share)
		}
	}()
	t.Run("bfd", func(t *testing.T) { checkBFD(t, filepath.Join(share, "out", "bfd")) })
	t.Run("pair", func(t *testing.T) { checkPair(t, filepath.Join(share, "out", "pair")) })
}

func prepareShare(t *testing.T, share string) {
	t.Helper()
	labtestutil.BuildVtic(t, filepath.Join(share, "bin", "vtic"))
	site := filepath.Join(share, "site")
	os.RemoveAll(site)
	copyDir(t, filepath.Join("testdata", "site"), site, 0o644)
	copyDir(t, filepath.Join("testdata", "secrets"), filepath.Join(site, "secrets"), 0o600)
	pair := filepath.Join(share, "pair")
	os.RemoveAll(pair)
	copyDir(t, filepath.Join("testdata", "pair"), pair, 0o644)
	copyDir(t, filepath.Join("testdata", "secrets"), filepath.Join(pair, "secrets"), 0o600)
	os.RemoveAll(filepath.Join(share, "peer"))
	copyDir(t, filepath.Join("testdata", "peer"), filepath.Join(share, "peer"), 0o644)
	os.RemoveAll(filepath.Join(share, "out"))
	script, err := os.ReadFile(filepath.Join("testdata", "halab.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(share, "halab.sh"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	stock := filepath.Join(share, "stock")
	os.RemoveAll(stock)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	if _, err := lab.StockEtc(stock, filepath.Join(cache, "vtic-lab", "debs"), "frr", "strongswan.conf", "strongswan.d", "swanctl"); err != nil {
		t.Fatalf("stock configuration files: %v", err)
	}
}

func checkApplied(t *testing.T, ev string, routers ...string) {
	t.Helper()
	for _, r := range routers {
		if rc := strings.TrimSpace(read(t, ev, r+".apply.rc")); rc != "0" {
			t.Fatalf("vtic apply on %s exited %s:\n%s\n%s", r, rc, read(t, ev, r+".apply.out"), read(t, ev, r+".apply.err"))
		}
	}
}

func checkBFD(t *testing.T, ev string) {
	checkApplied(t, ev, "branch")
	if !strings.Contains(read(t, ev, "daemons.txt"), "\nbfdd=yes") {
		t.Errorf("apply left bfdd disabled in /etc/frr/daemons")
	}
	if !strings.Contains(read(t, ev, "processes.txt"), "/usr/lib/frr/bfdd") {
		t.Errorf("bfdd does not run on branch:\n%s", read(t, ev, "processes.txt"))
	}
	before := statusOf(t, ev, "status-before.json")
	for _, name := range []string{"branch-t1", "branch-t2"} {
		if s := before[name]; s.BGP != "Established" || s.BFD != "Up" {
			t.Errorf("before the failure, vtic status shows %s with BGP %q and BFD %q; want Established and Up", name, s.BGP, s.BFD)
		}
	}
	primary := strings.Fields(read(t, ev, "primary.txt"))
	if len(primary) != 2 {
		t.Fatalf("primary.txt: %q", read(t, ev, "primary.txt"))
	}
	dead := map[string]string{"vti1": "branch-t1", "vti2": "branch-t2"}[primary[0]]
	if dead == "" {
		t.Fatalf("before the failure the peer's LAN is routed through %s, not a tunnel:\n%s", primary[0], read(t, ev, "route-before.json"))
	}
	after := strings.TrimSpace(read(t, ev, "route-after.json"))
	if !strings.Contains(after, `"dev":"vti`) || strings.Contains(after, `"dev":"`+primary[0]+`"`) {
		t.Errorf("after the failure the peer's LAN is routed %s; want the other tunnel than %s", after, primary[0])
	}
	if s := statusOf(t, ev, "status-after.json")[dead]; s.BFD == "Up" || s.Verdict == "healthy" {
		t.Errorf("after the failure vtic status shows %s %s with BFD %q; want BFD down and the tunnel not healthy", dead, s.Verdict, s.BFD)
	}

	drop, err := strconv.ParseFloat(strings.TrimSpace(read(t, ev, "drop.time")), 64)
	if err != nil {
		t.Fatalf("drop.time: %v", err)
	}
	p := parsePing(t, read(t, ev, "ping.txt"))
	gap := p.gapAround(drop)
	t.Logf("failover: the longest silence around the ESP drop is %s; %d of %d pings lost (%s at 50 ms each)",
		gap.Round(time.Millisecond), p.sent-len(p.replies), p.sent, (time.Duration(p.sent-len(p.replies)) * 50 * time.Millisecond).Round(time.Millisecond))
	if len(p.replies) == 0 || p.replies[len(p.replies)-1] < drop+1 {
		t.Fatalf("no reply well after the drop: traffic never moved to the other tunnel\n%s", labtestutil.Tail(read(t, ev, "ping.txt"), 20))
	}
	if gap > maxBFDGap {
		t.Errorf("failover took %s; want at most %s", gap.Round(time.Millisecond), maxBFDGap)
	}
}

func checkPair(t *testing.T, ev string) {
	checkApplied(t, ev, "gwa", "gwb", "far")
	for _, r := range []string{"gwa", "gwb"} {
		if !strings.Contains(read(t, ev, r+".processes.txt"), "/usr/sbin/keepalived") {
			t.Errorf("keepalived does not run on %s:\n%s", r, read(t, ev, r+".processes.txt"))
		}
	}
	if !strings.Contains(read(t, ev, "gwa.keepalived.conf"), "priority 150") || !strings.Contains(read(t, ev, "gwb.keepalived.conf"), "priority 100") {
		t.Errorf("keepalived.conf of gwa and gwb lack the pair's priorities")
	}
	if !strings.Contains(read(t, ev, "gwa.lan0-before.txt"), " 10.5.0.1/16 ") || strings.Contains(read(t, ev, "gwb.lan0-before.txt"), " 10.5.0.1/16 ") {
		t.Fatalf("before the failure the gateway address is not on gwa alone:\ngwa: %s\ngwb: %s", read(t, ev, "gwa.lan0-before.txt"), read(t, ev, "gwb.lan0-before.txt"))
	}
	for _, name := range []string{"far-gwa", "far-gwb"} {
		if s := statusOf(t, ev, "far-status-before.json")[name]; s.BGP != "Established" || s.BFD != "Up" {
			t.Errorf("before the failure far's %s has BGP %q and BFD %q", name, s.BGP, s.BFD)
		}
	}
	if !strings.Contains(read(t, ev, "gwb.lan0-after.txt"), " 10.5.0.1/16 ") {
		t.Errorf("after gwa died gwb does not hold the gateway address:\n%s", read(t, ev, "gwb.lan0-after.txt"))
	}
	if s := statusOf(t, ev, "far-status-after.json")["far-gwa"]; s.BFD == "Up" {
		t.Errorf("after gwa died far still shows BFD up to it")
	}
	kill, err := strconv.ParseFloat(strings.TrimSpace(read(t, ev, "kill.time")), 64)
	if err != nil {
		t.Fatalf("kill.time: %v", err)
	}
	p := parsePing(t, read(t, ev, "ping.txt"))
	gap := p.gapAround(kill)
	t.Logf("pair failover: the longest silence around gwa's death is %s; %d of %d pings lost (%s at 50 ms each)",
		gap.Round(time.Millisecond), p.sent-len(p.replies), p.sent, (time.Duration(p.sent-len(p.replies)) * 50 * time.Millisecond).Round(time.Millisecond))
	if len(p.replies) == 0 || p.replies[len(p.replies)-1] < kill+1 {
		t.Fatalf("no reply well after gwa died: the host's traffic never moved to gwb\n%s", labtestutil.Tail(read(t, ev, "ping.txt"), 20))
	}
	if gap > maxPairGap {
		t.Errorf("pair failover took %s; want at most %s", gap.Round(time.Millisecond), maxPairGap)
	}
}

// tunnelState is what vtic status --json says of one tunnel.
type tunnelState struct {
	Verdict  string
	BGP, BFD string
}

func statusOf(t *testing.T, ev, name string) map[string]tunnelState {
	t.Helper()
	var rows []struct {
		Tunnel      string `json:"tunnel"`
		Verdict     string `json:"verdict"`
		Observation struct {
			BGP *struct {
				State string `json:"state"`
				BFD   string `json:"bfd"`
			} `json:"bgp"`
		} `json:"observation"`
	}
	if err := json.Unmarshal([]byte(read(t, ev, name)), &rows); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, read(t, ev, name))
	}
	out := map[string]tunnelState{}
	for _, r := range rows {
		s := tunnelState{Verdict: r.Verdict}
		if b := r.Observation.BGP; b != nil {
			s.BGP, s.BFD = b.State, b.BFD
		}
		out[r.Tunnel] = s
	}
	return out
}

// ping is the output of `ping -D`: when each reply came, in seconds of the
// guest's clock, and how many requests went out.
type ping struct {
	replies []float64
	sent    int
}

func parsePing(t *testing.T, text string) ping {
	t.Helper()
	var p ping
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "[") && strings.Contains(line, " bytes from ") {
			end := strings.IndexByte(line, ']')
			if ts, err := strconv.ParseFloat(line[1:end], 64); err == nil {
				p.replies = append(p.replies, ts)
			}
		}
		if i := strings.Index(line, " packets transmitted"); i > 0 {
			p.sent, _ = strconv.Atoi(line[:i])
		}
	}
	if p.sent == 0 {
		t.Fatalf("ping printed no summary:\n%s", labtestutil.Tail(text, 20))
	}
	return p
}

// gapAround is the longest time between two replies from 1 s before the
// drop on.
func (p ping) gapAround(drop float64) time.Duration {
	var gap float64
	for i := 1; i < len(p.replies); i++ {
		if p.replies[i] < drop-1 {
			continue
		}
		if d := p.replies[i] - p.replies[i-1]; d > gap {
			gap = d
		}
	}
	return time.Duration(gap * float64(time.Second))
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("evidence: %v", err)
	}
	return string(b)
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
