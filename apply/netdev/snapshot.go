package netdev

import (
	"net/netip"
	"slices"
)

// Snapshot is the state of everything a convergence to some Desired may
// touch, taken before it runs. Restore converges back to it. The fields
// are plain data so the caller can keep a snapshot in its state file.
type Snapshot struct {
	// Links are the devices of interest that existed, as they were.
	Links []Link
	// Missing are the devices of interest that did not exist.
	Missing []string
	// Routes are the routes of interest that existed.
	Routes []Route
	// MissingRoutes are the destinations of interest that had no route.
	MissingRoutes []netip.Prefix
	// Sysctls are the values of the global keys and of the per-device
	// keys of the existing devices of interest.
	Sysctls map[string]string
}

// Capture takes a snapshot of what Converge(k, d) may touch: the devices
// named in d.VTIs and d.Owned, the routes to the destinations of d.Routes
// and d.OwnedRoutes, and the sysctls vtic writes.
func Capture(k Kernel, d Desired) (Snapshot, error) {
	var names []string
	for _, v := range d.VTIs {
		names = append(names, v.Name)
	}
	names = append(names, d.Owned...)
	slices.Sort(names)
	names = slices.Compact(names)

	var dsts []netip.Prefix
	for _, r := range slices.Concat(d.Routes, d.OwnedRoutes) {
		dsts = append(dsts, r.Dst)
	}
	slices.SortFunc(dsts, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	dsts = slices.Compact(dsts)

	st, err := readState(k, names, []string{SysctlForward})
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Sysctls: st.Sysctls}
	for _, name := range names {
		if l, ok := st.link(name); ok {
			s.Links = append(s.Links, l)
		} else {
			s.Missing = append(s.Missing, name)
		}
	}
	for _, dst := range dsts {
		i := slices.IndexFunc(st.Routes, func(r Route) bool { return r.Dst == dst })
		if i >= 0 {
			s.Routes = append(s.Routes, st.Routes[i])
		} else {
			s.MissingRoutes = append(s.MissingRoutes, dst)
		}
	}
	return s, nil
}

// Restore converges back to s: VTIs that existed get their parameters,
// MTU, addresses, sysctls and up flag back (being recreated if they were
// deleted), VTIs that did not exist are deleted, routes and global sysctls
// return to their values. Devices that were not VTIs were never touched
// and are left alone. It returns the ops applied.
//
// A VTI whose ikey and okey differed is restored with both set to its
// ikey: vtic only ever creates VTIs with equal keys.
func Restore(k Kernel, s Snapshot) ([]Op, error) {
	t := target{owned: map[string]bool{}, sysctls: map[string]string{}}
	var devs []string
	for _, l := range s.Links {
		if l.Kind != KindVTI {
			continue
		}
		t.owned[l.Name] = true
		devs = append(devs, l.Name)
		v := vtiTarget{
			VTI:   VTI{Name: l.Name, Local: l.Local, Remote: l.Remote, Key: l.IKey, MTU: l.MTU, Up: l.Up},
			addrs: slices.Clone(l.Addrs),
		}
		for _, sc := range vtiSysctls {
			key := DevSysctl(l.Name, sc.leaf)
			if value, ok := s.Sysctls[key]; ok {
				v.sysctls = append(v.sysctls, keyValue{key, value})
			}
		}
		t.vtis = append(t.vtis, v)
	}
	for _, name := range s.Missing {
		t.owned[name] = true
	}
	var global []string
	for key, value := range s.Sysctls {
		if sysctlDev(key) == "" {
			t.sysctls[key] = value
			global = append(global, key)
		}
	}
	slices.Sort(global)
	t.routes = slices.Clone(s.Routes)
	for _, dst := range s.MissingRoutes {
		t.unroutes = append(t.unroutes, Route{Dst: dst})
	}
	t.sort()

	cur, err := readState(k, devs, global)
	if err != nil {
		return nil, err
	}
	ops, err := t.plan(cur)
	if err != nil {
		return nil, err
	}
	return Apply(k, ops)
}
