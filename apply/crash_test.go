package apply

import (
	"fmt"
	"testing"
)

type crashed int

// applyCrashing runs an apply that stops after step and reports the exit
// status it stopped with.
func (w *world) applyCrashing(in Input, step string) (code int) {
	w.t.Helper()
	defer func() {
		c, ok := recover().(crashed)
		if !ok {
			w.t.Fatalf("apply did not stop after %s", step)
		}
		code = int(c)
	}()
	opts := Options{CrashAfter: step, exit: func(c int) { panic(crashed(c)) }}
	_, out, err := w.apply(in, opts)
	w.t.Fatalf("apply returned (%v) instead of stopping after %s\n%s", err, step, out)
	return 0
}

// An apply killed after any step is finished by the next one: the router
// ends up exactly as if the first had not been interrupted.
func TestCrashAfterEachStep(t *testing.T) {
	for _, tr := range transitions {
		ref := tr.prepare(t)
		ref.mustApply(tr.to.input(t))
		want := ref.snapshot()
		for _, step := range Steps {
			t.Run(fmt.Sprintf("%s/%s", tr.name, step), func(t *testing.T) {
				w := tr.prepare(t)
				in := tr.to.input(t)
				if code := w.applyCrashing(in, step); code != 137 {
					t.Errorf("exit status %d; want 137", code)
				}
				w.mustApply(in)
				w.same(want, w.snapshot(), "after the crash and another apply")
				if res, _ := w.mustApply(in); len(res.Actions) != 0 {
					t.Errorf("third apply: %v", res.Actions)
				}
			})
		}
	}
}

func TestCrashStepIsChecked(t *testing.T) {
	w := newWorld(t)
	_, _, err := w.apply(base.input(t), Options{CrashAfter: "nope"})
	if err == nil {
		t.Fatal("unknown crash step accepted")
	}
}
