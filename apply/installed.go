package apply

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"sort"

	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/swanctl"
)

// FromInstalled reads back what the last apply installed under root, as
// listed in its state file, so that `vtic check --repair` can converge the
// router to the files it already has without the site at hand.
func FromInstalled(root, host string) (Input, error) {
	data, err := os.ReadFile(filepath.Join(root, StatePath))
	if errors.Is(err, fs.ErrNotExist) {
		return Input{}, fmt.Errorf("no state file %s under %s: vtic apply has not run on this router", StatePath, root)
	}
	if err != nil {
		return Input{}, fmt.Errorf("read state: %w", err)
	}
	st, err := decodeState(data, host)
	if err != nil {
		return Input{}, err
	}
	if st.Pending {
		return Input{}, fmt.Errorf("the last apply on %s did not finish (state file %s is pending); run vtic apply", host, StatePath)
	}
	in := Input{Host: host}
	for path, rec := range st.Files {
		if err := checkPath(path); err != nil {
			return Input{}, fmt.Errorf("state file lists %q: %w", path, err)
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
		if err != nil {
			return Input{}, fmt.Errorf("installed file: %w", err)
		}
		in.Files = append(in.Files, targets.File{Path: path, Mode: rec.Mode, Data: b, Secret: path == swanctl.SecretsPath})
	}
	sort.Slice(in.Files, func(i, j int) bool { return in.Files[i].Path < in.Files[j].Path })
	return in, nil
}

// Tunnel is one tunnel of an Input as its vti.init describes it.
type Tunnel struct {
	Name        string
	VTI         netdev.VTI // Up is false for a disabled tunnel
	BGPNeighbor netip.Addr // invalid when the tunnel carries no BGP
}

// Tunnels lists the tunnels of an input, sorted by name.
func (in Input) Tunnels() ([]Tunnel, error) {
	var out []Tunnel
	for _, f := range in.Files {
		if !isVTIInit(f.Path) {
			continue
		}
		vars, err := parseVTIInit(f.Path, f.Data)
		if err != nil {
			return nil, err
		}
		v, _, err := vtiOf(f.Path, vars)
		if err != nil {
			return nil, err
		}
		t := Tunnel{Name: vars["VTI_NAME"], VTI: v}
		if s := vars["VTI_BGP_REMOTE_IP"]; s != "" {
			if t.BGPNeighbor, err = netip.ParseAddr(s); err != nil {
				return nil, fmt.Errorf("%s: VTI_BGP_REMOTE_IP=%q: %w", f.Path, s, err)
			}
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Lock takes the apply lock under root, for other commands that change the
// router (vtic check --repair) and must not race an apply.
func Lock(ctx context.Context, root string, wait bool) (release func(), err error) {
	return lock(ctx, root, wait)
}
