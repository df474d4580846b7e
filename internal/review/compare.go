package review

import (
	"bytes"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/vtic/vtic/targets"
)

// Compare says what changes from base to head.
func Compare(base, head Side) *Report {
	r := &Report{Base: base.Label, Head: head.Label, TunnelsCompared: base.HasPlan && head.HasPlan}
	red := newRedactor(append(base.keys(), head.keys()...))
	baseRouters, headRouters := base.byName(), head.byName()
	var names []string
	for _, rt := range base.Routers {
		names = append(names, rt.Name)
	}
	for _, rt := range head.Routers {
		if baseRouters[rt.Name] == nil {
			names = append(names, rt.Name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		r.Routers = append(r.Routers, compareRouter(n, baseRouters[n], headRouters[n], r.TunnelsCompared, red))
	}
	r.Graph = changeGraph(r, base, head)
	return r
}

func compareRouter(name string, a, b *Router, tunnels bool, red *redactor) RouterChange {
	rc := RouterChange{Name: name, Status: Unchanged}
	switch {
	case a == nil:
		rc.Status, a = Added, &Router{Name: name}
	case b == nil:
		rc.Status, b = Removed, &Router{Name: name}
	}
	rc.Files = compareFiles(a, b, rc.Status == Removed, red)
	if tunnels {
		rc.Tunnels = compareTunnels(a.Tunnels, b.Tunnels, red)
	}
	if rc.Status == Unchanged {
		for _, f := range rc.Files {
			if f.Status != Unchanged {
				rc.Status = Changed
			}
		}
		for _, t := range rc.Tunnels {
			if t.Status != Unchanged {
				rc.Status = Changed
			}
		}
	}
	return rc
}

// compareFiles compares a router's files by path. A removed router's files
// are listed without diffs.
func compareFiles(a, b *Router, routerRemoved bool, red *redactor) []FileChange {
	om, nm := fileMap(a.Files), fileMap(b.Files)
	var paths []string
	for p := range om {
		paths = append(paths, p)
	}
	for p := range nm {
		if _, ok := om[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	out := make([]FileChange, 0, len(paths))
	for _, p := range paths {
		x, inOld := om[p]
		y, inNew := nm[p]
		fc := FileChange{Path: p, Status: Unchanged, OldMode: x.Mode, NewMode: y.Mode, Secret: x.Secret || y.Secret}
		switch {
		case !inOld:
			fc.Status = Added
		case !inNew:
			fc.Status = Removed
		case x.Mode != y.Mode:
			fc.Status = Changed
		}
		if fc.Secret {
			compareSecretFile(&fc, x, y, inOld, inNew, a, b)
		} else if !bytes.Equal(x.Data, y.Data) || fc.Status != Unchanged {
			if fc.Status == Unchanged {
				fc.Status = Changed
			}
			if !routerRemoved {
				fc.Diff = red.diff(unified(a.Name, p, x.Data, y.Data, inOld, inNew))
			}
		}
		out = append(out, fc)
	}
	markRepeats(out, nm)
	return out
}

// markRepeats points a changed file that repeats another changed file
// (FRR's per-daemon files and frr.conf) at that file, so a reviewer reads
// the change once.
func markRepeats(out []FileChange, files map[string]targets.File) {
	changed := map[string]bool{}
	for _, fc := range out {
		if fc.Status == Changed || fc.Status == Added {
			changed[fc.Path] = true
		}
	}
	for i := range out {
		fc := &out[i]
		r := files[fc.Path].Repeats
		if r == "" || fc.Diff == "" || !changed[r] {
			continue
		}
		fc.Repeats = r
		fc.Note = "the same change as " + r + ", in another form; its diff is shown there"
	}
}

// compareSecretFile fills in the entries of a secret file. Its bytes may
// differ while no entry does (one side unresolved, same reference); then
// the file counts as unchanged.
func compareSecretFile(fc *FileChange, x, y targets.File, inOld, inNew bool, a, b *Router) {
	if isPEMKey(x.Data) || isPEMKey(y.Data) {
		// A private key: only whether it changed, never a line of it.
		if inOld && inNew && !bytes.Equal(x.Data, y.Data) && isPEMKey(x.Data) && isPEMKey(y.Data) {
			fc.Status, fc.Note = Changed, "private key changed"
		}
		return
	}
	before, after := parseSecrets(x.Data), parseSecrets(y.Data)
	before.addRefs(a.Tunnels)
	after.addRefs(b.Tunnels)
	entries, other := compareSecrets(before, after)
	fc.Entries = entries
	if inOld && inNew && other {
		fc.Note = "lines outside the entries changed"
	}
	if fc.Status == Unchanged && (len(entries) > 0 || fc.Note != "") {
		fc.Status = Changed
	}
}

// fileMap indexes the files review shows. The plan (an Internal file)
// repeats what the other files say; its tunnels are compared field by
// field instead.
func fileMap(files []targets.File) map[string]targets.File {
	m := make(map[string]targets.File, len(files))
	for _, f := range files {
		if f.Internal {
			continue
		}
		m[f.Path] = f
	}
	return m
}

// unified is a git-style diff of one file: a/ and b/ paths under the
// router's name, /dev/null for the missing side.
func unified(router, path string, old, new []byte, inOld, inNew bool) string {
	on, nn := "a/"+router+"/"+path, "b/"+router+"/"+path
	if !inOld {
		on = "/dev/null"
	}
	if !inNew {
		nn = "/dev/null"
	}
	d := string(diff.Diff(on, old, nn, new))
	// Drop diff's own "diff OLD NEW" line; the ---/+++ lines say it all.
	_, rest, _ := strings.Cut(d, "\n")
	return rest
}

func sortRouters(rs []Router) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
}
