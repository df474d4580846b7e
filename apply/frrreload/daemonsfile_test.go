package frrreload

import (
	"os"
	"strings"
	"testing"
)

// debianDaemons is the start of the daemons file of Debian 12's frr 8.4.4.
const debianDaemons = `# This file tells the frr package which daemons to start.
#
bgpd=no
ospfd=no
ospf6d=no
#
vtysh_enable=yes
zebra_options="  -A 127.0.0.1 -s 90000000"
bgpd_options="   -A 127.0.0.1"
staticd_options="-A 127.0.0.1"
`

func TestDaemonEnabled(t *testing.T) {
	for _, tc := range []struct {
		file, daemon string
		want         bool
	}{
		{debianDaemons, "bgpd", false},
		{debianDaemons, "ospfd", false},
		// Not in the file: FRR's init starts zebra and staticd anyway.
		{debianDaemons, "staticd", true},
		{debianDaemons, "zebra", true},
		{debianDaemons, "ripd", false},
		{"bgpd=yes\n", "bgpd", true},
		{"bgpd=\"yes\"\n", "bgpd", true},
		{"bgpd=0\n", "bgpd", false},
		{"bgpd=\n", "bgpd", false},
		{"bgpd=yes\nbgpd=no\n", "bgpd", false},
		{"  bgpd=yes # on\n", "bgpd", true},
		{"staticd=no\n", "staticd", false},
		{"#bgpd=yes\n", "bgpd", false},
		{"bgpd_options=yes\n", "bgpd", false},
	} {
		if got := DaemonEnabled([]byte(tc.file), tc.daemon); got != tc.want {
			t.Errorf("DaemonEnabled(%q, %s) = %v, want %v", tc.file, tc.daemon, got, tc.want)
		}
	}
}

func TestEnableDaemon(t *testing.T) {
	for _, tc := range []struct {
		name, file, daemon, want string
	}{
		{"Debian's bgpd", debianDaemons, "bgpd", strings.Replace(debianDaemons, "bgpd=no\n", "bgpd=yes\n", 1)},
		{"the last assignment", "bgpd=yes\nbgpd=no\n", "bgpd", "bgpd=yes\nbgpd=yes\n"},
		{"quotes, blanks and a comment kept", "  bgpd=\"no\"  # off for now\n", "bgpd", "  bgpd=yes  # off for now\n"},
		{"absent: appended", "ospfd=no\n", "bgpd", "ospfd=no\nbgpd=yes\n"},
		{"absent, no final newline", "ospfd=no", "bgpd", "ospfd=no\nbgpd=yes\n"},
		{"empty file", "", "bgpd", "bgpd=yes\n"},
		{"staticd switched off", "staticd=no\n", "staticd", "staticd=yes\n"},
		{"no final newline kept", "bgpd=no", "bgpd", "bgpd=yes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(EnableDaemon([]byte(tc.file), tc.daemon))
			if got != tc.want {
				t.Errorf("EnableDaemon =\n%q\nwant\n%q", got, tc.want)
			}
			if !DaemonEnabled([]byte(got), tc.daemon) {
				t.Errorf("%s is still disabled in\n%s", tc.daemon, got)
			}
		})
	}
}

// The installed daemons file, when there is one (Debian's frr package):
// enabling bgpd changes that one line and nothing else.
func TestEnableDaemonInstalledFile(t *testing.T) {
	data, err := os.ReadFile("/etc/frr/daemons")
	if err != nil {
		t.Skipf("no FRR daemons file here: %v", err)
	}
	got := EnableDaemon(data, "bgpd")
	if !DaemonEnabled(got, "bgpd") {
		t.Fatal("bgpd still disabled")
	}
	old, lines := strings.Split(string(data), "\n"), strings.Split(string(got), "\n")
	changed := 0
	for i := range old {
		if i < len(lines) && old[i] != lines[i] {
			changed++
			if lines[i] != "bgpd=yes" {
				t.Errorf("line %d became %q", i+1, lines[i])
			}
		}
	}
	if DaemonEnabled(data, "bgpd") {
		if changed != 0 {
			t.Errorf("%d lines changed in a file that enables bgpd already", changed)
		}
	} else if changed != 1 && len(lines) != len(old)+1 {
		t.Errorf("%d lines changed, want 1", changed)
	}
}
