package sitegen

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes files under dir, creating directories as needed and
// replacing files of the same name. Modes are set exactly, whatever the
// umask: key files must be 0600 or lang warns about them.
func Write(dir string, files []File) error {
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
		}
		if err := os.WriteFile(path, f.Data, f.Mode); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := os.Chmod(path, f.Mode); err != nil {
			return fmt.Errorf("chmod %s: %w", path, err)
		}
	}
	return nil
}

// WriteSite generates the site of c into dir. It is what benchmarks call.
func WriteSite(dir string, c Config) (Stats, error) {
	files, st, err := Generate(c)
	if err != nil {
		return st, err
	}
	return st, Write(dir, files)
}
