package compile

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"

	"github.com/vtic/vtic/lang"
)

// Compile builds the per-router plan of a site. It compiles only a site that
// lang has decoded and validated without errors (see lang.Site.Err), so the
// plan is only ever made from valid input whatever the caller checked, and
// it checks the references it follows itself: a site built or changed
// outside lang gives an error naming the problem, never a panic.
func Compile(site *lang.Site) (*Plan, error) {
	if site == nil {
		return nil, errors.New("no site to compile")
	}
	if err := site.Err(); err != nil {
		return nil, err
	}
	// The checks of check.go run in the same passes as the compiling:
	// a second pass over a large site costs more than the checks.
	if err := checkBlocks(site); err != nil {
		return nil, err
	}
	hosts := make(map[string]*Host, len(site.Routers))
	plan := &Plan{Hosts: make([]*Host, 0, len(site.Routers))}
	var errs []error
	for _, r := range site.Routers {
		if hosts[r.Name] != nil {
			errs = append(errs, fmt.Errorf("router %q is declared twice", r.Name))
			continue
		}
		h := &Host{
			Name:     r.Name,
			ASN:      uint32(r.ASN.Value),
			RouterID: r.RouterID.Addr,
			Outside:  r.Outside.Addr,
			Gateway:  r.Gateway.Addr,
		}
		if r.IKEDaemon() == lang.IKELibreswan {
			h.IKE = lang.IKELibreswan
		}
		if r.RoutingDaemon() == lang.RoutingBIRD {
			h.Routing = lang.RoutingBIRD
		}
		if !h.RouterID.IsValid() && h.Outside.Is4() {
			h.RouterID = h.Outside
		}
		for _, p := range r.Announce {
			h.Announce = append(h.Announce, p.Prefix)
		}
		sort.Slice(h.Announce, func(i, j int) bool { return prefixLess(h.Announce[i], h.Announce[j]) })
		compileCreds(site, r, h)
		hosts[r.Name] = h
		plan.Hosts = append(plan.Hosts, h)
	}
	for ti, t := range site.Tunnels {
		mark, bad := checkTunnel(site, hosts, ti, t)
		if errs = append(errs, bad...); len(errs) > 0 {
			continue // keep checking, but a plan with holes is never returned
		}
		for i, e := range t.Ends {
			h := hosts[e.Name]
			if h == nil {
				continue // a peer's end: vtic writes nothing for it
			}
			h.Tunnels = append(h.Tunnels, compileEnd(site, t, mark, e, t.Ends[1-i]))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, h := range plan.Hosts {
		sort.Slice(h.Tunnels, func(i, j int) bool { return h.Tunnels[i].Name < h.Tunnels[j].Name })
		h.Routes = hostRoutes(h)
	}
	sort.Slice(plan.Hosts, func(i, j int) bool { return plan.Hosts[i].Name < plan.Hosts[j].Name })
	return plan, nil
}

func compileEnd(site *lang.Site, t *lang.Tunnel, mark uint32, local, remote *lang.End) *Tunnel {
	r := site.Router(local.Name)
	remoteRouter := site.Router(remote.Name)
	remotePeer := site.Peer(remote.Name)
	provider := lang.ProviderGeneric
	var remoteOutside netip.Addr
	var remoteASN uint32
	if remoteRouter != nil {
		remoteOutside, remoteASN = remoteRouter.Outside.Addr, uint32(remoteRouter.ASN.Value)
	} else {
		provider = remotePeer.ProviderName()
		remoteOutside, remoteASN = remotePeer.Outside.Addr, uint32(remotePeer.ASN.Value)
	}
	preset := PresetFor(provider)
	ct := &Tunnel{
		Name:           t.Name,
		Description:    t.Description.Value,
		Enabled:        t.IsEnabled(),
		Interface:      local.Interface.Value,
		Mark:           mark,
		MTU:            preset.MTU,
		Local:          r.Outside.Addr,
		Remote:         remoteOutside,
		Inside:         local.Inside.Prefix,
		RemoteInside:   remote.Inside.Prefix.Addr(),
		RemoteName:     remote.Name,
		RemoteIsRouter: remoteRouter != nil,
		Responder:      remoteRouter != nil && initiator(local.Name, remote.Name) != local.Name,
		Preset:         preset,
	}
	if t.MTU.Set {
		ct.MTU = int(t.MTU.Value)
	}
	ct.MSS = mss(ct.MTU, ct.Inside.Addr().Is4(), preset.MSS)
	ct.Pubkey = site.AuthOf(t) == lang.AuthPubkey
	if !ct.Pubkey {
		ct.PSK = Secret{Ref: t.PSK.String(), Value: t.PSK.Value, Resolved: t.PSK.Resolved}
	}
	ct.LocalID, ct.RemoteID = identities(r, remoteRouter, remotePeer, local)
	if r.ASN.Set && remoteASN != 0 {
		ct.BGP = &BGP{
			LocalASN:  uint32(r.ASN.Value),
			RemoteASN: remoteASN,
			Neighbor:  ct.RemoteInside,
			Keepalive: preset.BGPKeepalive,
			Hold:      preset.BGPHold,
		}
	}
	compileRouting(ct, local, remotePeer)
	for _, kv := range t.Options {
		spec, _ := lang.LookupOption(kv.Key) // known: checkRefs looked
		ct.Options = append(ct.Options, Option{Section: spec.Section, Key: spec.Swanctl, Value: kv.Value.Value})
	}
	sort.Slice(ct.Options, func(i, j int) bool {
		a, b := ct.Options[i], ct.Options[j]
		if a.Section != b.Section {
			return a.Section < b.Section
		}
		return a.Key < b.Key
	})
	return ct
}

// initiator is the router that initiates a tunnel between routers a and b:
// the one whose name sorts first. Router names are unique ignoring case,
// so the order is total and both ends compute the same answer.
func initiator(a, b string) string {
	if b < a {
		return b
	}
	return a
}

// mss is the TCP MSS that fits the tunnel MTU: the MTU less the IP and TCP
// headers, and never more than the provider asks for.
func mss(mtu int, inner4 bool, presetMSS int) int {
	m := mtu - 40
	if !inner4 {
		m = mtu - 60
	}
	if presetMSS > 0 && presetMSS < m {
		m = presetMSS
	}
	return m
}

func hostRoutes(h *Host) []Route {
	if !h.Gateway.IsValid() {
		return nil
	}
	seen := map[netip.Addr]bool{}
	var routes []Route
	for _, t := range h.Tunnels {
		if seen[t.Remote] || t.Remote.Is4() != h.Gateway.Is4() {
			continue
		}
		seen[t.Remote] = true
		routes = append(routes, Route{Dst: netip.PrefixFrom(t.Remote, t.Remote.BitLen()), Gateway: h.Gateway})
	}
	sort.Slice(routes, func(i, j int) bool { return prefixLess(routes[i].Dst, routes[j].Dst) })
	return routes
}

func prefixLess(a, b netip.Prefix) bool {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c < 0
	}
	return a.Bits() < b.Bits()
}
