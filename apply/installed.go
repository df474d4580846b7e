package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/netip"
	"sort"

	"github.com/vtic/vtic/apply/install"
	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/plan"
)

// FromInstalled reads back what the last apply installed under root, as
// listed in its state file, and the plan it installed, so that `vtic check
// --repair` can converge the router to the files it already has without
// the site at hand, and `vtic status` knows its tunnels.
func FromInstalled(root, host string) (Input, error) {
	// Read beneath the root without following links, as apply writes.
	r := install.New(root)
	cur, err := r.Read(StatePath)
	if err != nil {
		return Input{}, fmt.Errorf("read state: %w", err)
	}
	if !cur.Existed {
		return Input{}, fmt.Errorf("no state file %s under %s: vtic apply has not run on this router", StatePath, root)
	}
	st, err := decodeState(cur.Data, host)
	if err != nil {
		return Input{}, err
	}
	if st.Pending {
		return Input{}, fmt.Errorf("the last apply on %s did not finish (state file %s is pending); run vtic apply", host, StatePath)
	}
	var in Input
	for path, rec := range st.Files {
		if err := checkPath(path); err != nil {
			return Input{}, fmt.Errorf("state file lists %q: %w", path, err)
		}
		b, err := r.Read(path)
		if err == nil && !b.Existed {
			err = fmt.Errorf("%s: %w", r.Path(path), fs.ErrNotExist)
		}
		if err != nil {
			return Input{}, fmt.Errorf("installed file: %w", err)
		}
		in.Files = append(in.Files, targets.File{Path: path, Mode: rec.Mode, Data: b.Data})
	}
	sort.Slice(in.Files, func(i, j int) bool { return in.Files[i].Path < in.Files[j].Path })
	if in.Host, err = planOf(in.Files, host); err != nil {
		return Input{}, fmt.Errorf("installed plan: %w", err)
	}
	if in.Host == nil {
		return Input{}, fmt.Errorf("no plan (%s) is installed under %s: the last apply was made by an older vtic; run vtic apply", plan.Path, root)
	}
	if err := markFiles(in); err != nil {
		return Input{}, err
	}
	return in, nil
}

// InstalledHost is the router the last apply under root was for, as its
// state file records: what `vtic apply --installed` converges when it is
// not told.
func InstalledHost(root string) (string, error) {
	cur, err := install.New(root).Read(StatePath)
	if err != nil {
		return "", fmt.Errorf("read state: %w", err)
	}
	if !cur.Existed {
		return "", fmt.Errorf("no state file %s under %s: vtic apply has not run on this router", StatePath, root)
	}
	data := cur.Data
	var s struct {
		Host string `json:"host"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return "", fmt.Errorf("state file %s: %w", StatePath, err)
	}
	if s.Host == "" {
		return "", fmt.Errorf("state file %s names no router", StatePath)
	}
	return s.Host, nil
}

// markFiles sets the Secret, Internal and Repeats flags of installed files, which
// the state file does not record, as the plan's renderers set them.
func markFiles(in Input) error {
	files, _, err := bundle.Render(in.Host)
	if err != nil {
		return fmt.Errorf("installed plan: %w", err)
	}
	rendered := map[string]targets.File{}
	for _, f := range files {
		rendered[f.Path] = f
	}
	for i, f := range in.Files {
		w := rendered[f.Path]
		in.Files[i].Secret, in.Files[i].Internal, in.Files[i].Repeats = w.Secret, w.Internal, w.Repeats
	}
	return nil
}

// Tunnel is one tunnel of an Input's plan.
type Tunnel struct {
	Name        string
	VTI         netdev.VTI // Up is false for a disabled tunnel
	BGPNeighbor netip.Addr // invalid when the tunnel carries no BGP
	// Responder: the router at the other end initiates the tunnel
	// (compile.Tunnel.Responder).
	Responder bool
}

// Tunnels lists the tunnels of an input, sorted by name.
func (in Input) Tunnels() ([]Tunnel, error) {
	out := make([]Tunnel, 0, len(in.Host.Tunnels))
	for _, t := range in.Host.Tunnels {
		v, err := vtiOf(t)
		if err != nil {
			return nil, err
		}
		out = append(out, Tunnel{Name: t.Name, VTI: v, BGPNeighbor: bgpNeighbor(t), Responder: t.Responder})
	}
	return out, nil
}

func bgpNeighbor(t *compile.Tunnel) netip.Addr {
	if t.BGP == nil {
		return netip.Addr{}
	}
	return t.BGP.Neighbor
}

// Lock takes the apply lock under root, for other commands that change the
// router (vtic check --repair) and must not race an apply.
func Lock(ctx context.Context, root string, wait bool) (release func(), err error) {
	return lock(ctx, root, wait)
}
