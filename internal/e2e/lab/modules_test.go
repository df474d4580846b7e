package lab

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

func TestParseShowDepends(t *testing.T) {
	out := "insmod /lib/modules/6.1.0-56-amd64/kernel/fs/netfs/netfs.ko \n" +
		"builtin crc32c\n" +
		"insmod /lib/modules/6.1.0-56-amd64/kernel/fs/9p/9p.ko.xz debug=1\n"
	mods, err := parseShowDepends([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 2 || mods[0].Name != "netfs" || mods[1].Name != "9p" ||
		mods[1].Path != "/lib/modules/6.1.0-56-amd64/kernel/fs/9p/9p.ko.xz" {
		t.Errorf("parseShowDepends = %+v", mods)
	}
	if _, err := parseShowDepends([]byte("modprobe: FATAL: Module nope not found\n")); err == nil {
		t.Error("parseShowDepends accepted an error message as a module list")
	}
}

func TestReadModuleDecompresses(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.ko")
	mustWrite(t, plain, "\x7fELF plain")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\x7fELF gz"))
	zw.Close()
	gzPath := filepath.Join(dir, "b.ko.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{plain: "\x7fELF plain", gzPath: "\x7fELF gz"} {
		got, err := readModule(path)
		if err != nil || string(got) != want {
			t.Errorf("readModule(%s) = %q, %v; want %q", path, got, err, want)
		}
	}
	if _, err := readModule(filepath.Join(dir, "c.o")); err == nil || !strings.Contains(err.Error(), "unknown file type") {
		t.Errorf("readModule(c.o) error = %v", err)
	}
}

// TestResolveModulesHost asks this machine's modprobe: dependencies must
// come before the modules that need them.
func TestResolveModulesHost(t *testing.T) {
	k := hostKernel(t)
	mods, err := resolveModules(k.Version, bootModules)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, m := range mods {
		if _, dup := pos[m.Name]; dup {
			t.Errorf("module %s listed twice", m.Name)
		}
		pos[m.Name] = i
	}
	for _, name := range bootModules {
		if _, ok := pos[name]; !ok {
			t.Errorf("module %s missing from %v", name, mods)
		}
	}
	for _, dep := range [][2]string{{"netfs", "9p"}, {"9pnet", "9pnet_virtio"}, {"virtio_ring", "virtio_pci"}, {"virtio", "9pnet_virtio"}} {
		if pos[dep[0]] > pos[dep[1]] {
			t.Errorf("%s comes after %s, which needs it", dep[0], dep[1])
		}
	}
	if _, err := resolveModules(k.Version, []string{"no_such_module_xyz"}); err == nil {
		t.Error("resolveModules of an unknown module: no error")
	}
}

// hostKernel returns the installed kernel, or skips (fails under CI=true)
// when there is none.
func hostKernel(t *testing.T) Kernel {
	t.Helper()
	k, err := FindKernel()
	if err != nil {
		require.SkipOrFail(t, "needs an installed kernel: %v", err)
	}
	return k
}
