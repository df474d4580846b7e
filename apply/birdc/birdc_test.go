package birdc_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/apply/birdc"
	"github.com/vtic/vtic/internal/testkit/require"
)

const good = "router id 192.0.2.1;\nprotocol device {\n}\n"

// A real BIRD, on its own control socket and with a configuration that
// touches no route: Check, Running and Configure as apply uses them,
// including a file BIRD refuses, for which birdc itself exits 0.
func TestRealBird(t *testing.T) {
	require.Root(t, "bird", "birdc")
	dir := t.TempDir()
	conf, sock := filepath.Join(dir, "bird.conf"), filepath.Join(dir, "bird.ctl")
	if err := os.WriteFile(conf, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &birdc.Command{Birdc: []string{"birdc", "-s", sock}}
	ctx := context.Background()
	if err := c.Check(ctx, []byte(good)); err != nil {
		t.Fatalf("check a good file: %v", err)
	}
	if err := c.Check(ctx, []byte(good+"protocol bgp x { bogus; }\n")); err == nil {
		t.Errorf("check accepts a bad file")
	}
	if err := c.Running(ctx); !errors.Is(err, birdc.ErrNotRunning) {
		t.Errorf("before bird starts: %v, want ErrNotRunning", err)
	}
	bird := exec.Command("bird", "-f", "-c", conf, "-s", sock, "-P", filepath.Join(dir, "bird.pid"))
	if err := bird.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bird.Process.Kill(); _ = bird.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for c.Running(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("bird does not answer: %v", c.Running(ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := c.Configure(ctx); err != nil {
		t.Errorf("configure a good file: %v", err)
	}
	if err := os.WriteFile(conf, []byte(good+"protocol bgp x { bogus; }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := c.Configure(ctx)
	if err == nil || !strings.Contains(err.Error(), "bird.conf") {
		t.Errorf("configure a bad file: %v, want BIRD's complaint", err)
	}
}
