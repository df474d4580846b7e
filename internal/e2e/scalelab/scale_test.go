package scalelab

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
	"github.com/vtic/vtic/internal/testkit/require"
)

// DefaultN is the tunnel count of the run in the normal test suite, small
// enough to keep it cheap and large enough to exercise every path.
const DefaultN = 20

// RatioFrom is the tunnel count from which the speed-up is asserted;
// below it the ratio is only recorded (process start-up and the fixed
// costs of an apply dominate small runs).
const RatioFrom = 1000

// MinRatio is the speed-up asserted at RatioFrom tunnels and more.
const MinRatio = 10

// TestScaleLab boots the lab VM and measures N VTIs (VTIC_SCALE_N, default
// DefaultN) made the seed's way and by vtic apply, then a no-op re-apply;
// see testdata/scale.sh for what each side includes. VTIC_SCALE_SHARE=DIR
// keeps the share (inputs, evidence, console log) in DIR.
func TestScaleLab(t *testing.T) {
	require.Lab(t, lab.Available)
	require.Programs(t, "dpkg-query") // the stock files
	n := DefaultN
	if s := os.Getenv("VTIC_SCALE_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 || n > MaxTunnels {
			t.Fatalf("VTIC_SCALE_N=%q: want 1..%d", s, MaxTunnels)
		}
	}
	share := os.Getenv("VTIC_SCALE_SHARE")
	if share == "" {
		share = t.TempDir()
	} else if err := os.MkdirAll(share, 0o755); err != nil {
		t.Fatal(err)
	}
	testStart := time.Now()
	hostBuild := prepareShare(t, share, n)

	// The shell side costs 4 execs per tunnel, 0.1-0.7 s each under TCG on
	// a loaded machine.
	timeout := 10*time.Minute + time.Duration(n)*4*time.Second
	if d, ok := t.Deadline(); ok && time.Until(d) < timeout+time.Minute {
		t.Logf("the test deadline leaves %s; the run may need up to %s (go test -timeout)", time.Until(d).Round(time.Second), timeout)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout+time.Minute)
	defer cancel()
	load := loadAverage()
	res, err := lab.Run(ctx, lab.Config{
		ScriptPath: "scale.sh",
		ShareDir:   share,
		ConsoleLog: filepath.Join(share, "console.log"),
		Timeout:    timeout,
	})
	t.Logf("N=%d: boot %s, VM %s, whole test %s; host load average before %s, after %s",
		n, res.BootTime.Round(100*time.Millisecond), res.Duration.Round(100*time.Millisecond),
		time.Since(testStart).Round(time.Second), load, loadAverage())
	if err != nil {
		t.Fatalf("lab run: %v\noutput:\n%s", err, labtestutil.Tail(res.Output, 40))
	}
	r, err := parseReport(res.Output)
	if err != nil {
		t.Fatalf("%v\noutput:\n%s", err, res.Output)
	}
	if r.fail != "" {
		t.Fatalf("guest: %s\noutput:\n%s", r.fail, res.Output)
	}
	s := r.summary(n)
	s.hostBuild = hostBuild
	t.Log("\n" + s.String())

	checkSameDevices(t, share, n)
	checkNoop(t, share, r)
	if n >= RatioFrom && s.ratio < MinRatio {
		t.Errorf("vtic apply of %d tunnels took %.1f s, the shell %.1f s: %.1f× faster, want at least %d×", n, s.vtic, s.shell, s.ratio, MinRatio)
	}
}

