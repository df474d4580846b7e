package sitegen

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The floor is what vtic build cannot do faster than: read every file of the
// site and write as many bytes in as many files as the build did, with plain
// Go file I/O and no parsing or rendering at all. docs/performance.md
// compares vtic with it, measured in the same run.

// Entry is one file of an output tree: its path (forward slashes), mode and
// size.
type Entry struct {
	Path string
	Mode fs.FileMode
	Size int64
}

// Shape lists the regular files under dir, in WalkDir order.
func Shape(dir string) ([]Entry, error) {
	var out []Entry
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, Entry{Path: filepath.ToSlash(rel), Mode: info.Mode().Perm(), Size: info.Size()})
		return nil
	})
	return out, err
}

// ReadTree reads every regular file under dir except a .git directory and
// returns how many bytes it read.
func ReadTree(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case !d.Type().IsRegular():
			return nil
		}
		b, err := os.ReadFile(path)
		n += int64(len(b))
		return err
	})
	return n, err
}

// WriteShape writes files of the given paths, modes and sizes under out.
func WriteShape(out string, shape []Entry) error {
	var max int64
	for _, e := range shape {
		max = maxInt64(max, e.Size)
	}
	buf := []byte(strings.Repeat("x", int(max)))
	made := map[string]bool{}
	for _, e := range shape {
		path := filepath.Join(out, filepath.FromSlash(e.Path))
		if dir := filepath.Dir(path); !made[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			made[dir] = true
		}
		if err := os.WriteFile(path, buf[:e.Size], e.Mode); err != nil {
			return err
		}
	}
	return nil
}

func maxInt64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// EncodeShape and DecodeShape store a shape as text lines "mode size path",
// so the floor program can learn it from an earlier build.
func EncodeShape(shape []Entry) []byte {
	var b strings.Builder
	for _, e := range shape {
		fmt.Fprintf(&b, "%04o %d %s\n", e.Mode, e.Size, e.Path)
	}
	return []byte(b.String())
}

func DecodeShape(data []byte) ([]Entry, error) {
	var out []Entry
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if line == "" {
			continue
		}
		var e Entry
		var mode uint32
		if _, err := fmt.Sscanf(line, "%o %d", &mode, &e.Size); err != nil {
			return nil, fmt.Errorf("shape line %d: %w", i+1, err)
		}
		_, rest, _ := strings.Cut(line, " ")
		_, e.Path, _ = strings.Cut(rest, " ")
		e.Mode = fs.FileMode(mode)
		out = append(out, e)
	}
	return out, nil
}
