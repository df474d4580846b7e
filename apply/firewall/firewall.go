package firewall

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Firewall is what apply needs of iptables.
type Firewall interface {
	// Rules returns the rules of a table as iptables -t TABLE -S prints
	// them. It changes nothing.
	Rules(ctx context.Context, table string) ([]string, error)
	// Restore feeds input to iptables-restore --noflush.
	Restore(ctx context.Context, input []byte) error
}

// IPTables runs the iptables programs.
type IPTables struct {
	// Iptables and IptablesRestore are the commands with any leading
	// arguments; nil means "iptables" and "iptables-restore".
	Iptables, IptablesRestore []string
}

var _ Firewall = (*IPTables)(nil)

func (t *IPTables) Rules(ctx context.Context, table string) ([]string, error) {
	argv := t.Iptables
	if len(argv) == 0 {
		argv = []string{"iptables"}
	}
	out, err := run(ctx, argv, nil, "-w", "-t", table, "-S")
	if err != nil {
		return nil, fmt.Errorf("iptables: list table %s: %w", table, err)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

func (t *IPTables) Restore(ctx context.Context, input []byte) error {
	argv := t.IptablesRestore
	if len(argv) == 0 {
		argv = []string{"iptables-restore"}
	}
	if _, err := run(ctx, argv, input, "-w", "--noflush"); err != nil {
		return fmt.Errorf("iptables-restore: %w", err)
	}
	return nil
}

func run(ctx context.Context, argv []string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:len(argv):len(argv)], args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", argv[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}
