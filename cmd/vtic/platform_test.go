package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestNeedsLinux runs every command as if on other systems: the router
// commands refuse at once with one line, before reading any flag or file,
// and the others go on.
func TestNeedsLinux(t *testing.T) {
	want := map[string]string{
		"apply":  "vtic apply: needs Linux (this is darwin): it manages the kernel's VTI devices and the router's daemons\n",
		"status": "vtic status: needs Linux (this is darwin): it reads the kernel's VTI devices and asks the router's daemons\n",
		"check":  "vtic check: needs Linux (this is darwin): it reads and repairs the kernel's VTI devices and the router's daemons\n",
	}
	for _, system := range []string{"darwin", "windows", "linux"} {
		t.Run(system, func(t *testing.T) {
			old := goos
			goos = system
			t.Cleanup(func() { goos = old })
			for _, c := range commands {
				var stdout, stderr bytes.Buffer
				e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
				// A flag no command has: a command that goes on fails
				// with a usage error (exit 2) instead.
				code := run(context.Background(), e, []string{c.name, "--no-such-flag"})
				line, refuses := want[c.name]
				line = strings.ReplaceAll(line, "darwin", system)
				switch {
				case refuses && system != "linux":
					if code != 1 || stderr.String() != line || stdout.Len() != 0 {
						t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and %q", c.name, code, stdout.String(), stderr.String(), line)
					}
				case strings.Contains(stderr.String(), "needs Linux"):
					t.Errorf("%s refused to run on %s: %q", c.name, system, stderr.String())
				}
			}
		})
	}
	for name := range want {
		found := false
		for _, c := range commands {
			found = found || c.name == name
		}
		if !found {
			t.Errorf("no command %s", name)
		}
	}
}
