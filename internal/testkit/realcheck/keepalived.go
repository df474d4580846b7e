package realcheck

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// Keepalived checks a keepalived configuration with `keepalived -t`
// (--config-test), which parses the file and checks what it names against
// the system: the interfaces must exist and a track script's program must
// be there, executable and safe under enable_script_security. So it runs
// in fresh network and mount namespaces that vanish with the command:
// each of ifaces is created there (a veth pair; dummy devices need a
// module this kernel may lack), and each of programs (absolute paths, such
// as vtic's) is a stub on a root-only tmpfs over its directory. Any exit
// status but 0, and any output (keepalived warns, and disables a script
// it cannot run, with exit status 0), fails the test.
func Keepalived(t testing.TB, file string, ifaces, programs []string) {
	t.Helper()
	require.Root(t, "unshare", "keepalived", "ip", "mount")
	var script strings.Builder
	script.WriteString("set -e\n")
	dirs := map[string]bool{}
	for _, p := range programs {
		d := filepath.Dir(p)
		if !dirs[d] {
			dirs[d] = true
			script.WriteString("mount -t tmpfs -o mode=0755 tmpfs " + shellQuote(d) + "\n")
		}
		script.WriteString("printf '#!/bin/sh\\nexit 0\\n' >" + shellQuote(p) + " && chmod 0755 " + shellQuote(p) + "\n")
	}
	for i, ifc := range ifaces {
		script.WriteString("ip link add " + shellQuote(ifc) + " type veth peer name vtic-kc" + strconv.Itoa(i) + "\n")
	}
	script.WriteString("exec keepalived -t -l -n -f \"$1\"\n")
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("realcheck: %v", err)
	}
	start := time.Now()
	r := run(nil, require.Program(t, "unshare"), "--net", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script.String(), "sh", file)
	t.Logf("realcheck: keepalived -t %s took %v", file, time.Since(start).Round(time.Millisecond))
	if r.err != nil || r.code != 0 || strings.TrimSpace(r.stdout+r.stderr) != "" {
		t.Fatalf("realcheck: keepalived -t rejected %s (exit status %d):\n%s", file, r.code, r.output())
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
