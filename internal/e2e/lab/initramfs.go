package lab

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vtic/vtic/internal/atomicfile"
)

var (
	//go:embed initramfs/init
	initScript []byte
	//go:embed initramfs/lab-modprobe
	modprobeHelper []byte
)

// busyboxPath is the static busybox copied into the initramfs (Debian's
// busybox-static package); a variable so that tests can replace it.
var busyboxPath = "/bin/busybox"

// BuildInitramfs writes an initramfs for the newest installed kernel (see
// FindKernel) into dir and returns its path. See BuildInitramfsFor.
func BuildInitramfs(dir string) (string, error) {
	k, err := FindKernel()
	if err != nil {
		return "", err
	}
	return BuildInitramfsFor(dir, k)
}

// BuildInitramfsFor writes dir/initramfs-<version>.cpio.gz for kernel k: a
// static busybox, the 9p/virtio/overlay modules of k with their
// dependencies, and the lab's init script. It is built from files on this
// machine every time, so it always matches the installed kernel and
// busybox, and it needs no network.
func BuildInitramfsFor(dir string, k Kernel) (string, error) {
	busybox, err := os.ReadFile(busyboxPath)
	if err != nil {
		return "", fmt.Errorf("read busybox (install busybox-static): %w", err)
	}
	if err := checkStatic(busyboxPath, busybox); err != nil {
		return "", err
	}
	mods, err := resolveModules(k.Version, bootModules)
	if err != nil {
		return "", err
	}

	// The cpio writer's errors are sticky: Close reports the first one.
	var raw bytes.Buffer
	cw := newCPIOWriter(&raw)
	for _, d := range []string{"bin", "dev", "modules", "proc", "sbin", "sys"} {
		cw.Dir(d, 0o755)
	}
	cw.CharDev("dev/console", 0o600, 5, 1)
	cw.File("bin/busybox", 0o755, busybox)
	cw.Symlink("bin/sh", "busybox")
	cw.File("init", 0o755, initScript)
	cw.File("sbin/lab-modprobe", 0o755, modprobeHelper)
	var order strings.Builder
	for i, m := range mods {
		data, err := readModule(m.Path)
		if err != nil {
			return "", fmt.Errorf("read module %s: %w", m.Name, err)
		}
		// A numeric prefix keeps the files in load order in a listing.
		file := fmt.Sprintf("%02d-%s.ko", i, m.Name)
		cw.File("modules/"+file, 0o644, data)
		fmt.Fprintln(&order, file)
	}
	cw.File("modules/order", 0o644, []byte(order.String()))
	if err := cw.Close(); err != nil {
		return "", fmt.Errorf("build initramfs for kernel %s: %w", k.Version, err)
	}

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return "", fmt.Errorf("compress initramfs: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("compress initramfs: %w", err)
	}
	path := filepath.Join(dir, "initramfs-"+k.Version+".cpio.gz")
	if err := atomicfile.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// checkStatic rejects a dynamically linked busybox: the initramfs holds no
// libc, so such a binary would fail at boot with a bare "init not found".
func checkStatic(path string, data []byte) error {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("busybox %s: not an ELF file: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("busybox %s is dynamically linked; install busybox-static", path)
		}
	}
	return nil
}
