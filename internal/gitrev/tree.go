package gitrev

import (
	"context"
	"strconv"
	"strings"
)

// Entry is one file of a revision's directory.
type Entry struct {
	Mode string // git's mode: 100644, 100755, 120000 (symlink), 160000 (submodule)
	OID  string
	Size int64 // 0 for a submodule
}

// Regular reports whether the entry is a plain file (executable or not).
func (e Entry) Regular() bool { return e.Mode == "100644" || e.Mode == "100755" }

// Tree lists the files of the directory in a commit, recursively, by path
// relative to the directory (slash-separated). It is empty when the
// directory does not exist there.
func (r *Repo) Tree(ctx context.Context, commit string) (map[string]Entry, error) {
	name := commit + "^{tree}"
	if r.prefix != "" {
		name = commit + ":" + r.prefix
	}
	id, err := r.Resolve(ctx, name)
	if err != nil || id == "" {
		return map[string]Entry{}, err
	}
	typ, err := r.git(ctx, "cat-file", "-t", "--end-of-options", id)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(typ)) != "tree" {
		return map[string]Entry{}, nil
	}
	out, err := r.git(ctx, "ls-tree", "-r", "-z", "-l", "--end-of-options", id)
	if err != nil {
		return nil, err
	}
	entries := map[string]Entry{}
	for _, rec := range strings.Split(string(out), "\x00") {
		meta, p, ok := strings.Cut(rec, "\t")
		if !ok {
			continue
		}
		f := strings.Fields(meta) // mode type object size
		if len(f) != 4 {
			continue
		}
		size, _ := strconv.ParseInt(f[3], 10, 64) // "-" for submodules
		entries[p] = Entry{Mode: f[0], OID: f[2], Size: size}
	}
	return entries, nil
}
