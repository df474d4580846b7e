package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

func init() {
	register(command{name: "build", summary: "render every router's files into a directory", run: runBuild})
}

// buildMarker marks a directory vtic built, so a later build may replace it
// and never replaces a directory holding anything else.
const buildMarker = ".vtic-build"

func runBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "build", "[DIR] -o OUT [--host NAME]")
	out := fs.String("o", "", "output directory (created; replaced if an earlier vtic build made it)")
	host := fs.String("host", "", "render only this router")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("missing -o OUT")
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	_, plan, err := loadPlan(e.stderr, "text", dir, lang.Options{})
	if err != nil {
		return err
	}
	if *host != "" {
		h := plan.Host(*host)
		if h == nil {
			return fmt.Errorf("no router named %q in %s", *host, dir)
		}
		plan = &compile.Plan{Hosts: []*compile.Host{h}}
	}
	rendered, err := renderPlan(plan)
	if err != nil {
		return err
	}
	if err := writeTree(*out, rendered); err != nil {
		return err
	}
	n := 0
	for _, r := range rendered {
		n += len(r.files)
	}
	fmt.Fprintf(e.stdout, "Built %d routers, %d files in %s.\n", len(rendered), n, *out)
	return nil
}

// hostFiles is one router's rendered output.
type hostFiles struct {
	host     string
	files    []targets.File
	manifest *bundle.Manifest
}

func renderPlan(plan *compile.Plan) ([]hostFiles, error) {
	out := make([]hostFiles, 0, len(plan.Hosts))
	for _, h := range plan.Hosts {
		files, m, err := bundle.Render(h)
		if err != nil {
			return nil, err
		}
		out = append(out, hostFiles{host: h.Name, files: files, manifest: m})
	}
	return out, nil
}

// writeTree writes the rendered routers into out. Everything is written into
// a fresh sibling directory first and swapped in at the end, so a failure
// leaves out as it was.
func writeTree(out string, rendered []hostFiles) error {
	if err := checkReplaceable(out); err != nil {
		return err
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, ".vtic-build-*")
	if err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for _, r := range rendered {
		root := filepath.Join(tmp, r.host)
		for _, f := range r.files {
			if err := writeFile(filepath.Join(root, filepath.FromSlash(f.Path)), f.Data, f.Mode); err != nil {
				return err
			}
		}
		if err := writeFile(filepath.Join(root, bundle.ManifestName), r.manifest.Encode(), 0o644); err != nil {
			return err
		}
	}
	if err := writeFile(filepath.Join(tmp, buildMarker), []byte("built by vtic; `vtic build` replaces this directory\n"), 0o644); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("replace %s: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out)
		}
		return fmt.Errorf("replace %s: %w", out, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// checkReplaceable allows out to be missing, empty, or an earlier build.
func checkReplaceable(out string) error {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, buildMarker)); err != nil {
		return fmt.Errorf("output %s is not empty and was not made by vtic build; refusing to replace it", out)
	}
	return nil
}

func writeFile(path string, data []byte, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// WriteFile's mode is filtered by the umask; secrets must be exactly 0600.
	if err := os.Chmod(path, mode); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	return nil
}
