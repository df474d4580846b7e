package realcheck

import (
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

// Bird checks a BIRD 2 configuration file with `bird -p -c file`, which
// parses it (symbols, filters, protocol options) and exits without starting
// anything. Neither root nor a running bird is needed.
func Bird(t testing.TB, file string) {
	t.Helper()
	r := run(nil, require.Program(t, "bird"), "-p", "-c", file)
	if r.err != nil || r.code != 0 {
		t.Fatalf("realcheck: bird -p rejected %s:\n%s", file, r.output())
	}
}
