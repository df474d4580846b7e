package lab

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Kernel is a bootable kernel image together with the version string that
// names its module tree under /lib/modules.
type Kernel struct {
	Image   string // e.g. /boot/vmlinuz-6.1.0-56-amd64
	Version string // e.g. 6.1.0-56-amd64
}

// Where FindKernel looks; variables so that tests can point them at a fake
// tree.
var (
	bootDir    = "/boot"
	modulesDir = "/lib/modules"
)

// FindKernel returns the newest installed kernel that has both an image in
// /boot and a module tree in /lib/modules. The guest's root file system is
// the host's own, so the modules the guest loads after boot come from that
// same tree: a kernel without one could boot but not load ip_vti.
func FindKernel() (Kernel, error) {
	entries, err := os.ReadDir(modulesDir)
	if err != nil {
		return Kernel{}, fmt.Errorf("list kernel module trees: %w", err)
	}
	var found []Kernel
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		image := filepath.Join(bootDir, "vmlinuz-"+e.Name())
		if _, err := os.Stat(image); err == nil {
			found = append(found, Kernel{Image: image, Version: e.Name()})
		}
	}
	if len(found) == 0 {
		return Kernel{}, errors.New("no kernel found: need /boot/vmlinuz-<version> with a matching " + modulesDir + "/<version> (install linux-image-amd64)")
	}
	sort.Slice(found, func(i, j int) bool { return versionLess(found[i].Version, found[j].Version) })
	return found[len(found)-1], nil
}

// KernelFromImage derives the module tree version from an image path named
// the Debian way (vmlinuz-<version>).
func KernelFromImage(image string) (Kernel, error) {
	base := filepath.Base(image)
	version, ok := strings.CutPrefix(base, "vmlinuz-")
	if !ok || version == "" {
		return Kernel{}, fmt.Errorf("kernel image %s: name is not vmlinuz-<version>", image)
	}
	return Kernel{Image: image, Version: version}, nil
}

// versionLess orders kernel versions by their numeric fields, so that
// 6.1.0-10 sorts after 6.1.0-9 (string order would say the opposite).
func versionLess(a, b string) bool {
	fa, fb := versionFields(a), versionFields(b)
	for i := 0; i < len(fa) && i < len(fb); i++ {
		na, errA := strconv.Atoi(fa[i])
		nb, errB := strconv.Atoi(fb[i])
		switch {
		case errA == nil && errB == nil && na != nb:
			return na < nb
		case (errA != nil || errB != nil) && fa[i] != fb[i]:
			return fa[i] < fb[i]
		}
	}
	return len(fa) < len(fb)
}

func versionFields(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '-' || r == '+' || r == '~' })
}
