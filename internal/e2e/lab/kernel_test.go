package lab

import (
	"os"
	"path/filepath"
	"testing"
)

func TestVersionLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"6.1.0-9-amd64", "6.1.0-10-amd64", true},
		{"6.1.0-10-amd64", "6.1.0-9-amd64", false},
		{"5.10.0-28-amd64", "6.1.0-1-amd64", true},
		{"6.1.0-56-amd64", "6.1.0-56-amd64", false},
		{"6.1.0-56-amd64", "6.1.0-56-cloud-amd64", true},
	}
	for _, tt := range tests {
		if got := versionLess(tt.a, tt.b); got != tt.want {
			t.Errorf("versionLess(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFindKernelPicksNewestWithModules(t *testing.T) {
	root := t.TempDir()
	boot, mods := filepath.Join(root, "boot"), filepath.Join(root, "modules")
	for _, v := range []string{"6.1.0-9-amd64", "6.1.0-10-amd64", "6.1.0-11-amd64"} {
		mustWrite(t, filepath.Join(boot, "vmlinuz-"+v), "")
	}
	// 6.1.0-11 has an image but no module tree: the guest could not load
	// ip_vti with it, so it must not be chosen.
	for _, v := range []string{"6.1.0-9-amd64", "6.1.0-10-amd64"} {
		if err := os.MkdirAll(filepath.Join(mods, v), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	oldBoot, oldMods := bootDir, modulesDir
	bootDir, modulesDir = boot, mods
	defer func() { bootDir, modulesDir = oldBoot, oldMods }()

	k, err := FindKernel()
	if err != nil {
		t.Fatal(err)
	}
	if k.Version != "6.1.0-10-amd64" || k.Image != filepath.Join(boot, "vmlinuz-6.1.0-10-amd64") {
		t.Errorf("FindKernel = %+v, want 6.1.0-10-amd64", k)
	}

	modulesDir = filepath.Join(root, "none")
	if _, err := FindKernel(); err == nil {
		t.Error("FindKernel without a module tree: no error")
	}
}

func TestKernelFromImage(t *testing.T) {
	k, err := KernelFromImage("/boot/vmlinuz-6.1.0-56-amd64")
	if err != nil || k.Version != "6.1.0-56-amd64" {
		t.Errorf("KernelFromImage = %+v, %v", k, err)
	}
	if _, err := KernelFromImage("/boot/bzImage"); err == nil {
		t.Error("KernelFromImage(/boot/bzImage): no error")
	}
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
