// Package atomicfile replaces files so that a reader sees either the old
// file or the whole new one. vtic import writes site files and keys with
// it, vtic fmt and check their files, the lab its initramfs.
package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile replaces path with data so that readers see either the old
// file or the whole new one, never a partial key or config: it writes a
// temporary file in the same directory with the final mode, syncs it,
// then renames it over path.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return WriteFileFunc(path, data, perm, nil)
}

// WriteFileFunc is WriteFile with prepare (when not nil) run on the
// temporary file after its mode is set and before any data is written:
// vtic apply gives it its owner there. Its error is returned as it is.
func WriteFileFunc(path string, data []byte, perm fs.FileMode, prepare func(*os.File) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes the file 0600 already; Chmod sets the final mode
	// before any data is written, so a key is never readable by others.
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if prepare != nil {
		if err := prepare(tmp); err != nil {
			return err
		}
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
