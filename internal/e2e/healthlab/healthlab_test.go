package healthlab

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
	"github.com/vtic/vtic/internal/testkit/require"
)

const (
	tunnel = "gw1-gw2"
	device = "vti3"
	mtu    = 1400
)

// TestHealthLab runs testdata/health.sh in the lab VM and judges what it
// left in the share: on a healthy router, vtic status (table and JSON)
// shows the SAs, the device, BGP and the site match, and vtic check
// --repair changes nothing; after each fault, vtic check exits 1 naming
// the tunnel down and why, and one vtic check --repair brings it back
// (exit 0, healthy, ping across the tunnel, CHILD SA installed).
func TestHealthLab(t *testing.T) {
	require.Lab(t, lab.Available)
	require.Programs(t, "dpkg-query") // the stock files
	start := time.Now()
	defer func() { t.Logf("whole test %s", time.Since(start).Round(100*time.Millisecond)) }()
	share := t.TempDir()
	if keep := os.Getenv("VTIC_HEALTHLAB_SHARE"); keep != "" {
		// Keep the evidence for reading after the test.
		share = keep
		if err := os.MkdirAll(share, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	labtestutil.BuildVtic(t, filepath.Join(share, "bin", "vtic"))
	if _, err := lab.WriteStockShare(share); err != nil {
		t.Fatalf("stock configuration files: %v", err)
	}
	copySite(t, filepath.Join("testdata", "site"), filepath.Join(share, "site"))
	script, err := os.ReadFile(filepath.Join("testdata", "health.sh"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	res, err := lab.Run(ctx, lab.Config{
		Script:     string(script),
		ShareDir:   share,
		ConsoleLog: filepath.Join(share, "console.log"),
		// About 5 minutes on an idle machine; the guest's waits add up to
		// more, and a loaded machine (other VMs) makes everything slower.
		Timeout: 14 * time.Minute,
	})
	t.Logf("boot %s, VM %s", res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond))
	for _, m := range labtestutil.Times(res.Output) {
		t.Logf("  %-14s at %5.1fs of the guest script", m.Name, m.Secs)
	}
	if err != nil {
		// Judge what the guest left anyway: it tells how far it got.
		t.Errorf("lab run: %v", err)
	}
	dir := filepath.Join(share, "out")
	t.Run("healthy", func(t *testing.T) { judgeHealthy(evidence{t, dir}) })
	faults := []struct {
		phase  string
		reason string // in vtic check's output
		action string // in vtic check --repair's output
	}{
		{"child", "no installed CHILD SA", "repair: " + tunnel + ": terminating stale IKE SA"},
		{"device", "device " + device + " is missing", "repair: converging devices"},
		{"charon", "charon does not answer on its VICI socket", "repair: restarting charon"},
	}
	for _, f := range faults {
		t.Run(f.phase, func(t *testing.T) {
			judgeFault(evidence{t, dir}, f.phase, f.reason, f.action)
		})
	}
	if t.Failed() {
		t.Logf("guest output:\n%s", res.Output)
		log, _ := os.ReadFile(filepath.Join(share, "out", "gw1.logs", "charon.log"))
		t.Logf("gw1 charon.log (tail):\n%s", labtestutil.Tail(string(log), 40))
	}
}

// judgeHealthy checks the healthy phase.
func judgeHealthy(ev evidence) {
	t := ev.t
	// vtic status, the table.
	if rc := ev.rc("healthy.status"); rc != 0 {
		t.Errorf("vtic status exited %d:\n%s", rc, ev.text("healthy.status"))
	}
	row := ev.line("healthy.status", tunnel+" ")
	for _, want := range []string{"healthy", fmt.Sprintf("%s up mtu %d", device, mtu), "ESTABLISHED", "INSTALLED", "matches"} {
		if !strings.Contains(row, want) {
			t.Errorf("vtic status: the %s row lacks %q:\n%s", tunnel, want, ev.text("healthy.status"))
		}
	}
	if m := regexp.MustCompile(`Established (\d+) pfx`).FindStringSubmatch(row); m == nil || m[1] == "0" {
		t.Errorf("vtic status: the %s row shows no BGP session with prefixes received:\n%s", tunnel, ev.text("healthy.status"))
	}

	// vtic status --json.
	if rc := ev.rc("healthy.status-json"); rc != 0 {
		t.Errorf("vtic status --json exited %d: %s", rc, ev.text("healthy.status-json"))
	}
	var rows []statusRow
	if err := json.Unmarshal([]byte(ev.text("healthy.status-json")), &rows); err != nil {
		t.Fatalf("vtic status --json: %v:\n%s", err, ev.text("healthy.status-json"))
	}
	if len(rows) != 1 || rows[0].Tunnel != tunnel {
		t.Fatalf("vtic status --json: want one tunnel %s, got:\n%s", tunnel, ev.text("healthy.status-json"))
	}
	r, o := rows[0], rows[0].Observation
	checks := []struct {
		what      string
		got, want any
	}{
		{"verdict", r.Verdict, "healthy"},
		{"matches_site", r.MatchesSite, true},
		{"charon_up", o.CharonUp, true},
		{"ike_sa.state", o.IKE.State, "ESTABLISHED"},
		{"child_sa.state", o.Child.State, "INSTALLED"},
		{"child_sa.count at least 1", o.Child.Count >= 1, true},
		{"device.exists", o.Device.Exists, true},
		{"device.up", o.Device.Up, true},
		{"device.is_vti", o.Device.IsVTI, true},
		{"device.mtu", o.Device.MTU, mtu},
		{"device.key", o.Device.Key, 20},
		{"bgp.state", o.BGP.State, "Established"},
		{"bgp.neighbor", o.BGP.Neighbor, "169.254.20.2"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("vtic status --json: %s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if o.BGP.PrefixesReceived < 1 {
		t.Errorf("vtic status --json: bgp.prefixes_received = %d, want at least 1 (10.2.0.0/16)", o.BGP.PrefixesReceived)
	}
	// The tunnel has carried BGP for a while: its SAs and session have an
	// age and the device has counted packets both ways.
	if o.IKE.AgeSeconds < 1 || o.BGP.UptimeSeconds < 1 {
		t.Errorf("vtic status --json: ike_sa.age_seconds = %d, bgp.uptime_seconds = %d, want both > 0", o.IKE.AgeSeconds, o.BGP.UptimeSeconds)
	}
	if o.Device.RxPackets == 0 || o.Device.TxPackets == 0 || o.Child.BytesIn == 0 {
		t.Errorf("vtic status --json: no traffic counted: device rx/tx packets %d/%d, child_sa bytes_in %d",
			o.Device.RxPackets, o.Device.TxPackets, o.Child.BytesIn)
	}

	// vtic check, and vtic check --repair that does nothing.
	if rc, out := ev.rc("healthy.check"), ev.text("healthy.check"); rc != 0 || !hasLine(out, tunnel+": healthy") {
		t.Errorf("vtic check on a healthy router exited %d, want 0 and %q:\n%s", rc, tunnel+": healthy", out)
	}
	out := ev.text("healthy.repair")
	if rc := ev.rc("healthy.repair"); rc != 0 || !hasLine(out, tunnel+": healthy") {
		t.Errorf("vtic check --repair on a healthy router exited %d:\n%s", rc, out)
	}
	if strings.Contains(out, "repair:") {
		t.Errorf("vtic check --repair acted on a healthy router:\n%s", out)
	}
	before, after := saIDs(ev.text("healthy.sas-before")), saIDs(ev.text("healthy.sas-after"))
	if len(before) < 2 || !slices.Equal(before, after) {
		t.Errorf("SA unique ids (IKE and CHILD) before vtic check --repair %v, after %v; want the same, at least two\nbefore:\n%s\nafter:\n%s",
			before, after, ev.text("healthy.sas-before"), ev.text("healthy.sas-after"))
	}
}

// judgeFault checks one fault phase: detected, then repaired in one run.
func judgeFault(ev evidence, phase, reason, action string) {
	t := ev.t
	if out := ev.text(phase + ".fault"); ev.rc(phase+".fault") != 0 && phase != "child" {
		// swanctl --terminate --timeout reports the timeout it was asked
		// for; the other faults must have happened.
		t.Fatalf("the fault did not happen:\n%s", out)
	}
	check := ev.text(phase + ".check")
	if rc := ev.rc(phase + ".check"); rc != 1 {
		t.Errorf("vtic check exited %d, want 1:\n%s", rc, check)
	}
	if !hasLine(check, tunnel+": down") || !strings.Contains(check, reason) {
		t.Errorf("vtic check: want %q and the reason %q:\n%s", tunnel+": down", reason, check)
	}

	repair := ev.text(phase + ".repair")
	if rc := ev.rc(phase + ".repair"); rc != 0 {
		t.Errorf("vtic check --repair exited %d, want 0:\n%s", rc, repair)
	}
	if !strings.Contains(repair, action) {
		t.Errorf("vtic check --repair: want %q:\n%s", action, repair)
	}
	if last := lastVerdict(repair); last != tunnel+": healthy" {
		t.Errorf("vtic check --repair ended with %q, want %q:\n%s", last, tunnel+": healthy", repair)
	}
	if err := lab.PingReplied(ev.text(phase + ".ping")); err != nil {
		t.Errorf("ping across the tunnel after the repair: %v", err)
	}
	if err := lab.ChildSAInstalled(ev.text(phase+".sas"), tunnel); err != nil {
		t.Errorf("after the repair: %v", err)
	}
}

// statusRow is the part of a `vtic status --json` row the test reads.
type statusRow struct {
	Tunnel      string `json:"tunnel"`
	Verdict     string `json:"verdict"`
	MatchesSite bool   `json:"matches_site"`
	Observation struct {
		CharonUp bool `json:"charon_up"`
		IKE      struct {
			State      string `json:"state"`
			AgeSeconds int64  `json:"age_seconds"`
		} `json:"ike_sa"`
		Child struct {
			State   string `json:"state"`
			BytesIn uint64 `json:"bytes_in"`
			Count   int    `json:"count"`
		} `json:"child_sa"`
		Device struct {
			Exists    bool   `json:"exists"`
			Up        bool   `json:"up"`
			IsVTI     bool   `json:"is_vti"`
			MTU       int    `json:"mtu"`
			Key       uint32 `json:"key"`
			RxPackets uint64 `json:"rx_packets"`
			TxPackets uint64 `json:"tx_packets"`
		} `json:"device"`
		BGP struct {
			Neighbor         string `json:"neighbor"`
			State            string `json:"state"`
			PrefixesReceived int    `json:"prefixes_received"`
			UptimeSeconds    int64  `json:"uptime_seconds"`
		} `json:"bgp"`
	} `json:"observation"`
}

// evidence reads what the guest script left in /share/out.
type evidence struct {
	t   *testing.T
	dir string
}

func (e evidence) text(name string) string {
	b, err := os.ReadFile(filepath.Join(e.dir, name+".txt"))
	if err != nil {
		e.t.Errorf("evidence missing: %v", err)
	}
	return string(b)
}

// rc is a command's exit status, or -1 when it is missing.
func (e evidence) rc(name string) int {
	b, err := os.ReadFile(filepath.Join(e.dir, name+".rc"))
	if err != nil {
		e.t.Errorf("evidence missing: %v", err)
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		e.t.Errorf("%s.rc: %v", name, err)
		return -1
	}
	return n
}

// line is the first line of a file that starts with prefix.
func (e evidence) line(name, prefix string) string {
	for _, l := range strings.Split(e.text(name), "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

func hasLine(text, line string) bool {
	return slices.Contains(strings.Split(text, "\n"), line)
}

// lastVerdict is the last "TUNNEL: verdict" line of vtic check's output.
func lastVerdict(out string) string {
	last := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, tunnel+": ") {
			last = l
		}
	}
	return last
}

var saID = regexp.MustCompile(`^\s*` + regexp.QuoteMeta(tunnel) + `: #(\d+),`)

// saIDs lists the unique ids of the tunnel's IKE and CHILD SAs in
// `swanctl --list-sas` output, in order.
func saIDs(listSAs string) []string {
	var ids []string
	for _, l := range strings.Split(listSAs, "\n") {
		if m := saID.FindStringSubmatch(l); m != nil {
			ids = append(ids, m[1])
		}
	}
	return ids
}

// copySite copies the site into the share, with its key file private as
// vtic wants it (git does not keep the mode).
func copySite(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if filepath.Base(filepath.Dir(p)) == "secrets" {
			mode = 0o600
		}
		return os.WriteFile(to, b, mode)
	})
	if err != nil {
		t.Fatalf("copy site: %v", err)
	}
}
