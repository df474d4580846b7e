package fakerec

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

var errInjected = errors.New("injected")

// do runs one write that succeeds, through r.
func do(r *Recorder, line string) error {
	return r.Do(line, func() error { return nil })
}

func TestFailOnMatchesWholeWords(t *testing.T) {
	tests := []struct {
		rule, line string
		fails      bool
	}{
		{"create vti1", "create vti1", true},
		{"create vti1", "create vti1 local 192.0.2.10 remote 198.51.100.2 key 12", true},
		{"create vti1", "create vti10 local 192.0.2.10", false},
		{"create vti1", "create vti", false},
		{"create", "create vti1", true},
		{"create vti1 ", "create vti1 local 192.0.2.10", false}, // "create vti1  " is not a prefix
		{"restart", "restart", true},
		{"load-conn t1", "load-conn t10", false},
		{"load-conn t1", "unload-conn t1", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.rule, tt.line), func(t *testing.T) {
			var r Recorder
			r.FailOn(tt.rule, errInjected)
			ran := false
			err := r.Do(tt.line, func() error { ran = true; return nil })
			if tt.fails {
				if !errors.Is(err, errInjected) || ran {
					t.Errorf("Do = %v, write ran %v; want the injected error and no write", err, ran)
				}
				if got := r.Transcript(); len(got) != 0 {
					t.Errorf("failed write recorded: %q", got)
				}
				return
			}
			if err != nil || !ran {
				t.Errorf("Do = %v, write ran %v; want success", err, ran)
			}
			if got := r.Transcript(); !slices.Equal(got, []string{tt.line}) {
				t.Errorf("transcript %q, want %q", got, tt.line)
			}
		})
	}
}

func TestFailOnLastsUntilCleared(t *testing.T) {
	var r Recorder
	r.FailOn("reload bgpd", errInjected)
	for i := range 3 {
		if err := do(&r, "reload bgpd"); !errors.Is(err, errInjected) {
			t.Fatalf("write %d: %v, want the injected error", i, err)
		}
	}
	r.ClearFailures()
	if err := do(&r, "reload bgpd"); err != nil {
		t.Fatalf("after ClearFailures: %v", err)
	}
}

func TestFailOnceFiresOnce(t *testing.T) {
	var r Recorder
	r.FailOnce("reload bgpd", errInjected)
	if err := do(&r, "reload zebra"); err != nil {
		t.Fatalf("other line: %v", err)
	}
	if err := do(&r, "reload bgpd"); !errors.Is(err, errInjected) {
		t.Fatalf("first write: %v, want the injected error", err)
	}
	if err := do(&r, "reload bgpd"); err != nil {
		t.Fatalf("second write: %v, want success", err)
	}
	if got, want := r.Transcript(), []string{"reload zebra", "reload bgpd"}; !slices.Equal(got, want) {
		t.Errorf("transcript %q, want %q", got, want)
	}
}

func TestFailContaining(t *testing.T) {
	var r Recorder
	r.FailContaining("-A FORWARD", errInjected)
	if err := do(&r, "*filter\n-A FORWARD -j DROP\nCOMMIT\n"); !errors.Is(err, errInjected) {
		t.Errorf("matching input: %v, want the injected error", err)
	}
	if err := do(&r, "*filter\n-A INPUT -j DROP\nCOMMIT\n"); err != nil {
		t.Errorf("other input: %v", err)
	}
	r.ClearFailures()
	r.FailContaining("", errInjected)
	if err := do(&r, "anything"); !errors.Is(err, errInjected) {
		t.Errorf("empty match: %v, want every write to fail", err)
	}
}

// The first matching rule wins, in the order the test added them.
func TestFirstRuleWins(t *testing.T) {
	var r Recorder
	first, second := errors.New("first"), errors.New("second")
	r.FailOn("delete", first)
	r.FailOn("delete vti1", second)
	if err := do(&r, "delete vti1"); err != first {
		t.Errorf("Do = %v, want %v", err, first)
	}
}

func TestDoRecordsOnlyChanges(t *testing.T) {
	var r Recorder
	errWrite := errors.New("no such device")
	if err := r.Do("set vti1 up", func() error { return ErrNoChange }); err != nil {
		t.Errorf("no-op write: %v, want nil", err)
	}
	if err := r.Do("set vti2 up", func() error { return errWrite }); err != errWrite {
		t.Errorf("failed write: %v, want %v unwrapped", err, errWrite)
	}
	if err := do(&r, "set vti3 up"); err != nil {
		t.Fatal(err)
	}
	r.Record("restart")
	if got, want := r.Transcript(), []string{"set vti3 up", "restart"}; !slices.Equal(got, want) {
		t.Errorf("transcript %q, want %q", got, want)
	}
	r.ResetTranscript()
	if got := r.Transcript(); len(got) != 0 {
		t.Errorf("after ResetTranscript: %q", got)
	}
}

func TestInjectedDoesNotRecord(t *testing.T) {
	var r Recorder
	r.FailOnce("running bgpd", errInjected)
	if err := r.Injected("running bgpd"); !errors.Is(err, errInjected) {
		t.Errorf("Injected = %v, want the injected error", err)
	}
	if err := r.Injected("running bgpd"); err != nil {
		t.Errorf("a FailOnce rule fired twice: %v", err)
	}
	if got := r.Transcript(); len(got) != 0 {
		t.Errorf("Injected recorded %q", got)
	}
}

// Transcript hands out a copy: a caller that edits it changes nothing.
func TestTranscriptIsACopy(t *testing.T) {
	var r Recorder
	r.Record("a")
	r.Transcript()[0] = "b"
	if got := r.Transcript(); got[0] != "a" {
		t.Errorf("transcript changed through a returned slice: %q", got)
	}
}
