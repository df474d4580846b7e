package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/internal/atomicfile"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "lock", summary: "pin what the mesh blocks' pools hand out in vtic.lock.hcl", run: runLock})
}

// runLock writes the site's lock file. Entries that still fit their mesh
// are kept as they are; new pairs get free values; entries no mesh uses
// are dropped. A site with errors gets no lock file.
func runLock(ctx context.Context, e *env, args []string) error {
	flags := newFlags(e, "lock", "[DIR]")
	pos, err := parse(flags, args, 1)
	if err != nil {
		return err
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	site, diags := lang.LoadDir(dir, lang.Options{Relock: true, AllowUnresolvedSecrets: true, Context: ctx})
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted: %w", context.Cause(ctx))
	}
	sortDiags(diags)
	if len(diags) > 0 {
		if err := printDiags(e.stderr, "text", site.Files, diags); err != nil {
			return err
		}
	}
	if diags.HasErrors() {
		return errReported
	}
	want, needed := site.LockFile()
	if !needed {
		fmt.Fprintf(e.stdout, "The site has no mesh blocks; no %s written.\n", lang.LockFileName)
		return nil
	}
	name := filepath.Join(dir, lang.LockFileName)
	have, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read lock file %s: %w", name, err)
	}
	if bytes.Equal(have, want) {
		fmt.Fprintf(e.stdout, "%s is up to date.\n", name)
		return nil
	}
	if err := atomicfile.WriteFile(name, want, 0o644); err != nil {
		return fmt.Errorf("write lock file %s: %w", name, err)
	}
	fmt.Fprintf(e.stdout, "Wrote %s.\n", name)
	return nil
}
