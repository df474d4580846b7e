// Package keepalived drives keepalived, which holds a pair's LAN gateway
// address by VRRP (targets/keepalived writes its configuration), through
// its service: apply starts it when it does not run, has it reload its
// configuration when that changed, and stops it when the router left its
// pair.
package keepalived

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Service is keepalived as the router runs it.
type Service interface {
	// Active reports whether keepalived runs.
	Active(ctx context.Context) (bool, error)
	Start(ctx context.Context) error
	// Reload has a running keepalived read its configuration again.
	Reload(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Systemctl drives keepalived.service, as Debian's keepalived package
// installs it (enabled; it starts once its configuration file is not
// empty, and reloads on SIGHUP).
type Systemctl struct {
	// Command is systemctl with any leading arguments; empty means
	// "systemctl".
	Command []string
}

var _ Service = (*Systemctl)(nil)

// Unit is keepalived's service.
const Unit = "keepalived.service"

func (s *Systemctl) argv() []string {
	if len(s.Command) == 0 {
		return []string{"systemctl"}
	}
	return s.Command
}

func (s *Systemctl) Active(ctx context.Context) (bool, error) {
	err := s.run(ctx, "is-active", "--quiet", Unit)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &ee) && ee.ExitCode() >= 1 && ee.ExitCode() <= 4:
		// systemctl is-active: 3 inactive (4 unknown unit, 1 failed).
		return false, nil
	}
	return false, fmt.Errorf("keepalived: is it active: %w", err)
}

func (s *Systemctl) Start(ctx context.Context) error  { return s.do(ctx, "start") }
func (s *Systemctl) Reload(ctx context.Context) error { return s.do(ctx, "reload") }
func (s *Systemctl) Stop(ctx context.Context) error   { return s.do(ctx, "stop") }

func (s *Systemctl) do(ctx context.Context, verb string) error {
	if err := s.run(ctx, verb, Unit); err != nil {
		return fmt.Errorf("keepalived: %s %s: %w", verb, Unit, err)
	}
	return nil
}

func (s *Systemctl) run(ctx context.Context, args ...string) error {
	argv := s.argv()
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:len(argv):len(argv)], args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil && strings.TrimSpace(out.String()) != "" {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return &exitError{ExitError: ee, out: strings.TrimSpace(out.String())}
		}
	}
	return err
}

// exitError keeps systemctl's exit status (for Active) and says what it
// printed.
type exitError struct {
	*exec.ExitError
	out string
}

func (e *exitError) Error() string { return e.ExitError.Error() + ": " + e.out }
func (e *exitError) Unwrap() error { return e.ExitError }
