package realcheck

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// shellName is what a POSIX shell accepts as a variable name; only such
// names are spliced into the script below, so they need no quoting.
var shellName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// endMark follows the values, proving the file did not exit the shell early.
const endMark = "realcheck-end"

// ShellSource sources file with /bin/sh (dash on Debian) in an empty
// environment and returns the exact values of the named variables; a
// variable the file leaves unset is absent from the map. It fails the test
// if the shell reports anything on stderr (an unquoted value with a space
// runs its second word as a command), if sourcing returns a non-zero status,
// or if the file exits the shell.
func ShellSource(t testing.TB, file string, vars ...string) map[string]string {
	t.Helper()
	require.Programs(t, "/bin/sh")
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatalf("realcheck: resolve shell file %s: %v", file, err)
	}
	var script strings.Builder
	// The file's own stdout goes to stderr so it cannot forge values; the
	// path is passed as $1 because "." searches PATH for a name without a
	// slash and an absolute path always has one.
	script.WriteString(`. "$1" >&2 || { echo "realcheck: sourcing returned status $?" >&2; exit 3; }` + "\n")
	for _, v := range vars {
		if !shellName.MatchString(v) {
			t.Fatalf("realcheck: %q is not a shell variable name", v)
		}
		// "S" marks a set variable, so unset and empty stay apart.
		fmt.Fprintf(&script, "command printf '%%s\\0' \"${%s+S}${%s}\"\n", v, v)
	}
	fmt.Fprintf(&script, "command printf '%%s\\0' %s\n", endMark)

	start := time.Now()
	r := runEnv([]string{}, "/bin/sh", "-c", script.String(), "sh", abs)
	t.Logf("realcheck: sourcing %s took %v", file, time.Since(start).Round(time.Millisecond))
	if r.err != nil || r.code != 0 || r.stderr != "" {
		t.Fatalf("realcheck: /bin/sh did not source %s cleanly:\n%s", file, r.output())
	}
	fields := strings.Split(r.stdout, "\x00")
	// Expect one field per variable, the end mark, and the empty string
	// after the final NUL.
	if len(fields) != len(vars)+2 || fields[len(vars)] != endMark {
		t.Fatalf("realcheck: sourcing %s did not reach the end of the script (did it exit?):\n%s", file, r.output())
	}
	values := make(map[string]string, len(vars))
	for i, v := range vars {
		if val, ok := strings.CutPrefix(fields[i], "S"); ok {
			values[v] = val
		}
	}
	return values
}
