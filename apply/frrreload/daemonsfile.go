package frrreload

import (
	"regexp"
	"strings"
)

// The daemons file (DaemonsPath) is a shell fragment FRR's init sources:
// "bgpd=yes" starts bgpd. Its last assignment of a key wins, as in the
// shell, and a daemon is off when its value is empty, "no" or "0"
// (frrcommon.sh's daemon_list).

// assignment matches one line assigning a key: leading blanks, key, "=",
// the value (optionally quoted) and an optional comment.
var assignment = regexp.MustCompile(`^([ \t]*)([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^ \t#]*)([ \t]*(#.*)?)$`)

// alwaysStarted are the daemons FRR's init starts whatever the daemons
// file says (frrcommon.sh: `[ "$daemon" = zebra -o "$daemon" = staticd ]
// && cfg=yes`), unless a line turns them off explicitly.
var alwaysStarted = map[string]bool{"zebra": true, "staticd": true}

// lastAssignment returns the index of the line that last assigns key and
// its unquoted value; -1 if no line does.
func lastAssignment(lines []string, key string) (int, string) {
	at, value := -1, ""
	for i, l := range lines {
		m := assignment.FindStringSubmatch(l)
		if m == nil || m[2] != key {
			continue
		}
		at, value = i, strings.Trim(m[3], `"'`)
	}
	return at, value
}

// DaemonEnabled reports whether FRR's init starts daemon according to the
// daemons file's content.
func DaemonEnabled(daemons []byte, daemon string) bool {
	at, v := lastAssignment(strings.Split(string(daemons), "\n"), daemon)
	if at < 0 {
		return alwaysStarted[daemon]
	}
	return v != "" && v != "no" && v != "0"
}

// EnableDaemon returns the daemons file with daemon enabled: the value of
// its last assignment set to yes, or "DAEMON=yes" appended when no line
// assigns it. Every other byte is kept.
func EnableDaemon(daemons []byte, daemon string) []byte {
	lines := strings.Split(string(daemons), "\n")
	at, _ := lastAssignment(lines, daemon)
	if at < 0 {
		s := string(daemons)
		if s != "" && !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		return []byte(s + daemon + "=yes\n")
	}
	m := assignment.FindStringSubmatch(lines[at])
	lines[at] = m[1] + m[2] + "=yes" + m[4]
	return []byte(strings.Join(lines, "\n"))
}
