package main

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	textdiff "github.com/rogpeppe/go-internal/diff"
	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/apply/netdev"
)

// fakeRouter replaces the live system with fakes for the test's duration
// and returns them.
type fakeRouter struct {
	kernel *netdev.Fake
	charon *charon.Fake
	frr    *frrreload.Fake
	fw     *firewall.Fake
	config apply.Config
}

func useFakeRouter(t *testing.T) *fakeRouter {
	t.Helper()
	k := netdev.NewFake()
	k.PutLink(netdev.Link{Name: "eth0", Kind: "device", Up: true, MTU: 1500,
		Addrs: []netip.Prefix{netip.MustParsePrefix("192.0.2.1/24")}})
	r := &fakeRouter{kernel: k, charon: charon.NewFake(), frr: frrreload.NewFake(), fw: firewall.NewFake()}
	old := newSystem
	newSystem = func(c apply.Config) (apply.System, func(), error) {
		r.config = c
		return apply.System{Root: c.Root, Kernel: r.kernel, Charon: r.charon, FRR: r.frr, Firewall: r.fw}, func() {}, nil
	}
	t.Cleanup(func() { newSystem = old })
	return r
}

// vtic runs the command in this process and returns its exit code and
// output streams.
func vtic(t *testing.T, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return environ[k] }}
	code := run(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

// examples returns a copy of the two-routers example whose key files have
// mode 0600: git does not keep file modes, so in a fresh clone they are
// 0644 and the site would warn about them.
func examples(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "two-routers")
	if err := os.CopyFS(dir, os.DirFS("../../examples/two-routers")); err != nil {
		t.Fatal(err)
	}
	keys, _ := filepath.Glob(filepath.Join(dir, "secrets", "*.psk"))
	for _, k := range keys {
		if err := os.Chmod(k, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestApplySite(t *testing.T) {
	r := useFakeRouter(t)
	root := t.TempDir()
	code, out, errOut := vtic(t, nil, "apply", "--host", "gw1", "--root", root, examples(t))
	if code != 0 || !strings.Contains(out, "gw1: applied") || !strings.Contains(out, "  charon: load-conn gw1-gw2") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if r.config.VICI != "unix:///var/run/charon.vici" || r.config.CharonRestart != "systemctl restart strongswan" || r.config.CharonStart != "auto" ||
		strings.Join(r.config.FRRReload, " ") != "/usr/lib/frr/frr-reload.py" {
		t.Errorf("default daemon settings: %+v", r.config)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/swanctl/conf.d/vtic.conf")); err != nil {
		t.Error(err)
	}
	code, out, errOut = vtic(t, nil, "apply", "--host", "gw1", "--root", root, examples(t))
	if code != 0 || out != "gw1: no changes.\n" || errOut != "" {
		t.Fatalf("second apply: exit %d\n%s%s", code, out, errOut)
	}
}

func TestApplyDryRun(t *testing.T) {
	useFakeRouter(t)
	root := t.TempDir()
	code, out, errOut := vtic(t, nil, "apply", "--host", "gw2", "--root", root, "--dry-run", examples(t))
	if code != 0 || !strings.Contains(out, "gw2: ") || !strings.Contains(out, "(dry run: nothing is changed)") ||
		!strings.Contains(out, "  devices: create vti3 local 203.0.113.1 remote 192.0.2.1 key 20 mtu 1400") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("dry run wrote into the root: %v", entries)
	}
}

// A build output applies the same files as the site it was built from.
func TestApplyFromBuild(t *testing.T) {
	useFakeRouter(t)
	out := filepath.Join(t.TempDir(), "out")
	if code, o, e := vtic(t, nil, "build", examples(t), "-o", out); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	root := t.TempDir()
	code, o, e := vtic(t, nil, "apply", "--host", "gw1", "--root", root, "--from", filepath.Join(out, "gw1"))
	if code != 0 || !strings.Contains(o, "gw1: applied") {
		t.Fatalf("apply --from: exit %d\n%s%s", code, o, e)
	}
	code, o, e = vtic(t, nil, "apply", "--host", "gw1", "--root", root, examples(t))
	if code != 0 || o != "gw1: no changes.\n" {
		t.Fatalf("apply of the site after its build: exit %d\n%s%s", code, o, e)
	}

	// A file changed after the build is refused before anything happens.
	p := filepath.Join(out, "gw1", "etc/frr/bgpd.conf")
	if err := os.WriteFile(p, []byte("router bgp 1\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	code, o, e = vtic(t, nil, "apply", "--host", "gw1", "--root", root, "--from", filepath.Join(out, "gw1"))
	if code != 1 || !strings.Contains(e, "etc/frr/bgpd.conf has sha256") {
		t.Fatalf("tampered build: exit %d\n%s%s", code, o, e)
	}
	code, o, e = vtic(t, nil, "apply", "--host", "gw2", "--root", root, "--from", filepath.Join(out, "gw1"))
	if code != 1 || !strings.Contains(e, `is for router "gw1", not "gw2"`) {
		t.Fatalf("wrong host: exit %d\n%s%s", code, o, e)
	}
}

func TestApplyUsage(t *testing.T) {
	useFakeRouter(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"apply", examples(t)}, 2, "missing --host NAME"},
		{[]string{"apply", "--host", "gw1", "--from", "x", examples(t)}, 2, "not both"},
		{[]string{"apply", "--host", "gw9", "--root", t.TempDir(), examples(t)}, 1, `no router named "gw9"`},
		{[]string{"apply", "--host", "gw1", "--root", t.TempDir(), "--from", t.TempDir()}, 1, "manifest.json"},
	} {
		code, out, errOut := vtic(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("vtic %v: exit %d\n%s%s\nwant exit %d and %q", tc.args, code, out, errOut, tc.code, tc.want)
		}
	}
}

func TestApplyLocked(t *testing.T) {
	useFakeRouter(t)
	root := t.TempDir()
	p := filepath.Join(root, apply.LockPath)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := vtic(t, nil, "apply", "--host", "gw1", "--root", root, examples(t))
	if code != 1 || !strings.Contains(errOut, "another vtic apply is running") || !strings.Contains(errOut, "--wait") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(root, "etc")); !os.IsNotExist(err) {
		t.Errorf("a locked-out apply wrote files: %v", err)
	}
}

// The crash hook is read from the environment.
func TestApplyCrashHookFromEnv(t *testing.T) {
	useFakeRouter(t)
	code, out, errOut := vtic(t, map[string]string{"VTIC_APPLY_CRASH_AFTER": "nonsense"},
		"apply", "--host", "gw1", "--root", t.TempDir(), examples(t))
	if code != 1 || !strings.Contains(errOut, `unknown crash step "nonsense"`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// A failing step is reported with its name, and the exit status is 1.
func TestApplyStepFailure(t *testing.T) {
	r := useFakeRouter(t)
	r.charon.FailOn("load-conn gw1-gw2", os.ErrPermission)
	root := t.TempDir()
	code, out, errOut := vtic(t, nil, "apply", "--host", "gw1", "--root", root, examples(t))
	if code != 1 || !strings.Contains(errOut, "vtic apply: step charon failed: charon load-conn gw1-gw2") ||
		!strings.Contains(errOut, "rolled back") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/swanctl/conf.d/vtic.conf")); !os.IsNotExist(err) {
		t.Errorf("files left after the rollback: %v", err)
	}
}

// After a reboot the kernel has lost the VTIs, routes, sysctls and
// iptables chains, and charon may not be running; `vtic apply --installed`
// brings them all back from what the last apply installed, without the
// site and without being told the router's name.
func TestApplyInstalledAfterReboot(t *testing.T) {
	r := useFakeRouter(t)
	root := t.TempDir()
	site := examples(t)
	if code, out, errOut := vtic(t, nil, "apply", "--host", "gw1", "--root", root, site); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	want := routerState(t, r)
	if err := os.RemoveAll(site); err != nil {
		t.Fatal(err)
	}

	// The reboot: a kernel with only the underlay, empty tables, and
	// no charon running. FRR loads its own files when it starts.
	r.kernel = netdev.NewFake()
	r.kernel.PutLink(netdev.Link{Name: "eth0", Kind: "device", Up: true, MTU: 1500,
		Addrs: []netip.Prefix{netip.MustParsePrefix("192.0.2.1/24")}})
	r.fw = firewall.NewFake()
	r.charon = charon.NewFake()
	r.charon.SetDown(true)
	r.frr.ResetTranscript()

	code, out, errOut := vtic(t, nil, "apply", "--installed", "--root", root)
	if code != 0 || !strings.Contains(out, "gw1: applied") {
		t.Fatalf("apply --installed: exit %d\n%s%s", code, out, errOut)
	}
	for _, line := range []string{"  devices: create vti", "  firewall: restore etc/vtic/iptables.rules",
		"  charon: start (not running; systemctl start strongswan)", "  charon: load-conn gw1-gw2"} {
		if !strings.Contains(out, line) {
			t.Errorf("the boot apply does not say %q:\n%s", line, out)
		}
	}
	if strings.Contains(out, "files:") || strings.Contains(out, "frr:") {
		t.Errorf("the boot apply changes files or reloads FRR:\n%s", out)
	}
	if got := routerState(t, r); got != want {
		t.Errorf("after the boot apply (-before reboot +after):\n%s", cmpText(want, got))
	}
	if got := r.frr.Transcript(); len(got) != 0 {
		t.Errorf("FRR reloaded at boot: %q", got)
	}
	code, out, errOut = vtic(t, nil, "apply", "--installed", "--root", root)
	if code != 0 || out != "gw1: no changes.\n" {
		t.Fatalf("second apply --installed: exit %d\n%s%s", code, out, errOut)
	}
}

// routerState is everything a reboot loses, as text.
func routerState(t *testing.T, r *fakeRouter) string {
	t.Helper()
	var b strings.Builder
	links, _ := r.kernel.Links()
	for _, l := range links {
		fmt.Fprintf(&b, "link %+v\n", l)
		for _, k := range []string{netdev.SysctlRPFilter, netdev.SysctlDisablePolicy} {
			v, _ := r.kernel.Sysctl(netdev.DevSysctl(l.Name, k))
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
		}
	}
	fwd, _ := r.kernel.Sysctl(netdev.SysctlForward)
	fmt.Fprintf(&b, "forwarding = %s\n", fwd)
	routes, _ := r.kernel.Routes()
	for _, rt := range routes {
		fmt.Fprintf(&b, "route %v via %v\n", rt.Dst, rt.Gateway)
	}
	b.WriteString(r.fw.Dump())
	conns, secrets := r.charon.Loaded()
	fmt.Fprintf(&b, "conns %v\nsecrets %v\n", conns, secrets)
	return b.String()
}

func cmpText(a, b string) string {
	return string(textdiff.Diff("before", []byte(a), "after", []byte(b)))
}

func TestApplyInstalledUsage(t *testing.T) {
	useFakeRouter(t)
	root := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"apply", "--installed", examples(t)}, 2, "--installed applies what is installed"},
		{[]string{"apply", "--installed", "--from", "x"}, 2, "--installed applies what is installed"},
		{[]string{"apply", "--installed", "--root", root}, 1, "vtic apply has not run on this router"},
	} {
		code, out, errOut := vtic(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("vtic %v: exit %d\n%s%s\nwant exit %d and %q", tc.args, code, out, errOut, tc.code, tc.want)
		}
	}
}

// The boot unit's command line is one this vtic runs: on a converged
// router it changes nothing.
func TestBootUnit(t *testing.T) {
	useFakeRouter(t)
	data, err := os.ReadFile("../../examples/systemd/vtic-boot.service")
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(data), "\n") {
		if cmd, ok := strings.CutPrefix(line, "ExecStart="); ok {
			args = strings.Fields(cmd)
		}
	}
	if len(args) < 2 || args[0] != "/usr/local/bin/vtic" {
		t.Fatalf("ExecStart runs %q; want /usr/local/bin/vtic", args)
	}
	root := t.TempDir()
	if code, out, errOut := vtic(t, nil, "apply", "--host", "gw1", "--root", root, examples(t)); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := vtic(t, nil, append(args[1:], "--root", root)...)
	if code != 0 || out != "gw1: no changes.\n" {
		t.Fatalf("%v: exit %d\n%s%s", args[1:], code, out, errOut)
	}
}
