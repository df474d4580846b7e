package frrreload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// FRR is what apply needs of the routing suite.
type FRR interface {
	// Running returns a daemon's running configuration, without vtysh's
	// "Building configuration..." preamble.
	Running(ctx context.Context, daemon string) ([]byte, error)
	// Reload makes config the daemon's configuration, changing only
	// what differs from the running one.
	Reload(ctx context.Context, daemon string, config []byte) error
}

// Script reloads with frr-reload.py and reads with vtysh.
type Script struct {
	// Command is the frr-reload.py command with any leading arguments
	// (such as "-N NAME" for an FRR pathspace); nil means DefaultReload.
	// Reload appends "--reload --stdout --daemon DAEMON FILE".
	Command []string
	// Vtysh is the vtysh command with any leading arguments; nil means
	// "vtysh".
	Vtysh []string
	// TempDir holds the file handed to the script; empty means
	// os.TempDir(). vtysh must be able to read it.
	TempDir string
}

// DefaultReload is where Debian's frr-pythontools installs the script.
var DefaultReload = []string{"/usr/lib/frr/frr-reload.py"}

var _ FRR = (*Script)(nil)

func (s *Script) Running(ctx context.Context, daemon string) ([]byte, error) {
	vtysh := s.Vtysh
	if len(vtysh) == 0 {
		vtysh = []string{"vtysh"}
	}
	out, err := run(ctx, vtysh, "-c", "show running-config "+daemon)
	if err != nil {
		return nil, fmt.Errorf("frr: read running config of %s: %w", daemon, err)
	}
	return stripPreamble(out), nil
}

func (s *Script) Reload(ctx context.Context, daemon string, config []byte) error {
	running, err := s.Running(ctx, daemon)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(s.TempDir, "vtic-"+daemon+"-*.conf")
	if err != nil {
		return fmt.Errorf("frr: reload %s: %w", daemon, err)
	}
	defer os.Remove(f.Name())
	_, werr := f.Write(KeepGlobals(running, config))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("frr: reload %s: write %s: %w", daemon, f.Name(), werr)
	}
	script := s.Command
	if len(script) == 0 {
		script = DefaultReload
	}
	if _, err := run(ctx, script, "--reload", "--stdout", "--daemon", daemon, f.Name()); err != nil {
		return fmt.Errorf("frr: reload %s: %w", daemon, err)
	}
	return nil
}

// run runs argv plus args and returns stdout; a failure carries the end of
// both streams.
func run(ctx context.Context, argv []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:len(argv):len(argv)], args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(tail(stderr.String() + stdout.String()))
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", argv[0], err)
		}
		return nil, fmt.Errorf("%s: %w: %s", argv[0], err, msg)
	}
	return stdout.Bytes(), nil
}

// tail keeps the last lines of a program's output for an error message.
func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return strings.Join(lines, "\n")
}

// stripPreamble drops vtysh's "Building configuration..." and "Current
// configuration:" lines, which are not configuration.
func stripPreamble(out []byte) []byte {
	lines := strings.SplitAfter(string(out), "\n")
	i := 0
	for i < len(lines) {
		l := strings.TrimSpace(lines[i])
		if l != "" && l != "Building configuration..." && l != "Current configuration:" {
			break
		}
		i++
	}
	return []byte(strings.Join(lines[i:], ""))
}
