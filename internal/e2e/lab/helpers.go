package lab

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// guestFS holds the guest-side helper scripts (see doc.go for what each
// does). They are shell so that they run in the guest without building
// anything, and embedded so that any caller of this package, such as a
// future `vtic lab` command, ships the same ones.
//
//go:embed guest
var guestFS embed.FS

// WriteHelpers writes the guest helper scripts into shareDir/bin, which the
// guest sees as /share/bin at the front of its PATH. Run calls it; it is
// exported for callers that prepare a share directory themselves.
func WriteHelpers(shareDir string) error {
	bin := filepath.Join(shareDir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return fmt.Errorf("create helper directory: %w", err)
	}
	entries, err := fs.ReadDir(guestFS, "guest")
	if err != nil {
		return fmt.Errorf("read embedded helpers: %w", err)
	}
	for _, e := range entries {
		data, err := guestFS.ReadFile("guest/" + e.Name())
		if err != nil {
			return fmt.Errorf("read embedded helper %s: %w", e.Name(), err)
		}
		dst := filepath.Join(bin, e.Name())
		if err := os.WriteFile(dst, data, 0o755); err != nil {
			return fmt.Errorf("write helper %s: %w", dst, err)
		}
		// WriteFile keeps the mode of an existing file; helpers must be
		// executable even in a share reused from an older run.
		if err := os.Chmod(dst, 0o755); err != nil {
			return fmt.Errorf("write helper %s: %w", dst, err)
		}
	}
	return nil
}

// Helpers lists the helper scripts WriteHelpers installs.
func Helpers() []string {
	entries, _ := fs.ReadDir(guestFS, "guest")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
