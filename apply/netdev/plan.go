package netdev

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
)

// Plan computes the writes that take the kernel from current to desired.
// It is pure: it reads nothing and writes nothing, so --dry-run can print
// its result. The rules:
//
//   - A missing VTI is created (down, with its MTU), given its address and
//     sysctls, and set up last unless it is disabled.
//   - An existing VTI whose local, remote or key differ is modified in
//     place, not recreated. The kernel's vti changelink accepts all three
//     (it rehashes the tunnel; only a switch between having and not having
//     a remote is refused), and modifying keeps the ifindex, addresses and
//     routes that FRR and strongSwan already know about.
//   - MTU, address, sysctls and the up flag are written only when they
//     differ. The device keeps exactly one IPv4 address: the wanted one is
//     added first, any other is then removed.
//   - A device in Owned that is no longer wanted is deleted if it is still
//     a VTI. If something else now carries that name it is left alone.
//   - A device that is neither owned nor wanted is never touched.
//   - A wanted name carried by a device that is not a VTI is a clash. A
//     wanted name carried by a VTI vtic does not own is a clash unless its
//     local, remote, ikey and okey already equal the wanted ones: such a
//     device is exactly what vtic would create (typically left by an apply
//     whose state file was lost), so it is adopted and converged.
//   - The kernel allows one VTI per (local, remote) pair. A pair held by a
//     device vtic does not own is a clash; one held by an owned device that
//     is going away or changing is freed first (a renamed tunnel is
//     deleted before its successor is created; two tunnels swapping pairs
//     are untangled by recreating one of them).
//   - Routes are replaced when missing or via another gateway. An owned
//     route no longer wanted is deleted only while the kernel still has it
//     via the gateway vtic installed.
//
// Clashes are reported together, before any op is returned.
func Plan(current State, desired Desired) ([]Op, error) {
	if err := desired.Validate(); err != nil {
		return nil, err
	}
	return targetOf(desired).plan(current)
}

// target is what a plan converges to. Plan builds it from a Desired,
// Restore from a Snapshot.
type target struct {
	vtis  []vtiTarget     // sorted by name
	owned map[string]bool // existing devices the plan may change or delete
	// routes must be present; unroutes must be absent when present via
	// their gateway (any gateway if it is zero).
	routes, unroutes []Route
	sysctls          map[string]string // global keys
}

type vtiTarget struct {
	VTI
	addrs   []netip.Prefix
	sysctls []keyValue // sorted by key
}

type keyValue struct{ key, value string }

func targetOf(d Desired) target {
	t := target{owned: map[string]bool{}, sysctls: map[string]string{SysctlForward: "1"}}
	for _, name := range d.Owned {
		t.owned[name] = true
	}
	for _, v := range d.VTIs {
		vt := vtiTarget{VTI: v, addrs: []netip.Prefix{v.Address}}
		for _, sc := range vtiSysctls {
			vt.sysctls = append(vt.sysctls, keyValue{DevSysctl(v.Name, sc.leaf), sc.value})
		}
		t.vtis = append(t.vtis, vt)
	}
	wanted := map[netip.Prefix]bool{}
	for _, r := range d.Routes {
		t.routes = append(t.routes, r)
		wanted[r.Dst] = true
	}
	for _, r := range d.OwnedRoutes {
		if !wanted[r.Dst] {
			t.unroutes = append(t.unroutes, Route{Dst: r.Dst, Gateway: r.Gateway})
		}
	}
	t.sort()
	return t
}

func (t *target) sort() {
	slices.SortFunc(t.vtis, func(a, b vtiTarget) int { return cmp.Compare(a.Name, b.Name) })
	byDst := func(a, b Route) int { return a.Dst.Addr().Compare(b.Dst.Addr()) }
	slices.SortStableFunc(t.routes, byDst)
	slices.SortStableFunc(t.unroutes, byDst)
}

type pair [2]netip.Addr

type mode int

const (
	keep mode = iota
	create
	modify
)

// step is one wanted VTI on its way through the plan.
type step struct {
	vtiTarget
	link Link // current device, when mode != create
	mode mode
}

