package apply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/netip"
	"slices"

	"github.com/vtic/vtic/apply/netdev"
)

// StatePath is where apply records what it owns, relative to the root.
const StatePath = "var/lib/vtic/state.json"

// stateVersion is bumped when the format changes incompatibly.
const stateVersion = 1

// State is what the last apply installed and loaded. Hashes are of what was
// applied, not of what is on disk: a daemon is reloaded when its input
// differs from what it was last given, even if the file on disk already
// matches (as after an apply that crashed between writing the file and
// reloading the daemon). An empty hash means "unknown": the next apply
// treats the object as changed.
type State struct {
	Version int    `json:"version"`
	Host    string `json:"host"`
	// Pending is set while an apply runs: its ownership records hold the
	// union of before and after, so that a crash cannot make apply forget
	// something it created.
	Pending bool                  `json:"pending,omitempty"`
	Files   map[string]FileRecord `json:"files"`
	// Devices are the VTIs vtic created or adopted.
	Devices []string      `json:"devices"`
	Routes  []RouteRecord `json:"routes"`
	// Conns and Secrets map the names loaded into charon to the hashes
	// of what was loaded (charon.Conn.Hash, charon.Secret.Hash).
	Conns   map[string]string `json:"conns"`
	Secrets map[string]string `json:"secrets"`
	// Pluto maps the conns loaded into libreswan to the hashes of what
	// was loaded (a conn's text and its pre-shared key).
	Pluto map[string]string `json:"pluto,omitempty"`
}

// FileRecord is one installed file.
type FileRecord struct {
	Mode   fs.FileMode `json:"mode"`
	SHA256 string      `json:"sha256"`
}

// RouteRecord is one route vtic installed.
type RouteRecord struct {
	Dst     netip.Prefix `json:"dst"`
	Gateway netip.Addr   `json:"gateway"`
}

func newState(host string) *State {
	return &State{Version: stateVersion, Host: host, Files: map[string]FileRecord{},
		Conns: map[string]string{}, Secrets: map[string]string{}, Pluto: map[string]string{}}
}

// decodeState reads a state file; nil data is a router vtic never applied.
func decodeState(data []byte, host string) (*State, error) {
	if data == nil {
		return newState(host), nil
	}
	s := newState("")
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("state file %s: %w", StatePath, err)
	}
	if s.Version != stateVersion {
		return nil, fmt.Errorf("state file %s: version %d, this vtic reads version %d", StatePath, s.Version, stateVersion)
	}
	if s.Host != host {
		return nil, fmt.Errorf("state file %s belongs to router %q, not %q; refusing to take over its files and devices (remove the file to start over)", StatePath, s.Host, host)
	}
	for _, m := range []*map[string]string{&s.Conns, &s.Secrets, &s.Pluto} {
		if *m == nil {
			*m = map[string]string{}
		}
	}
	if s.Files == nil {
		s.Files = map[string]FileRecord{}
	}
	return s, nil
}

// encode writes the state in a stable form, so equal states have equal
// bytes and an unchanged state is never rewritten.
func (s *State) encode() []byte {
	c := *s
	c.Devices = slices.Clone(s.Devices)
	slices.Sort(c.Devices)
	c.Devices = slices.Compact(c.Devices)
	c.Routes = slices.Clone(s.Routes)
	slices.SortFunc(c.Routes, func(a, b RouteRecord) int { return a.Dst.Addr().Compare(b.Dst.Addr()) })
	c.Routes = slices.CompactFunc(c.Routes, func(a, b RouteRecord) bool { return a == b })
	b, _ := json.MarshalIndent(&c, "", "  ")
	return append(b, '\n')
}

func (s *State) routes() []netdev.Route {
	out := make([]netdev.Route, 0, len(s.Routes))
	for _, r := range s.Routes {
		out = append(out, netdev.Route{Dst: r.Dst, Gateway: r.Gateway})
	}
	return out
}
