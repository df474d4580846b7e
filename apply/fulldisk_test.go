package apply

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

// TestFullDisk runs an apply whose root is a tiny tmpfs that fills up while
// the apply writes: the step fails with ENOSPC, the router is left exactly
// as before, and the error names the step.
func TestFullDisk(t *testing.T) {
	require.Root(t) // to mount a tmpfs
	w := newWorld(t)
	if err := syscall.Mount("tmpfs", w.root, "tmpfs", 0, "size=256k"); err != nil {
		require.SkipOrFail(t, "cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(w.root, syscall.MNT_DETACH) })
	w.mustApply(base.input(t))

	// Leave almost no room: the next files cannot be written.
	filler := filepath.Join(w.root, "filler")
	out, err := exec.Command("dd", "if=/dev/zero", "of="+filler, "bs=4k").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "No space left") {
		t.Fatalf("filling the tmpfs: %v\n%s", err, out)
	}
	before := w.snapshot()

	changed := base.with(func(s *site) { s.MTU3 = 1380 }).input(t)
	_, report, err := w.apply(changed, Options{})
	var se *StepError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v; want a StepError\n%s", err, report)
	}
	// The first write is the pending state record (step begin), before
	// any file; either it or the files step meets the full disk.
	if (se.Step != "begin" && se.Step != "files") || !errors.Is(err, syscall.ENOSPC) || se.Rollback != nil {
		t.Fatalf("step %q, err %v, rollback %v; want begin or files failing with ENOSPC, rolled back", se.Step, se.Err, se.Rollback)
	}
	if !strings.Contains(err.Error(), "step "+se.Step+" failed") {
		t.Errorf("message %q does not name the step", err)
	}
	w.same(before, w.snapshot(), "after a full disk")

	// With room again the same apply goes through.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if res, _ := w.mustApply(changed); len(res.Actions) == 0 {
		t.Error("the change was not applied once there was room")
	}
}
