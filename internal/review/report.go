package review

import (
	"io/fs"

	"github.com/vtic/vtic/internal/graph"
)

// Status says how one router, file, tunnel or secret entry differs between
// the base and the head.
type Status string

const (
	Added     Status = "added"
	Removed   Status = "removed"
	Changed   Status = "changed"
	Unchanged Status = "unchanged"
)

// Report is the comparison of two states of a site.
type Report struct {
	Base, Head string // what each side is: a revision, "work tree", a directory

	// TunnelsCompared is false when a side was read from a build
	// directory without plans (written by an older vtic): tunnels are
	// unknown, and reports say so rather than count them.
	TunnelsCompared bool

	Routers []RouterChange // every router of either side, sorted by name

	// Graph is the part of the network the change touches, drawn in the
	// markdown report; nil when nothing changed or tunnels are unknown.
	Graph *graph.Graph
}

// RouterChange is one router's part of a report.
type RouterChange struct {
	Name    string
	Status  Status
	Files   []FileChange   // every file of either side, sorted by path
	Tunnels []TunnelChange // every tunnel of either side, sorted by name
}

// FileChange is one rendered file. Modes are zero on the side without it.
type FileChange struct {
	Path    string
	Status  Status
	OldMode fs.FileMode
	NewMode fs.FileMode
	Secret  bool

	// Diff is the unified diff of a non-secret file that was added, removed
	// or changed. It is empty for secret files, for a change of mode only,
	// and for the files of a removed router (listing them is enough).
	Diff string

	// Entries are the entries of a secret file that differ. The file's
	// content is never kept, only what kind of thing changed.
	Entries []EntryChange
	// Note tells of a change in a secret file outside its entries, or
	// that the change is the one shown in the file Repeats names.
	Note string
	// Repeats is set when the file holds the configuration of another
	// changed file in another form (targets.File.Repeats): the text and
	// markdown reports show the diff once, in that file.
	Repeats string
}

// EntryChange is one entry of a secret file, such as ike-gw1-gw2.
type EntryChange struct {
	Name    string
	Status  Status
	Details []string // such as "key changed" or "id-remote: 192.0.2.1 → 192.0.2.2"
}

// TunnelChange is one tunnel as seen from one router. For an added or
// removed tunnel, Changes gives its main fields on the side that has it.
type TunnelChange struct {
	Name    string
	Status  Status
	Changes []FieldChange
}

// FieldChange is one field of a tunnel. Old or New is empty on the side
// without the field. For the psk, the values are references such as
// file("secrets/x.psk"), never keys; Note says "key changed" when the
// reference stayed and the key behind it did not.
type FieldChange struct {
	Field string
	Old   string
	New   string
	Note  string
}

// Tally counts things by status.
type Tally struct {
	Added, Removed, Changed, Unchanged int
}

func (t *Tally) add(s Status) {
	switch s {
	case Added:
		t.Added++
	case Removed:
		t.Removed++
	case Changed:
		t.Changed++
	default:
		t.Unchanged++
	}
}

// Any reports whether anything was added, removed or changed.
func (t Tally) Any() bool { return t.Added+t.Removed+t.Changed > 0 }

// Counts summarises a report.
type Counts struct {
	Routers Tally
	Files   Tally // over every router's files
	// Tunnels counts tunnels by name across the site: added when no router
	// of the base had it, removed when no router of the head has it,
	// changed when any router's view of it differs.
	Tunnels Tally
}

// Counts tallies the report.
func (r *Report) Counts() Counts {
	var c Counts
	type seen struct{ base, head, changed bool }
	tunnels := map[string]*seen{}
	var names []string
	for _, rc := range r.Routers {
		c.Routers.add(rc.Status)
		for _, f := range rc.Files {
			c.Files.add(f.Status)
		}
		for _, t := range rc.Tunnels {
			s := tunnels[t.Name]
			if s == nil {
				s = &seen{}
				tunnels[t.Name] = s
				names = append(names, t.Name)
			}
			s.base = s.base || t.Status != Added
			s.head = s.head || t.Status != Removed
			s.changed = s.changed || t.Status != Unchanged
		}
	}
	for _, n := range names {
		s := tunnels[n]
		switch {
		case !s.base:
			c.Tunnels.add(Added)
		case !s.head:
			c.Tunnels.add(Removed)
		case s.changed:
			c.Tunnels.add(Changed)
		default:
			c.Tunnels.add(Unchanged)
		}
	}
	return c
}

// Changed reports whether the two sides differ at all.
func (r *Report) Changed() bool {
	for _, rc := range r.Routers {
		if rc.Status != Unchanged {
			return true
		}
	}
	return false
}
