// Command gen writes a synthetic vtic site for scale tests:
//
//	go run ./internal/testkit/sitegen/gen -routers 1000 -tunnels 10 -seed 1 -o /tmp/site
//
// The same flags always give the same bytes. -change 0.01 alters 1% of the
// tunnels (description and MTU), making a second revision of the same site
// for measuring vtic diff; -overwrite lets it replace an earlier output.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/internal/testkit/sitegen"
)

func main() {
	var c sitegen.Config
	flag.IntVar(&c.Routers, "routers", 10, "number of routers")
	flag.IntVar(&c.TunnelsPerRouter, "tunnels", 10, "tunnels per router (interfaces vti1..vtiN)")
	flag.Uint64Var(&c.Seed, "seed", 1, "random seed")
	flag.Float64Var(&c.MeshShare, "mesh", 0, fmt.Sprintf("share of each router's tunnels that go to other routers (0: %v, negative: none)", sitegen.DefaultMeshShare))
	flag.IntVar(&c.RoutersPerFile, "per-file", 0, fmt.Sprintf("routers per *.hcl file (0: %d)", sitegen.DefaultRoutersPerFile))
	flag.Float64Var(&c.Change, "change", 0, "share of tunnels to alter, for a second revision (0..1)")
	out := flag.String("o", "", "output directory (required)")
	overwrite := flag.Bool("overwrite", false, "replace the *.hcl files and secrets/ of an existing output, keeping anything else (such as .git)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gen -routers N -tunnels M -seed S -o DIR [-mesh F] [-per-file K] [-change F] [-overwrite]")
		os.Exit(2)
	}
	if err := run(*out, c, *overwrite); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

func run(out string, c sitegen.Config, overwrite bool) error {
	files, st, err := sitegen.Generate(c)
	if err != nil {
		return err
	}
	if err := prepare(out, overwrite); err != nil {
		return err
	}
	if err := sitegen.Write(out, files); err != nil {
		return err
	}
	fmt.Printf("Wrote %d routers, %d peers, %d tunnels (%d mesh, %d AWS, %d changed) in %d files to %s.\n",
		st.Routers, st.Peers, st.Tunnels, st.MeshTunnels, st.AWSTunnels, st.Changed, len(files), out)
	return nil
}

// prepare makes sure out holds no stale site files: it must be missing or
// empty, or -overwrite removes the earlier site.
func prepare(out string, overwrite bool) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return err
	}
	if !overwrite {
		return fmt.Errorf("%s is not empty; use -overwrite to replace its site", out)
	}
	old, err := filepath.Glob(filepath.Join(out, "*.hcl"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	return os.RemoveAll(filepath.Join(out, "secrets"))
}
