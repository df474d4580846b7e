package health

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/apply/netdev"
)

// Sources says where a router's live state is read from.
type Sources struct {
	// Socket is charon's VICI socket path.
	Socket string
	// Vtysh is the vtysh command with leading arguments (such as -N NAME).
	Vtysh []string
	// Kernel reads the devices; Stats their counters (may be nil).
	Kernel netdev.Kernel
	Stats  func(dev string) (DeviceStats, error)
}

// DeviceStats are a device's counters.
type DeviceStats struct {
	RxBytes, TxBytes, RxPackets, TxPackets, RxErrors, TxErrors uint64
}

// Collect observes every tunnel. It does not fail when a daemon does not
// answer: that is an observation too (CharonUp false, BGP state unknown).
// The error reports only what makes observing impossible (netlink).
func Collect(ctx context.Context, src Sources, tunnels []apply.Tunnel) ([]Observation, map[string]SAPair, error) {
	links, err := src.Kernel.Links()
	if err != nil {
		return nil, nil, fmt.Errorf("list devices: %w", err)
	}
	byName := map[string]netdev.Link{}
	for _, l := range links {
		byName[l.Name] = l
	}
	sas, saErr := ListSAs(src.Socket)
	var bgp map[string]BGP
	if len(src.Vtysh) > 0 {
		bgp, _ = BGPNeighbors(ctx, src.Vtysh)
	}
	out := make([]Observation, 0, len(tunnels))
	for _, t := range tunnels {
		o := Observation{Tunnel: t.Name, Interface: t.VTI.Name, Enabled: t.VTI.Up, Responder: t.Responder,
			CharonUp: saErr == nil, WantMTU: t.VTI.MTU}
		if p, ok := sas[t.Name]; ok {
			o.IKE, o.Child = p.IKE, p.Child
		}
		if l, ok := byName[t.VTI.Name]; ok {
			o.Device = Device{Exists: true, Up: l.Up, MTU: l.MTU, IsVTI: l.Kind == netdev.KindVTI, Key: l.IKey}
			o.Device.Drift = drift(t.VTI, l)
			if src.Stats != nil {
				if s, err := src.Stats(l.Name); err == nil {
					o.Device.RxBytes, o.Device.TxBytes = s.RxBytes, s.TxBytes
					o.Device.RxPackets, o.Device.TxPackets = s.RxPackets, s.TxPackets
					o.Device.RxErrors, o.Device.TxErrors = s.RxErrors, s.TxErrors
				}
			}
		}
		if t.BGPNeighbor.IsValid() {
			b := BGP{Neighbor: t.BGPNeighbor.String()}
			if got, ok := bgp[b.Neighbor]; ok {
				b = got
			}
			b.WantBFD = t.BFD
			if !t.BFD {
				b.BFD = ""
			}
			o.BGP = &b
		}
		out = append(out, o)
	}
	return out, sas, nil
}

// drift lists how a device differs from the installed plan.
func drift(want netdev.VTI, l netdev.Link) []string {
	var d []string
	if l.Kind != netdev.KindVTI {
		return []string{"not a VTI"}
	}
	if l.Local != want.Local || l.Remote != want.Remote {
		d = append(d, fmt.Sprintf("outer %s→%s, want %s→%s", l.Local, l.Remote, want.Local, want.Remote))
	}
	if l.IKey != want.Key || l.OKey != want.Key {
		d = append(d, fmt.Sprintf("keys %d/%d, want %d", l.IKey, l.OKey, want.Key))
	}
	if want.MTU != 0 && l.MTU != want.MTU {
		d = append(d, fmt.Sprintf("mtu %d, want %d", l.MTU, want.MTU))
	}
	if l.Up != want.Up {
		d = append(d, fmt.Sprintf("up %v, want %v", l.Up, want.Up))
	}
	has := false
	for _, a := range l.Addrs {
		has = has || a == want.Address
	}
	if !has {
		d = append(d, fmt.Sprintf("address %s missing", want.Address))
	}
	return d
}

// BGPNeighbors asks FRR for its BGP neighbors.
func BGPNeighbors(ctx context.Context, vtysh []string) (map[string]BGP, error) {
	args := append(append([]string{}, vtysh[1:]...), "-c", "show bgp neighbors json")
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, vtysh[0], args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String() + out.String())
		return nil, errors.Join(fmt.Errorf("vtysh: %w", err), errors.New(msg))
	}
	return ParseBGPNeighbors(out.Bytes())
}
