package apply

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets/swanctl"
)

func TestFirstApply(t *testing.T) {
	w := newWorld(t)
	res, out := w.mustApply(base.input(t))
	for _, want := range []string{
		"files: create etc/swanctl/conf.d/vtic-secrets.conf (0600)",
		"files: create etc/vtic/tunnels/gw1-gw3/vti.init (0644)",
		"devices: create vti2 local 192.0.2.1 remote 203.0.113.1 key 20 mtu 1400",
		"devices: route replace 198.51.100.1/32 via 192.0.2.254",
		"firewall: add jump filter INPUT -> VTIC-INPUT",
		"charon: restart (etc/strongswan.d/vtic.conf changed)",
		"charon: load-shared ike-gw1-gw3",
		"charon: load-conn gw1-gw2",
		"frr: reload bgpd",
		"frr: reload staticd",
		"state: write var/lib/vtic/state.json",
	} {
		if !slices.Contains(res.Actions, want) {
			t.Errorf("actions lack %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "gw1: applied") {
		t.Errorf("report:\n%s", out)
	}

	fi, err := os.Stat(filepath.Join(w.root, swanctl.SecretsPath))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets file mode %v, %v", fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Join(w.root, StatePath)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, %v", fi.Mode(), err)
	}
	for _, name := range []string{"vti2", "vti3"} {
		l, ok := w.link(name)
		if !ok || !l.Up || l.MTU != 1400 {
			t.Errorf("link %s = %+v, %v; want up with mtu 1400", name, l, ok)
		}
	}
	if got := w.charon.Transcript(); got[0] != "restart" {
		t.Errorf("charon transcript %v; want a restart first (the settings snippet is new)", got)
	}
	conns, secrets := w.charon.Loaded()
	if len(conns) != 2 || len(secrets) != 2 {
		t.Errorf("charon has %v and %v", conns, secrets)
	}
	if got := w.frr.State()["bgpd"]; got != w.file("etc/frr/bgpd.conf") {
		t.Errorf("bgpd runs\n%s", got)
	}
	st := w.state()
	if !slices.Equal(st.Devices, []string{"vti2", "vti3"}) || len(st.Routes) != 2 || len(st.Conns) != 2 || st.Pending {
		t.Errorf("state = %+v", st)
	}
}

// A second apply with nothing changed writes nothing anywhere: no netlink
// message, no iptables-restore, no charon or FRR command, no file (not
// even a rename of identical bytes, which would change the inode).
func TestNoopApply(t *testing.T) {
	w := newWorld(t)
	in := base.input(t)
	w.mustApply(in)
	w.resetTranscripts()
	inodes := w.inodes()

	res, out := w.mustApply(in)
	if len(res.Actions) != 0 || out != "gw1: no changes.\n" {
		t.Errorf("second apply: %v\n%s", res.Actions, out)
	}
	if got := w.writes(); got != "kernel 0, charon 0, frr 0, iptables 0" {
		t.Errorf("second apply wrote: %s", got)
	}
	if d := cmpMaps(inodes, w.inodes()); d != "" {
		t.Errorf("second apply touched files:\n%s", d)
	}
}

