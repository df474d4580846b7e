package lab

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// bootModules are the modules the initramfs inserts, in this order, before
// it can mount its root: 9p over virtio for the host's file system and the
// share, and overlay for a writable root on top of the read-only host.
// Dependencies are added by resolveModules, so listing one twice is harmless.
var bootModules = []string{
	"netfs", "fscache", "9pnet", "9p",
	"virtio_ring", "virtio", "9pnet_virtio",
	"virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci",
	"overlay",
}

// module is one kernel module file to insert at boot.
type module struct {
	Name string // base name without extension, e.g. "9pnet_virtio"
	Path string // file on the host, possibly compressed
}

// resolveModules expands names into the module files to insert, with every
// dependency before the module that needs it and each file once. It asks
// the host's modprobe, which reads modules.dep of the given kernel version;
// modules built into that kernel need no file and are left out.
func resolveModules(kernelVersion string, names []string) ([]module, error) {
	modprobe, err := findTool("modprobe", "/sbin/modprobe", "/usr/sbin/modprobe")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []module
	for _, name := range names {
		cmd := exec.Command(modprobe, "-S", kernelVersion, "--show-depends", name)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		text, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("resolve module %s for kernel %s: %w: %s", name, kernelVersion, err, strings.TrimSpace(stderr.String()))
		}
		mods, err := parseShowDepends(text)
		if err != nil {
			return nil, fmt.Errorf("resolve module %s for kernel %s: %w", name, kernelVersion, err)
		}
		for _, m := range mods {
			if !seen[m.Path] {
				seen[m.Path] = true
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// parseShowDepends reads `modprobe --show-depends` output: one
// "insmod <path> [options]" line per file in load order, or "builtin <name>".
func parseShowDepends(text []byte) ([]module, error) {
	var out []module
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
		case f[0] == "builtin":
		case f[0] == "insmod" && len(f) >= 2:
			out = append(out, module{Name: moduleName(f[1]), Path: f[1]})
		default:
			return nil, fmt.Errorf("unexpected modprobe output line %q", sc.Text())
		}
	}
	return out, sc.Err()
}

// moduleName strips the directory and the .ko[.xz|.gz|.zst] suffix.
func moduleName(path string) string {
	base := filepath.Base(path)
	if i := strings.Index(base, ".ko"); i >= 0 {
		return base[:i]
	}
	return base
}

// readModule returns the module's ELF bytes. Debian 12 ships plain .ko
// files, later releases compress them; the initramfs's busybox insmod may
// lack the matching decompressor, so decompression happens here.
func readModule(path string) ([]byte, error) {
	switch {
	case strings.HasSuffix(path, ".ko"):
		return os.ReadFile(path)
	case strings.HasSuffix(path, ".ko.gz"):
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("decompress module %s: %w", path, err)
		}
		return io.ReadAll(zr)
	case strings.HasSuffix(path, ".ko.xz"):
		return decompressWith(path, "xz", "-dc")
	case strings.HasSuffix(path, ".ko.zst"):
		return decompressWith(path, "zstd", "-dcq")
	}
	return nil, fmt.Errorf("module %s: unknown file type", path)
}

func decompressWith(path, tool string, args ...string) ([]byte, error) {
	bin, err := exec.LookPath(tool)
	if err != nil {
		return nil, fmt.Errorf("decompress module %s: %w", path, err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, append(args, path)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("decompress module %s with %s: %w: %s", path, tool, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// findTool looks a program up in PATH and then at fixed locations, because
// go test may run with a PATH that lacks /sbin.
func findTool(name string, fallbacks ...string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, p := range fallbacks {
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found in PATH or at %s", name, strings.Join(fallbacks, ", "))
}
