package lab

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

func TestBuildInitramfs(t *testing.T) {
	k := hostKernel(t)
	if _, err := os.Stat(busyboxPath); err != nil {
		require.SkipOrFail(t, "needs busybox: %v", err)
	}
	path, err := BuildInitramfsFor(t.TempDir(), k)
	if err != nil {
		t.Fatal(err)
	}
	entries := readInitramfs(t, path)
	byName := map[string]cpioEntry{}
	for _, e := range entries {
		byName[e.name] = e
	}
	for _, name := range []string{"init", "bin/busybox", "bin/sh", "sbin/lab-modprobe", "dev/console", "modules/order"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("initramfs lacks %s", name)
		}
	}
	if c := byName["dev/console"]; c.mode != cpioCharDev|0o600 || c.rmaj != 5 || c.rmin != 1 {
		t.Errorf("dev/console = %+v, want char device 5:1", c)
	}
	if e := byName["init"]; e.mode&0o111 == 0 || !bytes.HasPrefix(e.data, []byte("#!/bin/busybox sh")) {
		t.Errorf("init not an executable busybox script: mode %o", e.mode)
	}
	// Every module in the order file is in the archive and is an ELF file.
	order := strings.Fields(string(byName["modules/order"].data))
	if len(order) < len(bootModules) {
		t.Errorf("order lists %d modules, want at least %d: %v", len(order), len(bootModules), order)
	}
	for _, f := range order {
		e, ok := byName["modules/"+f]
		if !ok {
			t.Errorf("module %s in the order file but not in the archive", f)
			continue
		}
		if !bytes.HasPrefix(e.data, []byte("\x7fELF")) {
			t.Errorf("module %s is not an ELF file (still compressed?)", f)
		}
	}
	if len(order) > 0 && !strings.HasSuffix(order[len(order)-1], "-overlay.ko") {
		t.Errorf("last module %s, want overlay (last in bootModules, no dependents)", order[len(order)-1])
	}
}

func TestCheckStaticRejectsDynamic(t *testing.T) {
	data, err := os.ReadFile("/bin/true")
	if err != nil {
		t.Skip("no /bin/true")
	}
	if err := checkStatic("/bin/true", data); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
		t.Errorf("checkStatic(/bin/true) = %v, want a dynamically-linked error", err)
	}
	if err := checkStatic("x", []byte("#!/bin/sh\n")); err == nil {
		t.Error("checkStatic accepted a shell script")
	}
}

func readInitramfs(t *testing.T, path string) []cpioEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := readNewc(raw)
	if err != nil {
		t.Fatalf("initramfs does not parse: %v", err)
	}
	return entries
}