// prepareShare writes the guest's inputs (see testdata/scale.sh) and
// returns how long `vtic build` of the N-tunnel site took on the host.
func prepareShare(t *testing.T, share string, n int) time.Duration {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", "scale.sh"))
	if err != nil {
		t.Fatal(err)
	}
	env := fmt.Sprintf("N=%d\nLOCAL=%s\nMTU=%d\n", n, LocalAddr, MTU)
	for name, data := range map[string]string{"scale.sh": string(script), "scale.env": env} {
		if err := os.WriteFile(filepath.Join(share, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"res", "out", "out0", "site", "site0"} {
		if err := os.RemoveAll(filepath.Join(share, d)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lab.WriteStockShare(share); err != nil {
		t.Fatalf("stock configuration files: %v", err)
	}
	if err := WriteTunnelList(filepath.Join(share, "tunnels.txt"), n); err != nil {
		t.Fatal(err)
	}
	if err := WriteSite(filepath.Join(share, "site0"), 0); err != nil {
		t.Fatal(err)
	}
	if err := WriteSite(filepath.Join(share, "site"), n); err != nil {
		t.Fatal(err)
	}
	vtic := filepath.Join(share, "vtic")
	labtestutil.BuildVtic(t, vtic)
	run := func(args ...string) {
		if out, err := exec.Command(vtic, args...).CombinedOutput(); err != nil {
			t.Fatalf("vtic %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("build", filepath.Join(share, "site0"), "-o", filepath.Join(share, "out0"))
	start := time.Now()
	run("build", filepath.Join(share, "site"), "-o", filepath.Join(share, "out"))
	build := time.Since(start)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := copyFile(self, filepath.Join(share, "scalelab.test"), 0o755); err != nil {
		t.Fatal(err)
	}
	return build
}

func copyFile(from, to string, mode os.FileMode) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// report is what the guest printed.
type report struct {
	marks  map[string]float64           // SCALE-MARK name -> uptime
	driver map[string]map[string]string // SCALE-DRIVER label -> key -> value
	info   []string
	fail   string
}

func parseReport(out string) (report, error) {
	r := report{marks: map[string]float64{}, driver: map[string]map[string]string{}}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "SCALE-MARK":
			if len(f) != 3 {
				return r, fmt.Errorf("bad mark line %q", sc.Text())
			}
			v, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				return r, fmt.Errorf("bad mark line %q", sc.Text())
			}
			r.marks[f[1]] = v
		case "SCALE-DRIVER":
			kv := map[string]string{}
			for _, p := range f[2:] {
				k, v, _ := strings.Cut(p, "=")
				kv[k] = v
			}
			r.driver[f[1]] = kv
		case "SCALE-INFO":
			r.info = append(r.info, strings.Join(f[1:], " "))
		case "SCALE-FAIL":
			r.fail = strings.Join(f[1:], " ")
		}
	}
	return r, sc.Err()
}

// span is the time between two marks, or -1 if one is missing.
func (r report) span(from, to string) float64 {
	a, ok1 := r.marks[from]
	b, ok2 := r.marks[to]
	if !ok1 || !ok2 {
		return -1
	}
	return b - a
}

func (r report) driverFloat(label, key string) float64 {
	v, err := strconv.ParseFloat(r.driver[label][key], 64)
	if err != nil {
		return -1
	}
	return v
}

// summary holds the figures of one run.
type summary struct {
	n                          int
	shell, vtic, driver        float64
	noop, noopSite, noopDriver float64
	ratio                      float64
	hostBuild                  time.Duration
	create, noopCounts         map[string]string
	info                       []string
}

func (r report) summary(n int) summary {
	s := summary{
		n:          n,
		shell:      r.span("seed-start", "seed-end"),
		vtic:       r.span("cli-start", "cli-end"),
		driver:     r.span("drv-start", "drv-end"),
		noop:       r.span("noop-start", "noop-end"),
		noopSite:   r.span("noop-site-start", "noop-site-end"),
		noopDriver: r.span("noop-drv-start", "noop-drv-end"),
		create:     r.driver["create"],
		noopCounts: r.driver["noop"],
		info:       r.info,
	}
	if s.vtic > 0 {
		s.ratio = s.shell / s.vtic
	}
	return s
}

func (s summary) String() string {
	var b strings.Builder
	per := func(secs float64) string { return fmt.Sprintf("%.1f ms/tunnel", 1000*secs/float64(s.n)) }
	fmt.Fprintf(&b, "N = %d tunnels (guest clock, /proc/uptime, 10 ms resolution)\n", s.n)
	fmt.Fprintf(&b, "  shell, 4 processes per tunnel   %8.2f s  (%s)\n", s.shell, per(s.shell))
	fmt.Fprintf(&b, "  vtic apply --from (whole CLI)   %8.2f s  (%s)  ratio %.1f×\n", s.vtic, per(s.vtic), s.ratio)
	fmt.Fprintf(&b, "  same apply, metered driver      %8.2f s\n", s.driver)
	if c := s.create; c != nil {
		fmt.Fprintf(&b, "    in-process %s s, %s actions: netlink writes %s (%s s), sysctl writes %s (%s s), kernel reads %s (%s s),\n",
			c["total_s"], c["actions"], c["netlink_writes"], c["netlink_writes_s"], c["sysctl_writes"], c["sysctl_writes_s"], c["kernel_reads"], c["kernel_reads_s"])
		fmt.Fprintf(&b, "    charon writes %s (%s s), charon reads %s (%s s), iptables reads %s (%s s), iptables-restore %s (%s s), files changed %s\n",
			c["charon_writes"], c["charon_writes_s"], c["charon_reads"], c["charon_reads_s"], c["firewall_reads"], c["firewall_reads_s"], c["firewall_restores"], c["firewall_restores_s"], c["files_changed"])
		dev := parse(c["netlink_writes_s"]) + parse(c["sysctl_writes_s"])
		if dev > 0 {
			fmt.Fprintf(&b, "    device writes alone %.2f s: shell/device writes %.0f×\n", dev, s.shell/dev)
		}
	}
	fmt.Fprintf(&b, "  no-op re-apply --from (CLI)     %8.2f s\n", s.noop)
	fmt.Fprintf(&b, "  no-op re-apply from the site    %8.2f s\n", s.noopSite)
	fmt.Fprintf(&b, "  no-op, metered driver           %8.2f s", s.noopDriver)
	if c := s.noopCounts; c != nil {
		fmt.Fprintf(&b, " (in-process %s s): actions %s, netlink writes %s, sysctl writes %s, charon writes %s, iptables-restore %s, FRR reloads %s, files changed %s",
			c["total_s"], c["actions"], c["netlink_writes"], c["sysctl_writes"], c["charon_writes"], c["firewall_restores"], c["frr_reloads"], c["files_changed"])
	}
	fmt.Fprintf(&b, "\n  host: vtic build of the site %s\n", s.hostBuild.Round(time.Millisecond))
	for _, i := range s.info {
		fmt.Fprintf(&b, "  guest: %s\n", i)
	}
	return b.String()
}

func parse(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return v
}

// vtiDevice is what both ways must agree on, from `ip -d -j addr show`.
type vtiDevice struct {
	Name, Local, Remote, IKey, OKey string
	MTU                             int
	Up                              bool
	Addrs                           []string
}

func readDevices(path string) (map[string]vtiDevice, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var links []struct {
		Ifname   string   `json:"ifname"`
		Flags    []string `json:"flags"`
		MTU      int      `json:"mtu"`
		LinkInfo struct {
			Kind string         `json:"info_kind"`
			Data map[string]any `json:"info_data"`
		} `json:"linkinfo"`
		AddrInfo []struct {
			Family    string `json:"family"`
			Local     string `json:"local"`
			PrefixLen int    `json:"prefixlen"`
		} `json:"addr_info"`
	}
	if err := json.Unmarshal(data, &links); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]vtiDevice{}
	for _, l := range links {
		// ip_vti0 is the namespace's fallback device, made by the module.
		if l.LinkInfo.Kind != "vti" || l.Ifname == "ip_vti0" {
			continue
		}
		d := vtiDevice{Name: l.Ifname, MTU: l.MTU}
		str := func(k string) string { return fmt.Sprint(l.LinkInfo.Data[k]) }
		d.Local, d.Remote, d.IKey, d.OKey = str("local"), str("remote"), str("ikey"), str("okey")
		for _, f := range l.Flags {
			if f == "UP" {
				d.Up = true
			}
		}
		for _, a := range l.AddrInfo {
			if a.Family == "inet" {
				d.Addrs = append(d.Addrs, fmt.Sprintf("%s/%d", a.Local, a.PrefixLen))
			}
		}
		out[d.Name] = d
	}
	return out, nil
}

// checkSameDevices compares the VTIs of the seed's way and of vtic, and
// both with the generated tunnels.
func checkSameDevices(t *testing.T, share string, n int) {
	t.Helper()
	seed, err := readDevices(filepath.Join(share, "res", "seed.addr.json"))
	if err != nil {
		t.Fatal(err)
	}
	cli, err := readDevices(filepath.Join(share, "res", "cli.addr.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(seed) != n || len(cli) != n {
		t.Errorf("want %d VTIs on each side; the shell made %d, vtic %d", n, len(seed), len(cli))
	}
	bad := 0
	for _, tu := range Tunnels(n) {
		s, c := seed[tu.Interface], cli[tu.Interface]
		if fmt.Sprint(s) != fmt.Sprint(c) || c.Remote != tu.Remote.String() || c.Local != LocalAddr || c.MTU != MTU || !c.Up ||
			len(c.Addrs) != 1 || c.Addrs[0] != tu.Inside.String() {
			if bad++; bad <= 5 {
				t.Errorf("%s: shell made %+v, vtic %+v; want remote %s inside %s mtu %d up", tu.Interface, s, c, tu.Remote, tu.Inside, MTU)
			}
		}
	}
	for _, ns := range []string{"seed", "cli"} {
		data, err := os.ReadFile(filepath.Join(share, "res", ns+".sysctl.txt"))
		if err != nil {
			t.Fatal(err)
		}
		ones := strings.Count(string(data), "/disable_policy 1\n")
		if ones != n {
			t.Errorf("%s: %d VTIs with disable_policy=1, want %d", ns, ones, n)
		}
	}
}

// checkNoop checks the re-applies: both CLI runs said so, the files under
// the root and the devices (ifindex included) did not change, and the
// driver counted no write of any kind.
func checkNoop(t *testing.T, share string, r report) {
	t.Helper()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(share, "res", name))
		if err != nil {
			t.Error(err)
		}
		return string(b)
	}
	for _, name := range []string{"cli.noop.txt", "cli.noop-site.txt"} {
		if out := read(name); !strings.Contains(out, "r1: no changes.") {
			t.Errorf("%s: want \"r1: no changes.\", got:\n%s", name, labtestutil.Tail(out, 20))
		}
	}
	if b, a := read("cli.files.before"), read("cli.files.after"); b != a {
		t.Errorf("the no-op apply changed files under the root:\n%s", lineDiff(b, a))
	}
	if b, a := read("cli.addr.json"), read("cli.addr.after.json"); b != a {
		t.Errorf("the no-op apply changed devices or addresses")
	}
	c := r.driver["noop"]
	if c == nil {
		t.Fatalf("no SCALE-DRIVER noop line")
	}
	for _, k := range []string{"actions", "files_changed", "netlink_writes", "sysctl_writes", "charon_writes", "firewall_restores", "frr_reloads"} {
		if c[k] != "0" {
			t.Errorf("no-op driver: %s=%s, want 0", k, c[k])
		}
	}
}

func lineDiff(a, b string) string {
	in := map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		in[l] = true
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if !in[l] {
			out = append(out, "+ "+l)
		}
	}
	return labtestutil.Tail(strings.Join(out, "\n"), 20)
}

func loadAverage() string {
	if runtime.GOOS != "linux" {
		return "?"
	}
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
