package pluto

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

// Pluto is what apply needs of libreswan.
type Pluto interface {
	// Running returns nil when pluto answers on its control socket, and
	// an error wrapping ErrNotRunning when it does not run.
	Running(ctx context.Context) error
	// Check has libreswan's parser judge a file of conns, as the system's
	// ipsec.conf would include it; it changes nothing.
	Check(ctx context.Context, conns []byte) error
	// Replace loads a conn from the configuration, replacing one of the
	// same name (and taking its SAs down).
	Replace(ctx context.Context, name string) error
	// Up initiates a loaded conn without waiting for it to come up.
	Up(ctx context.Context, name string) error
	// Delete unloads a conn and takes its SAs down.
	Delete(ctx context.Context, name string) error
	// RereadSecrets has pluto read ipsec.secrets (and what it includes)
	// again.
	RereadSecrets(ctx context.Context) error
}

// ErrNotRunning says pluto does not answer.
var ErrNotRunning = errors.New("pluto is not running")

// Command runs libreswan's programs.
type Command struct {
	// Ipsec is the ipsec command with any leading arguments; nil means
	// "ipsec".
	Ipsec []string
	// Addconn is libreswan's addconn; empty means
	// /usr/libexec/ipsec/addconn.
	Addconn string
	// Config is the system's ipsec.conf; empty means /etc/ipsec.conf.
	Config string
}

var _ Pluto = (*Command)(nil)

func (c *Command) ipsec(ctx context.Context, args ...string) ([]byte, error) {
	argv := append(append([]string{}, c.Ipsec...), args...)
	if len(c.Ipsec) == 0 {
		argv = append([]string{"ipsec"}, args...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		return out.Bytes(), fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(out.String()))
	}
	return out.Bytes(), nil
}

func (c *Command) config() string {
	if c.Config != "" {
		return c.Config
	}
	return "/etc/ipsec.conf"
}

func (c *Command) Running(ctx context.Context) error {
	if _, err := c.ipsec(ctx, "whack", "--status"); err != nil {
		return fmt.Errorf("%w (%v)", ErrNotRunning, err)
	}
	return nil
}

func (c *Command) Check(ctx context.Context, conns []byte) error {
	dir, err := os.MkdirTemp("", "vtic-libreswan-")
	if err != nil {
		return fmt.Errorf("check libreswan conns: %w", err)
	}
	defer os.RemoveAll(dir)
	file, main := filepath.Join(dir, "vtic.conf"), filepath.Join(dir, "ipsec.conf")
	if err := os.WriteFile(file, conns, 0o600); err != nil {
		return fmt.Errorf("check libreswan conns: %w", err)
	}
	// A bare config setup section, not the system's ipsec.conf: that
	// includes ipsec.d/*.conf, where the installed conns would clash with
	// these.
	if err := os.WriteFile(main, []byte("config setup\n\ninclude "+file+"\n"), 0o600); err != nil {
		return fmt.Errorf("check libreswan conns: %w", err)
	}
	addconn := c.Addconn
	if addconn == "" {
		addconn = "/usr/libexec/ipsec/addconn"
	}
	cmd := exec.CommandContext(ctx, addconn, "--checkconfig", "--config", main)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		return fmt.Errorf("libreswan rejects the conns (addconn --checkconfig): %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (c *Command) Replace(ctx context.Context, name string) error {
	_, err := c.ipsec(ctx, "auto", "--config", c.config(), "--replace", name)
	if err != nil {
		return fmt.Errorf("load libreswan conn %s: %w", name, err)
	}
	return nil
}

func (c *Command) Up(ctx context.Context, name string) error {
	_, err := c.ipsec(ctx, "auto", "--asynchronous", "--up", name)
	if err != nil {
		return fmt.Errorf("initiate libreswan conn %s: %w", name, err)
	}
	return nil
}

func (c *Command) Delete(ctx context.Context, name string) error {
	_, err := c.ipsec(ctx, "auto", "--delete", name)
	if err != nil {
		return fmt.Errorf("delete libreswan conn %s: %w", name, err)
	}
	return nil
}

func (c *Command) RereadSecrets(ctx context.Context) error {
	_, err := c.ipsec(ctx, "auto", "--rereadsecrets")
	if err != nil {
		return fmt.Errorf("reread libreswan secrets: %w", err)
	}
	return nil
}
