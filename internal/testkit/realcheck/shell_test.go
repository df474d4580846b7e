package realcheck

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/internal/testkit/require"
)

func TestShellSourceQuoted(t *testing.T) {
	require.Programs(t, "/bin/sh")
	got := ShellSource(t, filepath.Join("testdata", "shell", "quoted.sh"),
		"VTIC_SITE", "VTIC_PLAIN", "VTIC_EMPTY", "VTIC_SPACES", "VTIC_QUOTE", "VTIC_DOLLAR",
		"VTIC_GLOB", "VTIC_NEWLINE", "VTIC_UTF8", "VTIC_UNSET", "HOME", "PATH")
	want := map[string]string{
		"VTIC_SITE":    "edge-1",
		"VTIC_PLAIN":   "plain",
		"VTIC_EMPTY":   "",
		"VTIC_SPACES":  "  two  leading, two trailing  ",
		"VTIC_QUOTE":   `it's "quoted" \n not a newline`,
		"VTIC_DOLLAR":  "$HOME `id` $(id) ${x:-y} \\\\ back",
		"VTIC_GLOB":    "* ? [a-z] ~ ;|&<>",
		"VTIC_NEWLINE": "line one\nline two\n",
		"VTIC_UTF8":    "Zürich — 東京",
		// VTIC_UNSET and HOME are absent: unset, and the environment is
		// empty. dash sets PATH itself when it starts without one.
		"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

func TestShellSourceRejects(t *testing.T) {
	for file, want := range map[string]string{
		"unquoted-space.sh": "unquoted-space.sh: 1: not found",
		"exits.sh":          "did not reach the end",
		"unterminated.sh":   "Unterminated quoted string",
	} {
		t.Run(file, func(t *testing.T) {
			require.Programs(t, "/bin/sh")
			msg := mustFail(t, func(tb testing.TB) {
				ShellSource(tb, filepath.Join("testdata", "shell", file), "VTIC_SITE")
			})
			if !strings.Contains(msg, want) {
				t.Errorf("failure message lacks %q:\n%s", want, msg)
			}
		})
	}
}

func TestShellSourceBadName(t *testing.T) {
	msg := mustFail(t, func(tb testing.TB) {
		ShellSource(tb, filepath.Join("testdata", "shell", "quoted.sh"), "X; rm -rf /")
	})
	if !strings.Contains(msg, "is not a shell variable name") {
		t.Errorf("failure message lacks the reason:\n%s", msg)
	}
}
