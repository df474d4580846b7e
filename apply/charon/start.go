package charon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ErrNotRunning is wrapped by the errors of a charon that does not accept
// connections on its VICI socket, as when it is not running.
var ErrNotRunning = errors.New("charon is not running")

// How a charon that is not running gets started, as VICI.StartCommand
// says. StartAuto starts it the way this router runs it: on a machine
// booted with systemd, the strongswan unit (Debian's charon-systemd
// package: charon-systemd, then swanctl --load-all); elsewhere the first
// installed of Programs, in the background, followed by swanctl --load-all
// as that unit does. StartNever never starts it: apply fails and names
// what to start. Any other value is a shell command that starts it.
const (
	StartAuto  = ""
	StartNever = "none"
)

// Unit is the systemd unit of Debian's charon-systemd package
// (/lib/systemd/system/strongswan.service).
const Unit = "strongswan.service"

// Programs are the IKE daemons StartAuto runs on a machine without
// systemd, in order of preference: Debian's charon-systemd, which is what
// its service runs, then the plain charon.
var Programs = []string{"/usr/sbin/charon-systemd", "/usr/lib/ipsec/charon"}

// systemdDir exists when the machine was booted with systemd (sd_booted(3)).
const systemdDir = "/run/systemd/system"

// launcher is one way of starting charon.
type launcher struct {
	// how says it in a plan: "systemctl start strongswan".
	how string
	// start starts the daemon and returns; exited, if not nil, receives
	// its exit if it ends before it answers.
	start func(ctx context.Context) (exited <-chan error, err error)
	// loadAll: run swanctl --load-all once it answers, as the service
	// does after starting it.
	loadAll bool
}

// host is what detecting the launcher reads of the machine; tests replace
// it.
type host struct {
	exists   func(path string) bool
	output   func(ctx context.Context, name string, args ...string) ([]byte, error)
	programs []string // Programs
}

var realHost = host{
	programs: Programs,
	exists:   func(p string) bool { _, err := os.Stat(p); return err == nil },
	output: func(ctx context.Context, name string, args ...string) ([]byte, error) {
		return exec.CommandContext(ctx, name, args...).Output()
	},
}

// launcher decides how to start charon. It only reads the machine.
func (v *VICI) launcher(ctx context.Context) (launcher, error) {
	h := realHost
	if v.host != nil {
		h = *v.host
	}
	switch v.StartCommand {
	case StartAuto:
		return detect(ctx, h)
	case StartNever:
		l, err := detect(ctx, h)
		if err != nil {
			return launcher{}, err
		}
		return launcher{}, fmt.Errorf("vtic does not start it (charon start command %q): run %s, then apply again", StartNever, l.how)
	}
	cmd := v.StartCommand
	return launcher{how: cmd, start: func(ctx context.Context) (<-chan error, error) {
		if out, err := exec.CommandContext(ctx, "/bin/sh", "-c", cmd).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
		}
		return nil, nil
	}}, nil
}

// detect finds how this router runs charon; see StartAuto.
func detect(ctx context.Context, h host) (launcher, error) {
	if h.exists(systemdDir) {
		out, err := h.output(ctx, "systemctl", "show", "--property=LoadState", "--value", Unit)
		if err != nil {
			return launcher{}, fmt.Errorf("systemctl show %s: %w", Unit, err)
		}
		switch state := strings.TrimSpace(string(out)); state {
		case "loaded":
		case "not-found":
			return launcher{}, fmt.Errorf("%s is not installed (Debian: apt-get install charon-systemd strongswan-swanctl); start charon, then apply again", Unit)
		default:
			return launcher{}, fmt.Errorf("%s is %s; start charon, then apply again", Unit, state)
		}
		return launcher{how: "systemctl start strongswan", start: func(ctx context.Context) (<-chan error, error) {
			out, err := exec.CommandContext(ctx, "systemctl", "start", Unit).CombinedOutput()
			if err != nil {
				return nil, fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
			}
			return nil, nil
		}}, nil
	}
	for _, p := range h.programs {
		if h.exists(p) {
			return launcher{how: p + " in the background, then swanctl --load-all", start: background(p), loadAll: true}, nil
		}
	}
	return launcher{}, fmt.Errorf("no charon is installed (none of %s; Debian: apt-get install charon-systemd strongswan-swanctl)", strings.Join(h.programs, ", "))
}

// background starts a daemon that stays in the foreground, in its own
// session, detached from vtic's terminal and outliving it.
func background(path string) func(ctx context.Context) (<-chan error, error) {
	return func(context.Context) (<-chan error, error) {
		cmd := exec.Command(path) // not tied to ctx: it must outlive this apply
		detach(cmd)
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		exited := make(chan error, 1)
		go func() {
			err := cmd.Wait()
			if err == nil {
				err = errors.New("exited with status 0")
			}
			exited <- err
		}()
		return exited, nil
	}
}

// HowToStart says how Start would start charon; see StartAuto.
func (v *VICI) HowToStart(ctx context.Context) (string, error) {
	l, err := v.launcher(ctx)
	return l.how, err
}

// Start starts a charon that is not running and returns once it answers
// on the VICI socket and, where the service does so, swanctl --load-all
// has loaded the swanctl files.
func (v *VICI) Start(ctx context.Context) error {
	l, err := v.launcher(ctx)
	if err != nil {
		return fmt.Errorf("start charon: %w", err)
	}
	exited, err := l.start(ctx)
	if err != nil {
		return fmt.Errorf("start charon (%s): %w", l.how, err)
	}
	if err := v.waitAnswer(ctx, exited); err != nil {
		return fmt.Errorf("start charon (%s): %w", l.how, err)
	}
	if !l.loadAll {
		return nil
	}
	uri := v.Socket
	if !strings.Contains(uri, "://") {
		uri = "unix://" + uri
	}
	out, err := exec.CommandContext(ctx, "swanctl", "--load-all", "--noprompt", "--uri", uri).CombinedOutput()
	if err != nil {
		return fmt.Errorf("start charon: swanctl --load-all: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// waitAnswer waits until charon answers on VICI, it exits, or the start
// timeout passes.
func (v *VICI) waitAnswer(ctx context.Context, exited <-chan error) error {
	timeout := v.StartTimeout
	if timeout == 0 {
		timeout = DefaultStartTimeout
	}
	deadline := time.Now().Add(timeout)
	for {
		_, err := v.call(ctx, "version", nil)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer on %s within %v: %w", v.Socket, timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-exited:
			return fmt.Errorf("charon exited before answering on %s: %w", v.Socket, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
