package apply

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/internal/testkit/testdaemon"
)

// writeLog records the writes apply makes to the real daemons, and can
// make one of them fail once.
type writeLog struct {
	mu     sync.Mutex
	lines  []string
	failOn string
}

func (l *writeLog) write(line string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if line == l.failOn {
		l.failOn = ""
		return errInjected
	}
	l.lines = append(l.lines, line)
	return nil
}

func (l *writeLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	return out
}

type loggedCharon struct {
	charon.Charon
	log *writeLog
}

func (c loggedCharon) LoadConn(ctx context.Context, conn charon.Conn) error {
	if err := c.log.write("load-conn " + conn.Name); err != nil {
		return err
	}
	return c.Charon.LoadConn(ctx, conn)
}

func (c loggedCharon) UnloadConn(ctx context.Context, name string) error {
	if err := c.log.write("unload-conn " + name); err != nil {
		return err
	}
	return c.Charon.UnloadConn(ctx, name)
}

func (c loggedCharon) LoadShared(ctx context.Context, s charon.Secret) error {
	if err := c.log.write("load-shared " + s.ID); err != nil {
		return err
	}
	return c.Charon.LoadShared(ctx, s)
}

func (c loggedCharon) UnloadShared(ctx context.Context, id string) error {
	if err := c.log.write("unload-shared " + id); err != nil {
		return err
	}
	return c.Charon.UnloadShared(ctx, id)
}

func (c loggedCharon) Restart(ctx context.Context) error {
	if err := c.log.write("restart"); err != nil {
		return err
	}
	return c.Charon.Restart(ctx)
}

type loggedFRR struct {
	frrreload.FRR
	log *writeLog
}

func (f loggedFRR) Reload(ctx context.Context, daemon string, config []byte) error {
	if err := f.log.write("reload " + daemon); err != nil {
		return err
	}
	return f.FRR.Reload(ctx, daemon, config)
}

type loggedFirewall struct {
	firewall.Firewall
	log *writeLog
}

func (f loggedFirewall) Restore(ctx context.Context, input []byte) error {
	if err := f.log.write("iptables-restore"); err != nil {
		return err
	}
	return f.Firewall.Restore(ctx, input)
}

// TestApplyWithRealDaemons runs apply against a real charon, real FRR
// daemons and real iptables, each in its own namespaces; only the kernel's
// VTIs are the fake (this machine's kernel has no VTI, see LAB-NOTES).
func TestApplyWithRealDaemons(t *testing.T) {
	if testing.Short() {
		t.Skip("starts charon and FRR; about 20 s")
	}
	ch := testdaemon.StartCharon(t)
	frr := testdaemon.StartFRR(t)
	ipt, restore := testdaemon.IPTables(t)
	w := newWorld(t)
	log := &writeLog{}
	vici := &charon.VICI{Socket: ch.URI, RestartCommand: ch.Restart}
	script := &frrreload.Script{Command: frr.Reload(), Vtysh: frr.Vtysh()}
	iptables := &firewall.IPTables{Iptables: ipt, IptablesRestore: restore}
	sys := System{Root: w.root, Kernel: w.kernel, Charon: loggedCharon{vici, log},
		FRR: loggedFRR{script, log}, Firewall: loggedFirewall{iptables, log}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	apply := func(s site) (*Result, error) {
		t.Helper()
		var out strings.Builder
		res, err := Apply(ctx, sys, s.input(t), Options{Out: &out})
		if err != nil {
			t.Logf("apply output:\n%s", out.String())
		}
		return res, err
	}
	conns := func() []string {
		t.Helper()
		l, err := vici.Conns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(l)
		return l
	}
	running := func(d string) string {
		t.Helper()
		b, err := script.Running(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	rules := func() string {
		t.Helper()
		var b strings.Builder
		for _, table := range []string{"filter", "mangle"} {
			l, err := iptables.Rules(ctx, table)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(strings.Join(l, "\n") + "\n")
		}
		return b.String()
	}

	// First apply, with charon already running: it is restarted for the
	// new settings snippet, then given the keys and connections.
	if _, err := apply(base); err != nil {
		t.Fatal(err)
	}
	want := []string{"iptables-restore", "iptables-restore", "restart", "load-shared ike-gw1-gw2", "load-shared ike-gw1-gw3",
		"load-conn gw1-gw2", "load-conn gw1-gw3", "reload bgpd", "reload staticd"}
	if got := log.take(); !slices.Equal(got, want) {
		t.Errorf("first apply wrote %v\nwant %v", got, want)
	}
	if got := conns(); !slices.Equal(got, []string{"gw1-gw2", "gw1-gw3"}) {
		t.Errorf("charon conns %v", got)
	}
	if b := running("bgpd"); !strings.Contains(b, "neighbor 169.254.30.2 remote-as 65003") {
		t.Errorf("bgpd:\n%s", b)
	}
	if s := running("staticd"); !strings.Contains(s, "ip route 198.51.100.1/32 192.0.2.254") {
		t.Errorf("staticd:\n%s", s)
	}
	if r := rules(); !strings.Contains(r, "-A INPUT -j VTIC-INPUT") || !strings.Contains(r, "--set-mss 1360") {
		t.Errorf("iptables:\n%s", r)
	}

	// Nothing changed: nothing written to any daemon.
	if res, err := apply(base); err != nil || len(res.Actions) != 0 {
		t.Fatalf("second apply: %v, %v", res, err)
	}
	if got := log.take(); len(got) != 0 {
		t.Errorf("second apply wrote %v", got)
	}

	// Removing a tunnel fails at its last write (the staticd reload):
	// everything comes back, in the real daemons too.
	beforeBGP, beforeStatic, beforeRules := running("bgpd"), running("staticd"), rules()
	log.failOn = "reload staticd"
	_, err := apply(base.with(func(s *site) { s.Third = false }))
	var se *StepError
	if !errors.As(err, &se) || se.Step != "frr" || se.Rollback != nil {
		t.Fatalf("err = %v; want step frr failed and rolled back", err)
	}
	if got := conns(); !slices.Equal(got, []string{"gw1-gw2", "gw1-gw3"}) {
		t.Errorf("charon conns after rollback %v", got)
	}
	if b := running("bgpd"); b != beforeBGP {
		t.Errorf("bgpd after rollback:\n%s\nwant:\n%s", b, beforeBGP)
	}
	if s := running("staticd"); s != beforeStatic {
		t.Errorf("staticd after rollback:\n%s\nwant:\n%s", s, beforeStatic)
	}
	if r := rules(); r != beforeRules {
		t.Errorf("iptables after rollback:\n%s\nwant:\n%s", r, beforeRules)
	}
	log.take()

	// Disabling the tunnel unloads only its connection and key.
	if _, err := apply(base.with(func(s *site) { s.Enabled3 = false })); err != nil {
		t.Fatal(err)
	}
	want = []string{"iptables-restore", "unload-conn gw1-gw3", "unload-shared ike-gw1-gw3", "reload bgpd"}
	if got := log.take(); !slices.Equal(got, want) {
		t.Errorf("disabling wrote %v\nwant %v", got, want)
	}
	if got := conns(); !slices.Equal(got, []string{"gw1-gw2"}) {
		t.Errorf("charon conns %v", got)
	}
	if b := running("bgpd"); !strings.Contains(b, "neighbor 169.254.30.2 shutdown") {
		t.Errorf("bgpd:\n%s", b)
	}
}
