package apply

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/compile"
)

// desiredDevices is the VTIs and peer routes of a plan: one device per
// tunnel, enabled or not (a disabled one is down), and compile's host
// routes to the peers' outer addresses.
func desiredDevices(h *compile.Host) (netdev.Desired, error) {
	var d netdev.Desired
	for _, t := range h.Tunnels {
		v, err := vtiOf(t)
		if err != nil {
			return d, err
		}
		d.VTIs = append(d.VTIs, v)
	}
	for _, r := range h.Routes {
		if !r.Dst.Addr().Is4() || !r.Gateway.Is4() {
			return d, fmt.Errorf("route to %s via %s: apply only manages IPv4 routes", r.Dst, r.Gateway)
		}
		d.Routes = append(d.Routes, netdev.Route{Dst: r.Dst, Gateway: r.Gateway})
	}
	slices.SortFunc(d.VTIs, func(a, b netdev.VTI) int { return strings.Compare(a.Name, b.Name) })
	return d, nil
}

// vtiOf is the device of one tunnel. Apply only manages IPv4 VTIs.
func vtiOf(t *compile.Tunnel) (netdev.VTI, error) {
	if !t.Local.Is4() || !t.Remote.Is4() {
		return netdev.VTI{}, fmt.Errorf("tunnel %s has IPv6 outer addresses; apply only manages IPv4 VTIs", t.Name)
	}
	return netdev.VTI{Name: t.Interface, Local: t.Local, Remote: t.Remote, Key: t.Mark, MTU: t.MTU,
		Address: t.Inside, Up: t.Enabled}, nil
}
