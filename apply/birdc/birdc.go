package birdc

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

// Bird is what apply needs of BIRD.
type Bird interface {
	// Running returns nil when BIRD answers on its control socket, and
	// an error wrapping ErrNotRunning when it does not run.
	Running(ctx context.Context) error
	// Check has BIRD's parser judge a configuration; it changes nothing.
	Check(ctx context.Context, config []byte) error
	// Configure has the running BIRD read its configuration file again.
	Configure(ctx context.Context) error
}

// ErrNotRunning says BIRD does not answer.
var ErrNotRunning = errors.New("bird is not running")

// Command runs bird and birdc.
type Command struct {
	// Bird and Birdc are the commands with any leading arguments; nil
	// means "bird" and "birdc".
	Bird, Birdc []string
}

var _ Bird = (*Command)(nil)

func run(ctx context.Context, argv []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(out)))
	}
	return out, nil
}

func (c *Command) birdc(args ...string) []string {
	if len(c.Birdc) == 0 {
		return append([]string{"birdc"}, args...)
	}
	return append(append([]string{}, c.Birdc...), args...)
}

func (c *Command) Running(ctx context.Context) error {
	if _, err := run(ctx, c.birdc("show", "status")); err != nil {
		return fmt.Errorf("%w (%v)", ErrNotRunning, err)
	}
	return nil
}

func (c *Command) Check(ctx context.Context, config []byte) error {
	dir, err := os.MkdirTemp("", "vtic-bird-")
	if err != nil {
		return fmt.Errorf("check bird.conf: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "bird.conf")
	if err := os.WriteFile(file, config, 0o600); err != nil {
		return fmt.Errorf("check bird.conf: %w", err)
	}
	argv := append(append([]string{}, c.Bird...), "-p", "-c", file)
	if len(c.Bird) == 0 {
		argv = []string{"bird", "-p", "-c", file}
	}
	if _, err := run(ctx, argv); err != nil {
		return fmt.Errorf("BIRD rejects the configuration: %w", err)
	}
	return nil
}

// Configure runs `birdc configure`. birdc exits 0 even when BIRD refuses
// the file (it prints the parse error), so its answer is read: BIRD took
// the file when it says "Reconfigured" or "Reconfiguration in progress".
func (c *Command) Configure(ctx context.Context) error {
	out, err := run(ctx, c.birdc("configure"))
	if err != nil {
		return fmt.Errorf("reconfigure bird: %w", err)
	}
	if !bytes.Contains(out, []byte("Reconfigur")) || bytes.Contains(out, []byte("error")) {
		return fmt.Errorf("reconfigure bird: birdc configure: %s", strings.TrimSpace(string(out)))
	}
	return nil
}
