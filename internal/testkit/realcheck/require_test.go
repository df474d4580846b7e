package realcheck

import (
	"strings"
	"testing"
)

func TestRequireMissingToolSkipsOrFails(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			r := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				requireTools(r, "/bin/sh", "vtic-no-such-tool")
			}()
			<-done
			if len(r.msgs) != 1 || !strings.Contains(r.msgs[0], "vtic-no-such-tool is not installed") {
				t.Fatalf("messages = %q, want one naming the missing tool", r.msgs)
			}
			// The recorder notes Skip as "skipped: ..."; Fatal is noted bare.
			skipped := strings.HasPrefix(r.msgs[0], "skipped: ")
			if skipped == (ci == "true") {
				t.Errorf("CI=%q: skipped = %v, want %v (%s)", ci, skipped, ci != "true", r.msgs[0])
			}
		})
	}
}

func TestRequirePresentTools(t *testing.T) {
	r := &recorder{TB: t}
	requireTools(r, "/bin/sh", "sh")
	if r.failed {
		t.Fatalf("requireTools(/bin/sh, sh) = %q, want no complaint", r.msgs)
	}
}
