package require

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// outcome is how a check ended when run against a fakeTB.
type outcome struct {
	skipped, failed bool
	msg             string
}

// fakeTB stands in for the test: Skip and Fatal note the outcome and end
// the goroutine, as the real ones do, without ending the test.
type fakeTB struct {
	testing.TB
	out outcome
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skip(args ...any) {
	f.out = outcome{skipped: true, msg: fmt.Sprint(args...)}
	runtime.Goexit()
}
func (f *fakeTB) Skipf(format string, args ...any) { f.Skip(fmt.Sprintf(format, args...)) }
func (f *fakeTB) SkipNow()                         { f.Skip() }
func (f *fakeTB) Fatal(args ...any) {
	f.out = outcome{failed: true, msg: fmt.Sprint(args...)}
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }
func (f *fakeTB) FailNow()                          { f.Fatal() }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.out = outcome{failed: true, msg: fmt.Sprintf(format, args...)}
}

// check runs a check against a fakeTB in its own goroutine and returns how
// it ended; a check that passes leaves the zero outcome.
func check(t *testing.T, do func(tb testing.TB)) outcome {
	t.Helper()
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		do(f)
	}()
	<-done
	return f.out
}

// Each check must skip by hand and fail under CI=true, naming what is
// missing either way.
func TestSkipsByHandFailsUnderCI(t *testing.T) {
	checks := []struct {
		name string
		do   func(tb testing.TB)
		want string
	}{
		{"SkipOrFail", func(tb testing.TB) { SkipOrFail(tb, "needs %s", "a kettle") }, "needs a kettle"},
		{"Programs", func(tb testing.TB) { Programs(tb, "/bin/sh", "vtic-no-such-program") },
			"needs vtic-no-such-program, which is not installed"},
		{"Program absolute", func(tb testing.TB) { Program(tb, "/nonexistent/charon") },
			"needs /nonexistent/charon, which is not installed"},
		{"Root as a user", func(tb testing.TB) {
			geteuid = func() int { return 1000 }
			defer func() { geteuid = realGeteuid }()
			Root(tb)
		}, "needs root, running as uid 1000"},
		{"Root with a missing program", func(tb testing.TB) {
			geteuid = func() int { return 0 }
			defer func() { geteuid = realGeteuid }()
			Root(tb, "vtic-no-such-program")
		}, "needs vtic-no-such-program"},
		{"Lab", func(tb testing.TB) { Lab(tb, func() error { return errors.New("no /dev/kvm") }) },
			"needs the lab VM: no /dev/kvm"},
	}
	for _, c := range checks {
		for _, ci := range []string{"", "false", "true"} {
			t.Run(c.name+"/CI="+ci, func(t *testing.T) {
				if c.name == "Lab" && testing.Short() {
					t.Skip("Lab skips under -short before asking")
				}
				t.Setenv("CI", ci)
				got := check(t, c.do)
				if !strings.Contains(got.msg, c.want) {
					t.Errorf("message %q does not contain %q", got.msg, c.want)
				}
				if ci == "true" {
					if !got.failed || got.skipped || !strings.Contains(got.msg, "CI=true: failing instead of skipping") {
						t.Errorf("CI=true: %+v, want a failure that says why it is not a skip", got)
					}
				} else if !got.skipped || got.failed || !strings.Contains(got.msg, "CI=true makes this a failure") {
					t.Errorf("CI=%q: %+v, want a skip that says CI=true fails", ci, got)
				}
			})
		}
	}
}

var realGeteuid = geteuid

func TestPassesWhenPresent(t *testing.T) {
	t.Setenv("CI", "true")
	for name, do := range map[string]func(tb testing.TB){
		"Programs": func(tb testing.TB) { Programs(tb, "/bin/sh", "sh") },
		"Root": func(tb testing.TB) {
			geteuid = func() int { return 0 }
			defer func() { geteuid = realGeteuid }()
			Root(tb, "sh")
		},
		"Lab": func(tb testing.TB) { Lab(tb, func() error { return nil }) },
	} {
		if got := check(t, do); got != (outcome{}) {
			t.Errorf("%s: %+v, want it to pass", name, got)
		}
	}
}

func TestFind(t *testing.T) {
	if p, ok := Find("sh"); !ok || !strings.HasPrefix(p, "/") {
		t.Errorf("Find(sh) = %q, %v; want an absolute path", p, ok)
	}
	if p, ok := Find("/bin/sh"); !ok || p != "/bin/sh" {
		t.Errorf("Find(/bin/sh) = %q, %v", p, ok)
	}
	if _, ok := Find("/etc/passwd"); ok {
		t.Error("Find(/etc/passwd) found a file that is not executable")
	}
	if _, ok := Find("vtic-no-such-program"); ok {
		t.Error("Find found a program that does not exist")
	}
}
