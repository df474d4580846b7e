package realcheck

import (
	"fmt"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// vtyshStatus names the exit statuses of vtysh -C. They are the CMD_*
// codes of FRR's lib/command.h, and vtysh returns the code of the last bad
// line, so a file with several errors reports only the last kind.
var vtyshStatus = map[int]string{
	1:  "warning",
	2:  "unknown command",
	3:  "ambiguous command",
	4:  "incomplete command",
	11: "file could not be read",
	13: "configuration failed",
}

// Vtysh checks an FRR configuration file with `vtysh -C -f file`, which
// parses every line against the command trees of all FRR daemons without
// talking to any of them. It fails the test, quoting vtysh, on any non-zero
// exit status. Neither root nor a readable /etc/frr/vtysh.conf is needed.
func Vtysh(t testing.TB, file string) {
	t.Helper()
	require.Programs(t, "vtysh")
	start := time.Now()
	r := run(nil, require.Program(t, "vtysh"), "-C", "-f", file)
	t.Logf("realcheck: vtysh -C %s took %v", file, time.Since(start).Round(time.Millisecond))
	if r.err != nil || r.code != 0 {
		t.Fatalf("realcheck: vtysh rejected %s (%s):\n%s", file, describeStatus(r.code), r.output())
	}
}

func describeStatus(code int) string {
	if s, ok := vtyshStatus[code]; ok {
		return s
	}
	return fmt.Sprintf("exit status %d", code)
}