func cmpMaps(a, b map[string]string) string {
	var out []string
	for k, v := range a {
		if b[k] != v {
			out = append(out, k+": "+v+" -> "+b[k])
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k+": new")
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

// An MTU change is a device change and an MSS clamp: charon and FRR are
// not touched, so no SA or BGP session is disturbed.
func TestMTUChange(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.resetTranscripts()

	res, out := w.mustApply(base.with(func(s *site) { s.MTU3 = 1380 }).input(t))
	want := []string{
		"files: update etc/vtic/iptables.rules",
		"files: update etc/vtic/plan.json",
		"files: update etc/vtic/tunnels/gw1-gw3/vti.init",
		"devices: set vti3 mtu 1380",
		"firewall: restore etc/vtic/iptables.rules (mangle VTIC-MSS, mangle VTIC-MSS-OUT)",
		"state: write var/lib/vtic/state.json",
	}
	if !slices.Equal(res.Actions, want) {
		t.Errorf("actions:\n%s\nwant:\n%s", strings.Join(res.Actions, "\n"), strings.Join(want, "\n"))
	}
	if got := w.kernel.Transcript(); !slices.Equal(got, []string{"set vti3 mtu 1380"}) {
		t.Errorf("kernel writes %v", got)
	}
	if got := w.charon.Transcript(); len(got) != 0 {
		t.Errorf("charon writes %v; an MTU change must not reload connections", got)
	}
	if got := w.frr.Transcript(); len(got) != 0 {
		t.Errorf("frr writes %v", got)
	}
	if !strings.Contains(w.fw.Dump(), "--set-mss 1340") {
		t.Errorf("MSS clamp not updated:\n%s", w.fw.Dump())
	}
	if res, _ := w.mustApply(base.with(func(s *site) { s.MTU3 = 1380 }).input(t)); len(res.Actions) != 0 {
		t.Errorf("apply after the change: %v", res.Actions)
	}
	_ = out
}

// A disabled tunnel keeps its device, down, and loses its SA, key,
// firewall rules and BGP session (shut down, not removed).
func TestTunnelDisabled(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.resetTranscripts()

	res, out := w.mustApply(base.with(func(s *site) { s.Enabled3 = false }).input(t))
	for _, want := range []string{
		"devices: set vti3 down",
		"charon: unload-conn gw1-gw3",
		"charon: unload-shared ike-gw1-gw3",
		"frr: reload bgpd",
	} {
		if !slices.Contains(res.Actions, want) {
			t.Errorf("actions lack %q:\n%s", want, out)
		}
	}
	if got := w.charon.Transcript(); !slices.Equal(got, []string{"unload-conn gw1-gw3", "unload-shared ike-gw1-gw3"}) {
		t.Errorf("charon writes %v; gw1-gw2 must not be reloaded", got)
	}
	if got := actionsWith(res, "frr: "); !slices.Equal(got, []string{"frr: reload bgpd"}) {
		t.Errorf("frr actions %v", got)
	}
	if l, ok := w.link("vti3"); !ok || l.Up {
		t.Errorf("vti3 = %+v, %v; want kept and down", l, ok)
	}
	if !strings.Contains(w.frr.State()["bgpd"], "neighbor 169.254.30.2 shutdown") {
		t.Errorf("bgpd:\n%s", w.frr.State()["bgpd"])
	}
	if strings.Contains(w.fw.Dump(), "gw1-gw3") {
		t.Errorf("firewall still has rules for the disabled tunnel:\n%s", w.fw.Dump())
	}
	if st := w.state(); !slices.Contains(st.Devices, "vti3") {
		t.Errorf("state no longer owns vti3: %v", st.Devices)
	}

	// Enabled again: the device comes up, the SA is loaded again.
	res, _ = w.mustApply(base.input(t))
	for _, want := range []string{"devices: set vti3 up", "charon: load-conn gw1-gw3", "charon: load-shared ike-gw1-gw3"} {
		if !slices.Contains(res.Actions, want) {
			t.Errorf("re-enabling: actions lack %q: %v", want, res.Actions)
		}
	}
}

// A removed tunnel loses everything: device, route, files, SA, key, BGP
// neighbor.
func TestTunnelRemoved(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.resetTranscripts()

	res, out := w.mustApply(base.with(func(s *site) { s.Third = false }).input(t))
	for _, want := range []string{
		"files: remove etc/vtic/tunnels/gw1-gw3/vti.init",
		"devices: delete vti3",
		"devices: route del 198.51.100.1/32 via 192.0.2.254",
		"charon: unload-conn gw1-gw3",
		"charon: unload-shared ike-gw1-gw3",
		"frr: reload bgpd",
		"frr: reload staticd",
	} {
		if !slices.Contains(res.Actions, want) {
			t.Errorf("actions lack %q:\n%s", want, out)
		}
	}
	if _, ok := w.link("vti3"); ok {
		t.Error("vti3 still exists")
	}
	if _, err := os.Stat(filepath.Join(w.root, "etc/vtic/tunnels/gw1-gw3")); !os.IsNotExist(err) {
		t.Errorf("tunnel directory kept: %v", err)
	}
	if _, ok := w.link("vti2"); !ok {
		t.Error("vti2 removed too")
	}
	st := w.state()
	if slices.Contains(st.Devices, "vti3") || len(st.Routes) != 1 || st.Conns["gw1-gw3"] != "" {
		t.Errorf("state still owns the removed tunnel: %+v", st)
	}
	if _, ok := st.Files["etc/vtic/tunnels/gw1-gw3/vti.init"]; ok {
		t.Error("state still owns the removed file")
	}
}

// A device vtic does not own is never touched, and a clash with a wanted
// name stops the apply before anything changes.
func TestForeignDeviceClash(t *testing.T) {
	w := newWorld(t)
	w.kernel.PutLink(netdev.Link{Name: "vti3", Kind: "dummy", Up: true, MTU: 1500})
	before := w.snapshot()
	_, out, err := w.apply(base.input(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "plan devices") || !strings.Contains(err.Error(), "vti3") {
		t.Fatalf("err = %v\n%s", err, out)
	}
	w.same(before, w.snapshot(), "refused apply")
}

func TestDryRun(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.resetTranscripts()
	os.Remove(filepath.Join(w.root, LockPath))
	before, inodes := w.snapshot(), w.inodes()

	res, out, err := w.apply(base.with(func(s *site) { s.Third = false }).input(t), Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "changes (dry run: nothing is changed):") || !strings.Contains(out, "  devices: delete vti3") ||
		!strings.Contains(out, "  charon: unload-conn gw1-gw3") || !strings.Contains(out, "  files: remove etc/vtic/tunnels/gw1-gw3/vti.init") {
		t.Errorf("dry run report:\n%s", out)
	}
	if len(res.Actions) == 0 {
		t.Error("no actions")
	}
	if got := w.writes(); got != "kernel 0, charon 0, frr 0, iptables 0" {
		t.Errorf("dry run wrote: %s", got)
	}
	w.same(before, w.snapshot(), "dry run")
	if d := cmpMaps(inodes, w.inodes()); d != "" {
		t.Errorf("dry run touched files:\n%s", d)
	}
}

// A settings snippet changed on disk (by hand) is rewritten and charon
// restarted; with the service loading the files on start (as Debian's
// strongswan.service does), nothing needs loading afterwards.
func TestCharonRestartOnSettingsChange(t *testing.T) {
	w := newWorld(t)
	in := base.input(t)
	w.mustApply(in)
	w.resetTranscripts()
	p := filepath.Join(w.root, swanctl.SettingsPath)
	if err := os.WriteFile(p, []byte("charon {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	conns, secrets := inputCharon(t, in)
	w.charon.LoadOnRestart = func() ([]charonConn, []charonSecret) { return conns, secrets }

	res, out := w.mustApply(in)
	want := []string{"files: update etc/strongswan.d/vtic.conf", "charon: restart (etc/strongswan.d/vtic.conf changed)"}
	if got := res.Actions[:2]; !slices.Equal(got, want) {
		t.Errorf("actions %v\n%s", res.Actions, out)
	}
	if got := w.charon.Transcript(); !slices.Equal(got, []string{"restart"}) {
		t.Errorf("charon writes %v; want only the restart (the service loaded the files)", got)
	}
}

func TestMissingSecrets(t *testing.T) {
	w := newWorld(t)
	// A plan compiled without its keys, as vtic diff compiles one.
	in := base.input(t)
	for _, tn := range in.Host.Tunnels {
		tn.PSK = compile.Secret{Ref: tn.PSK.Ref}
	}
	_, _, err := w.apply(in, Options{})
	if err == nil || !strings.Contains(err.Error(), "no pre-shared key for connection gw1-gw2, gw1-gw3") {
		t.Fatalf("err = %v", err)
	}
}

func TestStateOfAnotherHost(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	in := base.input(t)
	other := *in.Host
	other.Name = "gw9"
	in.Host = &other
	_, _, err := w.apply(in, Options{})
	if err == nil || !strings.Contains(err.Error(), `belongs to router "gw1", not "gw9"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestRefusesPathsOutsideInstallDirs(t *testing.T) {
	w := newWorld(t)
	in := base.input(t)
	in.Files = append(in.Files, in.Files[0])
	in.Files[len(in.Files)-1].Path = "etc/passwd"
	if _, _, err := w.apply(in, Options{}); err == nil || !strings.Contains(err.Error(), "outside the directories") {
		t.Fatalf("err = %v", err)
	}
}
