package charon

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/internal/testkit/testdaemon"
	"github.com/vtic/vtic/targets/swanctl"
)

// gw1 returns the plan of gw1 of examples/two-routers, its connections
// file as vtic renders it, and its connections and secrets as apply loads
// them.
func gw1(t *testing.T) (file []byte, conns []Conn, secrets []Secret) {
	t.Helper()
	h := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers")).Host("gw1")
	files, err := swanctl.Renderer{}.Render(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == swanctl.ConnsPath {
			file = f.Data
		}
	}
	sec, err := swanctl.Secrets(h)
	if err != nil {
		t.Fatal(err)
	}
	if secrets, err = Secrets(sec); err != nil {
		t.Fatal(err)
	}
	return file, Conns(swanctl.Connections(h)), secrets
}

func TestVICIAgainstCharon(t *testing.T) {
	c := testdaemon.StartCharon(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v := &VICI{Socket: c.URI, RestartCommand: c.Restart, StartTimeout: 20 * time.Second}

	renderedConns, conns, secrets := gw1(t)
	list := func(what string, get func(context.Context) ([]string, error)) []string {
		t.Helper()
		l, err := get(ctx)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return l
	}
	if l := list("get-conns", v.Conns); len(l) != 0 {
		t.Fatalf("fresh charon has conns %v", l)
	}
	if l := list("get-shared", v.Shared); len(l) != 0 {
		t.Fatalf("fresh charon has secrets %v", l)
	}

	if err := v.LoadShared(ctx, secrets[0]); err != nil {
		t.Fatal(err)
	}
	if err := v.LoadConn(ctx, conns[0]); err != nil {
		t.Fatal(err)
	}
	if l := list("get-conns", v.Conns); !slices.Equal(l, []string{"gw1-gw2"}) {
		t.Fatalf("get-conns after load = %v", l)
	}
	if l := list("get-shared", v.Shared); !slices.Equal(l, []string{"ike-gw1-gw2"}) {
		t.Fatalf("get-shared after load = %v", l)
	}
	// The message must be the one swanctl sends for the file rendered from
	// the same plan: charon's view of the connection is the same either
	// way.
	viaVICI := c.Swanctl(t, "--list-conns", "--raw")
	file := filepath.Join(c.Dir, "swanctl.conf")
	if err := os.WriteFile(file, renderedConns, 0o644); err != nil {
		t.Fatal(err)
	}
	c.Swanctl(t, "--load-conns", "--file", file)
	if viaSwanctl := c.Swanctl(t, "--list-conns", "--raw"); viaSwanctl != viaVICI || !strings.Contains(viaVICI, "gw1-gw2") {
		t.Errorf("list-conns differs:\n--- loaded by vtic\n%s\n--- loaded by swanctl\n%s", viaVICI, viaSwanctl)
	}

	// charon rejects a bad connection; the error must say so.
	bad := badConn(t, conns[0])
	err := v.LoadConn(ctx, bad)
	if err == nil || !strings.Contains(err.Error(), "load-conn gw1-gw2") || !strings.Contains(err.Error(), "mark_inn") {
		t.Fatalf("loading a bad conn: err = %v", err)
	}

	if err := v.UnloadConn(ctx, "gw1-gw2"); err != nil {
		t.Fatal(err)
	}
	if err := v.UnloadShared(ctx, "ike-gw1-gw2"); err != nil {
		t.Fatal(err)
	}
	if l := list("get-conns", v.Conns); len(l) != 0 {
		t.Fatalf("get-conns after unload = %v", l)
	}
	if l := list("get-shared", v.Shared); len(l) != 0 {
		t.Fatalf("get-shared after unload = %v", l)
	}
	if err := v.UnloadConn(ctx, "gw1-gw2"); err == nil {
		t.Error("unloading a missing conn succeeded; apply relies on charon saying so")
	}

	// Restart drops what was loaded over VICI and returns once the new
	// daemon answers.
	if err := v.LoadConn(ctx, conns[0]); err != nil {
		t.Fatal(err)
	}
	if err := v.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if l := list("get-conns after restart", v.Conns); len(l) != 0 {
		t.Fatalf("get-conns after restart = %v; want a fresh daemon", l)
	}
}

// badConn is c with its children's mark_in key misspelt, which charon
// rejects.
func badConn(t *testing.T, c Conn) Conn {
	t.Helper()
	c.Def = copySection(c.Def)
	child := c.Def.Sub("children").Sub(c.Name)
	for i, e := range child.Entries {
		if e.Key == "mark_in" {
			child.Entries[i].Key = "mark_inn"
			return c
		}
	}
	t.Fatalf("connection %s has no mark_in", c.Name)
	return c
}

func copySection(s *swanctl.Section) *swanctl.Section {
	c := &swanctl.Section{Name: s.Name, Entries: append([]swanctl.Entry(nil), s.Entries...)}
	for i, e := range c.Entries {
		if e.Section != nil {
			c.Entries[i].Section = copySection(e.Section)
		}
	}
	return c
}

func TestVICIUnreachable(t *testing.T) {
	v := &VICI{Socket: "unix://" + filepath.Join(t.TempDir(), "none.vici")}
	_, err := v.Conns(context.Background())
	if !errors.Is(err, ErrNotRunning) || !strings.Contains(err.Error(), "connect to "+v.Socket) {
		t.Fatalf("err = %v; want ErrNotRunning naming the socket", err)
	}
	if _, err := (&VICI{Socket: "tcp://127.0.0.1:4502"}).Conns(context.Background()); err == nil {
		t.Fatal("tcp address accepted")
	}
}
