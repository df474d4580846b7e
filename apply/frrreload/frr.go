package frrreload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// FRR is what apply needs of the routing suite. A daemon name of ""
// (Integrated) means FRR as a whole: its integrated configuration, which
// spans every daemon.
type FRR interface {
	// Running returns a daemon's running configuration, or FRR's whole
	// one, without vtysh's "Building configuration..." preamble.
	Running(ctx context.Context, daemon string) ([]byte, error)
	// Reload makes config the daemon's configuration, or FRR's whole
	// one, changing only what differs from the running one.
	Reload(ctx context.Context, daemon string, config []byte) error
	// Check has FRR's own parser judge config, changing nothing; it
	// needs no daemon running.
	Check(ctx context.Context, config []byte) error
	// TestReload has FRR compute the reload of config against the
	// running configuration, changing nothing; it fails where Reload
	// would fail before changing anything.
	TestReload(ctx context.Context, daemon string, config []byte) error
	// Daemons lists the FRR daemons that answer now (watchfrr among
	// them when it runs); none when FRR does not run.
	Daemons(ctx context.Context) ([]string, error)
	// Restart restarts FRR through its own init, which starts the
	// daemons its daemons file enables and loads their configuration
	// files, and returns once the daemons in want answer and the init
	// has finished loading.
	Restart(ctx context.Context, want []string) error
}

// Integrated is the daemon name for FRR as a whole.
const Integrated = ""

// label names a daemon, or FRR's whole configuration, in messages.
func label(daemon string) string {
	if daemon == Integrated {
		return "the integrated configuration"
	}
	return daemon
}

// Script reloads with frr-reload.py, reads with vtysh and restarts with
// FRR's init.
type Script struct {
	// Command is the frr-reload.py command with any leading arguments
	// (such as "-N NAME" for an FRR pathspace); nil means DefaultReload.
	Command []string
	// Vtysh is the vtysh command with any leading arguments; nil means
	// "vtysh".
	Vtysh []string
	// RestartCommand restarts FRR through its init; nil means
	// DefaultRestart().
	RestartCommand []string
	// TempDir holds the files handed to vtysh and the script; empty
	// means os.TempDir(). vtysh must be able to read them.
	TempDir string
}

// DefaultReload is where Debian's frr-pythontools installs the script.
var DefaultReload = []string{"/usr/lib/frr/frr-reload.py"}

// DefaultRestart is how FRR's init restarts FRR on this machine: through
// systemd when systemd runs it (/run/systemd/system exists, as
// sd_booted(3) tests), else FRR's init script itself, which frr.service
// runs too.
func DefaultRestart() []string {
	if fi, err := os.Stat("/run/systemd/system"); err == nil && fi.IsDir() {
		return []string{"systemctl", "restart", "frr"}
	}
	return []string{"/usr/lib/frr/frrinit.sh", "restart"}
}

var _ FRR = (*Script)(nil)

func (s *Script) vtysh() []string {
	if len(s.Vtysh) == 0 {
		return []string{"vtysh"}
	}
	return s.Vtysh
}

func (s *Script) script() []string {
	if len(s.Command) == 0 {
		return DefaultReload
	}
	return s.Command
}

func (s *Script) Running(ctx context.Context, daemon string) ([]byte, error) {
	out, err := run(ctx, s.vtysh(), "-c", strings.TrimSpace("show running-config "+daemon))
	if err != nil {
		return nil, fmt.Errorf("frr: read running config of %s: %w", label(daemon), err)
	}
	return stripPreamble(out), nil
}

func (s *Script) Reload(ctx context.Context, daemon string, config []byte) error {
	if err := s.reload(ctx, "--reload", daemon, config); err != nil {
		return fmt.Errorf("frr: reload %s: %w", label(daemon), err)
	}
	return nil
}

func (s *Script) TestReload(ctx context.Context, daemon string, config []byte) error {
	if err := s.reload(ctx, "--test", daemon, config); err != nil {
		return fmt.Errorf("frr: frr-reload.py --test of %s: %w%s", label(daemon), err, s.hostnameHint(ctx))
	}
	return nil
}

// reload runs frr-reload.py with action (--reload or --test) on config,
// preceded by the global lines the running configuration has (see
// KeepGlobals).
//
// For FRR's whole configuration the input is named frr.conf in a
// directory of its own, given as --confdir: after an integrated reload of
// any file but CONFDIR/frr.conf, FRR 8.4's script runs `write`, which
// would replace the router's frr.conf with vtysh's rendering of the
// running configuration. The directory also holds a vtysh.conf choosing
// integrated mode, which vtysh and the script read from --confdir.
func (s *Script) reload(ctx context.Context, action, daemon string, config []byte) error {
	running, err := s.Running(ctx, daemon)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(s.TempDir, "vtic-frr-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	args := []string{action, "--stdout"}
	name := daemon + ".conf"
	if daemon == Integrated {
		name = "frr.conf"
		if err := os.WriteFile(filepath.Join(dir, "vtysh.conf"), []byte("service integrated-vtysh-config\n"), 0o600); err != nil {
			return err
		}
		args = append(args, "--confdir", dir)
	} else {
		args = append(args, "--daemon", daemon)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, KeepGlobals(running, config), 0o600); err != nil {
		return err
	}
	_, err = run(ctx, s.script(), append(args, file)...)
	return err
}

func (s *Script) Check(ctx context.Context, config []byte) error {
	f, err := os.CreateTemp(s.TempDir, "vtic-check-*.conf")
	if err != nil {
		return fmt.Errorf("frr: check: %w", err)
	}
	defer os.Remove(f.Name())
	_, werr := f.Write(config)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("frr: check: write %s: %w", f.Name(), werr)
	}
	if _, err := run(ctx, s.vtysh(), "-C", "-f", f.Name()); err != nil {
		return fmt.Errorf("frr: vtysh -C rejects the configuration: %w", err)
	}
	return nil
}

// notRunning is what vtysh says when no daemon answers.
const notRunning = "failed to connect to any daemons"

func (s *Script) Daemons(ctx context.Context) ([]string, error) {
	out, err := run(ctx, s.vtysh(), "-c", "show daemons")
	var exit *exec.ExitError
	if errors.As(err, &exit) && strings.Contains(err.Error(), notRunning) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("frr: list running daemons: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// hostnameHint explains the one failure of frr-reload.py that lies
// outside the configuration handed to it: FRR refuses to parse its own
// running configuration when that holds a hostname FRR's "hostname"
// command rejects, which it does for one that does not start with a letter
// or a digit, such as the kernel's "(none)" on a machine nothing gave a
// name. vtysh -m then exits with status 13.
func (s *Script) hostnameHint(ctx context.Context) string {
	running, err := s.Running(ctx, Integrated)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(running), "\n") {
		name, ok := strings.CutPrefix(strings.TrimSpace(l), "hostname ")
		if ok && !ValidHostname(name) {
			return fmt.Sprintf("\nFRR runs with hostname %q, which its own parser rejects (a hostname must start with a letter or a digit), so frr-reload.py cannot read the running configuration: give the machine a hostname (hostnamectl set-hostname NAME) and restart FRR, or set one in vtysh (configure, hostname NAME)", name)
		}
	}
	return ""
}

// ValidHostname reports whether FRR's "hostname" command accepts name.
func ValidHostname(name string) bool {
	if name == "" {
		return false
	}
	c := name[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
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
