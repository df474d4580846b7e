package firewall

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/targets/iptables"
)

// foreign is a rule someone else owns; vtic must never touch it.
const foreign = "*filter\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n"

// converge runs Read, Plan and Apply and returns the plan.
func converge(t *testing.T, fw Firewall, file string) Changes {
	t.Helper()
	ctx := context.Background()
	rs, err := ParseRestore("rules", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	st, err := Read(ctx, fw, rs, iptables.Chains)
	if err != nil {
		t.Fatal(err)
	}
	c := Plan(st, rs, iptables.Chains)
	if err := Apply(ctx, fw, []byte(file), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func read(t *testing.T, fw Firewall, file string) (State, Ruleset) {
	t.Helper()
	rs, err := ParseRestore("rules", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	st, err := Read(context.Background(), fw, rs, iptables.Chains)
	if err != nil {
		t.Fatal(err)
	}
	return st, rs
}

// exercise runs the same sequence against a fake or the real thing.
func exercise(t *testing.T, fw Firewall, dump func() string, writes func() int) {
	ctx := context.Background()
	if err := fw.Restore(ctx, []byte(foreign)); err != nil {
		t.Fatal(err)
	}
	start, w0 := dump(), writes()
	before, rs := read(t, fw, rendered)

	c := converge(t, fw, rendered)
	if len(c.Differ) != 4 || len(c.Add) != 4 || len(c.Drop) != 0 {
		t.Fatalf("first plan = %+v; want 4 chains to restore and 4 jumps to add", c)
	}
	if got := writes() - w0; got != 2 {
		t.Errorf("first apply made %d restores; want 2 (rules, jumps)", got)
	}
	// Jumps go first in their chain, ahead of the foreign rule.
	filter, _ := fw.Rules(ctx, "filter")
	iIn, iSSH := slices.Index(filter, "-A INPUT -j VTIC-INPUT"), slices.Index(filter, "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT")
	if iIn < 0 || iSSH < 0 || iIn > iSSH {
		t.Errorf("jump at %d, foreign rule at %d:\n%s", iIn, iSSH, strings.Join(filter, "\n"))
	}

	w1 := writes()
	if c := converge(t, fw, rendered); !c.Empty() {
		t.Errorf("second plan = %+v; want nothing (is Normalize in step with iptables -S?)\n%s", c, dump())
	}
	if writes() != w1 {
		t.Errorf("second apply wrote %d times", writes()-w1)
	}

	changed := strings.ReplaceAll(rendered, "--set-mss 1360", "--set-mss 1300")
	c = converge(t, fw, changed)
	if !slices.Equal(c.Differ, []string{"mangle VTIC-MSS", "mangle VTIC-MSS-OUT"}) || len(c.Add) != 0 {
		t.Errorf("plan after an MSS change = %+v", c)
	}

	// A duplicate jump (another tool, an older vtic) is dropped.
	if err := fw.Restore(ctx, []byte("*filter\n-A INPUT -j VTIC-INPUT\nCOMMIT\n")); err != nil {
		t.Fatal(err)
	}
	c = converge(t, fw, changed)
	if len(c.Drop) != 1 || len(c.Differ) != 0 {
		t.Errorf("plan with a duplicate jump = %+v", c)
	}

	// Undo returns to the state before the first apply: no vtic chains,
	// no jumps, the foreign rule in place.
	if err := Undo(ctx, fw, before, rs, iptables.Chains); err != nil {
		t.Fatal(err)
	}
	if got := dump(); got != start {
		t.Errorf("after undo:\n%s\nwant:\n%s", got, start)
	}

	// Undo to a state that had vtic's chains restores their old rules.
	converge(t, fw, rendered)
	mid, _ := read(t, fw, rendered)
	midDump := dump()
	converge(t, fw, changed)
	if err := Undo(ctx, fw, mid, rs, iptables.Chains); err != nil {
		t.Fatal(err)
	}
	if got := dump(); got != midDump {
		t.Errorf("after undo to the applied state:\n%s\nwant:\n%s", got, midDump)
	}
}

func TestConvergeFake(t *testing.T) {
	f := NewFake()
	exercise(t, f, f.Dump, func() int { return len(f.Restores()) })
}

func TestFakeRefuses(t *testing.T) {
	f := NewFake()
	ctx := context.Background()
	for _, in := range []string{
		"*filter\n-A NOPE -j ACCEPT\nCOMMIT\n",
		"*filter\n-A INPUT -j VTIC-NOPE\nCOMMIT\n",
		"*filter\n-D INPUT -j ACCEPT\nCOMMIT\n",
		"*filter\n:X - [0:0]\n-A INPUT -j X\n-X X\nCOMMIT\n",
		"*filter\n:X - [0:0]\n",
	} {
		if err := f.Restore(ctx, []byte(in)); err == nil {
			t.Errorf("Restore accepted %q", in)
		}
	}
	if got := f.Dump(); strings.Contains(got, "-N X") {
		t.Errorf("a failed restore left changes:\n%s", got)
	}
}

func TestFailedRestoreIsReported(t *testing.T) {
	f := NewFake()
	f.FailRestore("", errTest)
	rs, _ := ParseRestore("r", []byte(rendered))
	st, _ := Read(context.Background(), f, rs, iptables.Chains)
	err := Apply(context.Background(), f, []byte(rendered), Plan(st, rs, iptables.Chains))
	if err == nil || !strings.Contains(err.Error(), "load etc/vtic/iptables.rules") {
		t.Fatalf("err = %v", err)
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errTest = testError("injected")