func (t target) plan(cur State) ([]Op, error) {
	wanted := map[string]bool{}
	for _, v := range t.vtis {
		wanted[v.Name] = true
	}
	holders := map[pair]string{}
	for _, l := range cur.Links {
		if l.Kind == KindVTI {
			holders[pair{l.Local, l.Remote}] = l.Name
		}
	}

	// Refuse clashes first, so that a refused plan writes nothing.
	var errs []error
	var steps []*step
	for _, v := range t.vtis {
		s := &step{vtiTarget: v, mode: create}
		if l, ok := cur.link(v.Name); ok {
			if l.Kind != KindVTI || !t.owned[v.Name] {
				if err := checkExisting(v.VTI, l); err != nil {
					errs = append(errs, fmt.Errorf("vti %s: %w", v.Name, err))
					continue
				}
			}
			s.link, s.mode = l, keep
			if !l.matches(v.VTI) {
				s.mode = modify
			}
		}
		if h, ok := holders[pair{v.Local, v.Remote}]; ok && h != v.Name && !t.owned[h] && !wanted[h] {
			errs = append(errs, fmt.Errorf("vti %s: device %s already uses local %s remote %s and vtic does not own it (the kernel allows one vti per address pair): %w",
				v.Name, h, v.Local, v.Remote, ErrClash))
		}
		steps = append(steps, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	var ops []Op
	for _, key := range sortedKeys(t.sysctls) {
		if v, ok := cur.Sysctls[key]; !ok || v != t.sysctls[key] {
			ops = append(ops, sysctlOp(key, t.sysctls[key]))
		}
	}

	// Owned VTIs that are no longer wanted. Those holding a pair that a
	// wanted VTI is about to take go first; the rest go last, so that
	// everything wanted is in place before anything is taken away.
	var removals []Link
	for _, l := range cur.Links {
		if t.owned[l.Name] && !wanted[l.Name] && l.Kind == KindVTI {
			removals = append(removals, l)
		}
	}
	slices.SortFunc(removals, func(a, b Link) int { return cmp.Compare(a.Name, b.Name) })
	needed := map[pair]bool{}
	for _, s := range steps {
		if s.mode != keep {
			needed[pair{s.Local, s.Remote}] = true
		}
	}
	var late []Link
	for _, l := range removals {
		p := pair{l.Local, l.Remote}
		if !needed[p] {
			late = append(late, l)
			continue
		}
		ops = append(ops, deleteOp(l.Name))
		delete(holders, p)
	}

	ops = append(ops, scheduleVTIs(steps, holders, cur)...)

	current := map[netip.Prefix]Route{}
	for _, r := range cur.Routes {
		if _, dup := current[r.Dst]; !dup {
			current[r.Dst] = r
		}
	}
	for _, r := range t.routes {
		c, ok := current[r.Dst]
		if !ok || c.Gateway != r.Gateway || (r.Dev != "" && c.Dev != r.Dev) {
			ops = append(ops, routeOp(r))
		}
	}
	for _, r := range t.unroutes {
		c, ok := current[r.Dst]
		if ok && (!r.Gateway.IsValid() || c.Gateway == r.Gateway) {
			ops = append(ops, delRouteOp(Route{Dst: c.Dst, Gateway: c.Gateway}))
		}
	}

	for _, l := range late {
		ops = append(ops, deleteOp(l.Name))
	}
	return ops, nil
}

// scheduleVTIs orders the wanted VTIs so that no create or modify asks for
// a (local, remote) pair another device still holds. holders maps each
// pair to its current device and is updated as ops are emitted.
func scheduleVTIs(steps []*step, holders map[pair]string, cur State) []Op {
	blocked := func(s *step) bool {
		h, ok := holders[pair{s.Local, s.Remote}]
		return s.mode != keep && ok && h != s.Name
	}
	var ops []Op
	pending := slices.Clone(steps)
	for len(pending) > 0 {
		i := slices.IndexFunc(pending, func(s *step) bool { return !blocked(s) })
		if i < 0 {
			// Every pending step waits for another: a cycle of pair
			// swaps. Recreating one member frees its pair. A cycle
			// always contains a modify, since only an existing
			// device holds a pair.
			j := slices.IndexFunc(pending, func(s *step) bool { return s.mode == modify })
			if j < 0 {
				// Not reachable from a validated target; emit in
				// order and let the kernel name the conflict.
				clear(holders)
				continue
			}
			s := pending[j]
			ops = append(ops, deleteOp(s.Name))
			delete(holders, pair{s.link.Local, s.link.Remote})
			s.mode, s.link = create, Link{}
			continue
		}
		s := pending[i]
		pending = slices.Delete(pending, i, i+1)
		switch s.mode {
		case create:
			ops = append(ops, createOp(s.VTI))
		case modify:
			ops = append(ops, modifyOp(s.VTI))
			if old := (pair{s.link.Local, s.link.Remote}); holders[old] == s.Name {
				delete(holders, old)
			}
		}
		holders[pair{s.Local, s.Remote}] = s.Name
		ops = append(ops, s.configure(cur)...)
	}
	return ops
}

// configure returns the writes that give a created or existing device its
// MTU, addresses, sysctls and up flag.
func (s *step) configure(cur State) []Op {
	var ops []Op
	fresh := s.mode == create
	if s.MTU > 0 && !fresh && s.link.MTU != s.MTU {
		ops = append(ops, mtuOp(s.Name, s.MTU))
	}
	for _, a := range s.addrs {
		if !slices.Contains(s.link.Addrs, a) {
			ops = append(ops, addrOp(s.Name, a))
		}
	}
	extra := slices.DeleteFunc(slices.Clone(s.link.Addrs), func(a netip.Prefix) bool { return slices.Contains(s.addrs, a) })
	slices.SortFunc(extra, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	for _, a := range extra {
		ops = append(ops, delAddrOp(s.Name, a))
	}
	for _, kv := range s.sysctls {
		if v, ok := cur.Sysctls[kv.key]; fresh || !ok || v != kv.value {
			ops = append(ops, sysctlOp(kv.key, kv.value))
		}
	}
	if fresh && s.Up || !fresh && s.link.Up != s.Up {
		ops = append(ops, upOp(s.Name, s.Up))
	}
	return ops
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
