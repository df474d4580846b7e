package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/vtic/vtic/internal/atomicfile"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "fmt", summary: "rewrite site files in the canonical format", run: runFmt})
}

func runFmt(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "fmt", "[-check] [DIR | FILE.hcl ...]")
	check := fs.Bool("check", false, "only list files that are not formatted; exit 1 if any")
	pos, err := parse(fs, args, 1<<20)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		pos = []string{"."}
	}
	var files []string
	for _, p := range pos {
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		names, _ := filepath.Glob(filepath.Join(p, "*.hcl"))
		if len(names) == 0 {
			return fmt.Errorf("%s holds no *.hcl files", p)
		}
		files = append(files, names...)
	}
	sort.Strings(files)

	// Parse everything before writing anything: a syntax error in one file
	// leaves every file untouched.
	type result struct {
		name     string
		src, out []byte
		mode     os.FileMode
	}
	var results []result
	var diags hcl.Diagnostics
	parsed := map[string]*hcl.File{}
	for _, name := range files {
		// The limits of lang: a file too large or too deeply nested
		// would exhaust memory or the parser's stack.
		// Lstat: fmt replaces the file by renaming a new one over it, which
		// would turn a symbolic link into a file, so a link is refused.
		st, err := os.Lstat(name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link; vtic fmt rewrites only regular files (format the file it points to)", name)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", name)
		}
		if st.Size() > lang.MaxSourceSize {
			return fmt.Errorf("%s is %d bytes; site files are limited to %d bytes", name, st.Size(), lang.MaxSourceSize)
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if d := lang.CheckSource(name, src); d != nil {
			diags = append(diags, d)
			continue
		}
		f, ds := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		parsed[name] = f
		diags = append(diags, ds...)
		results = append(results, result{name: name, src: src, out: hclwrite.Format(src), mode: st.Mode().Perm()})
	}
	if diags.HasErrors() {
		_ = printDiags(e.stderr, "text", parsed, diags)
		return errReported
	}
	changed := 0
	for _, r := range results {
		if bytes.Equal(r.src, r.out) {
			continue
		}
		changed++
		fmt.Fprintln(e.stdout, r.name)
		if *check {
			continue
		}
		if err := atomicfile.WriteFile(r.name, r.out, r.mode); err != nil {
			return err
		}
	}
	if *check && changed > 0 {
		return &exitError{code: 1}
	}
	return nil
}
