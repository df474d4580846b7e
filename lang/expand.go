package lang

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// A mesh's tunnels grow as the square of its routers: these bound what a
// site file (hostile input to vtic diff in CI) can make vtic allocate, and
// keep the lock file, at 200 to 400 bytes a tunnel, within the 2 MiB every
// site file is held to.
const (
	maxMeshRouters = 100   // routers in one mesh: 4,950 tunnels
	maxMeshTunnels = 5_000 // tunnels of all meshes of a site
)

// meshPlan is one mesh block on its way to tunnels: its members, the pairs
// they form and what each pair holds.
type meshPlan struct {
	mesh    *Mesh
	members []Str // valid, distinct routers
	shape   insideShape
	cursor  netip.Addr // where the inside pool's next search starts
	prefix  string
	ok      bool // pools valid: pairs can be allocated
	pairs   []*meshPair
}

type meshPair struct {
	a, b  Str         // in the order of the routers list
	entry *LockTunnel // kept from the lock file or newly allocated
	fresh bool        // allocated now: not in the lock file
}

// expandMeshes turns every mesh block into tunnels, appended to
// site.Tunnels, and computes the lock file the site needs (site.lock).
// Allocations in lock are kept when they still fit their mesh; pairs
// without one get the first free values of the pools, in the order the
// blocks and routers are written. A lock file that is missing or differs
// from what is needed is an error unless opts.Relock is set.
func (d *decoder) expandMeshes(site *Site, lock *Lock) hcl.Diagnostics {
	if len(site.Meshes) == 0 && lock == nil {
		return nil
	}
	var diags hcl.Diagnostics
	used := site.handWrittenUsage()
	locked := map[string]map[string]*LockTunnel{}
	if lock != nil {
		for _, lm := range lock.Meshes {
			if locked[lm.Name] == nil {
				locked[lm.Name] = map[string]*LockTunnel{}
			}
			for _, t := range lm.Tunnels {
				locked[lm.Name][t.pair()] = t
			}
		}
	}

	// First keep every lock entry that still fits, across all meshes, so
	// that a new pair never takes what an existing one holds.
	var plans []*meshPlan
	seenMesh := map[string]*Mesh{}
	total := 0
	for _, m := range site.Meshes {
		// At most all pairs, counted before anything is checked or made:
		// the site is refused as a whole.
		n := min(len(m.Routers), maxMeshRouters)
		pairs := n * (n - 1) / 2
		if h := min(len(m.Hubs), n); h > 0 {
			pairs = h*(n-h) + h*(h-1)/2
		}
		if total += pairs; total > maxMeshTunnels {
			return append(diags, errorAt(m.DeclRange, "Too many mesh tunnels",
				"With the mesh %q the site's meshes would make more than %d tunnels, the most a site's meshes make. Use fewer or smaller meshes, or hubs.", m.Name, maxMeshTunnels))
		}
	}
	for _, m := range site.Meshes {
		if first, dup := seenMesh[NameKey(m.Name)]; dup {
			diags = append(diags, errorAt(m.NameRange, "Duplicate mesh",
				"A mesh named %q is already declared at %s. Give each mesh its own name.", m.Name, where(first.NameRange)))
			continue
		}
		seenMesh[NameKey(m.Name)] = m
		p, ds := site.planMesh(m)
		diags = append(diags, ds...)
		plans = append(plans, p)
		for _, pr := range p.pairs {
			e := locked[m.Name][pairKey(pr.a.Value, pr.b.Value)]
			if e != nil && p.ok && p.fits(e) {
				pr.entry = e
				used.addLocked(e)
			}
		}
	}
	for _, p := range plans {
		if !p.ok {
			continue
		}
		for _, pr := range p.pairs {
			if pr.entry != nil {
				continue
			}
			e, ds := used.allocate(p, pr)
			diags = append(diags, ds...)
			if e == nil {
				p.ok = false
				break
			}
			pr.entry, pr.fresh = e, true
			used.addLocked(e)
		}
	}

	want := &Lock{}
	kept := map[*LockTunnel]bool{}
	for _, p := range plans {
		lm := &LockMesh{Name: p.mesh.Name}
		for _, pr := range p.pairs {
			if pr.entry == nil {
				continue
			}
			lm.Tunnels = append(lm.Tunnels, pr.entry)
			kept[pr.entry] = true
			t, ds := d.meshTunnel(p, pr)
			diags = append(diags, ds...)
			site.Tunnels = append(site.Tunnels, t)
		}
		want.Meshes = append(want.Meshes, lm)
	}
	site.lock = want
	if !d.opts.Relock {
		diags = append(diags, lockProblems(site, lock, plans, kept)...)
	}
	return dedupe(diags)
}

// dedupe drops repeats of a diagnostic: a mesh's psk written wrongly is
// one mistake, not one per tunnel.
func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	type key struct {
		summary, detail string
		at              hcl.Range
	}
	seen := map[key]bool{}
	out := diags[:0]
	for _, d := range diags {
		k := key{summary: d.Summary, detail: d.Detail}
		if d.Subject != nil {
			k.at = *d.Subject
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// lockProblems says how the lock file differs from what the meshes need:
// missing, tunnels it lacks, entries nothing uses.
func lockProblems(site *Site, lock *Lock, plans []*meshPlan, kept map[*LockTunnel]bool) hcl.Diagnostics {
	how := fmt.Sprintf("Run vtic lock %s and commit %s.", site.Dir, LockFileName)
	// A mesh with errors allocates nothing: its own errors come first.
	broken := map[string]bool{}
	var fresh *meshPlan
	for _, p := range plans {
		if !p.ok {
			broken[p.mesh.Name] = true
		}
		for _, pr := range p.pairs {
			if pr.fresh && p.ok && fresh == nil {
				fresh = p
			}
		}
	}
	if lock == nil {
		if fresh == nil {
			return nil
		}
		return hcl.Diagnostics{errorAt(fresh.mesh.DeclRange, "Missing lock file",
			"The site has mesh blocks but no %s to pin what their pools hand out. %s", LockFileName, how)}
	}
	var diags hcl.Diagnostics
	for _, p := range plans {
		var names []string
		for _, pr := range p.pairs {
			if pr.fresh && p.ok {
				names = append(names, strconv.Quote(pr.entry.Name))
			}
		}
		if len(names) > 10 {
			names = append(names[:10], fmt.Sprintf("and %d more", len(names)-10))
		}
		if len(names) > 0 {
			diags = append(diags, errorAt(p.mesh.DeclRange, "Lock file out of date",
				"%s pins nothing for the tunnels %s of the mesh %q. %s", LockFileName, strings.Join(names, ", "), p.mesh.Name, how))
		}
	}
	for _, lm := range lock.Meshes {
		for _, t := range lm.Tunnels {
			if kept[t] || broken[lm.Name] {
				continue
			}
			diags = append(diags, errorAt(t.NameRange, "Lock file out of date",
				"%s pins the tunnel %q of the mesh %q, which the site no longer has in that form (a router left the mesh, or a pool changed). %s",
				LockFileName, t.Name, lm.Name, how))
		}
	}
	return diags
}

// handWrittenUsage collects what the tunnels decoded so far hold.
func (s *Site) handWrittenUsage() *usage {
	u := newUsage()
	for _, t := range s.Tunnels {
		m, mok := s.MarkOf(t)
		for _, e := range t.Ends {
			if s.Router(e.Name) == nil {
				if e.Inside.Set() {
					u.addNet(e.Inside.Prefix)
				}
				continue
			}
			if e.Interface.Set {
				u.addIface(e.Name, e.Interface.Value)
			}
			if mok {
				u.addMark(e.Name, m)
			}
			if e.Inside.Set() {
				u.addNet(e.Inside.Prefix)
			}
		}
	}
	return u
}

func (u *usage) addLocked(e *LockTunnel) {
	for _, end := range e.Ends {
		u.addIface(end.Router, end.Interface)
		u.addMark(end.Router, e.Mark)
	}
	u.addNet(e.Ends[0].Inside)
}

// planMesh checks a mesh's members and pools and lists its pairs.
func (s *Site) planMesh(m *Mesh) (*meshPlan, hcl.Diagnostics) {
	p := &meshPlan{mesh: m, ok: !m.bad, prefix: "vti"}
	var diags hcl.Diagnostics
	if !safeName(m.Name) {
		diags = append(diags, errorAt(m.NameRange, "Invalid mesh name",
			"The mesh name %q may hold only letters, digits, '-', '_' and '.', and must start with a letter or digit.", m.Name))
		p.ok = false
	}
	if len(m.Routers) > maxMeshRouters {
		diags = append(diags, errorAt(m.RoutersRange, "Mesh too large",
			"The mesh %q lists %d routers; a mesh holds at most %d (%d tunnels). Split it into meshes with hubs.", m.Name, len(m.Routers), maxMeshRouters, maxMeshRouters*(maxMeshRouters-1)/2))
		p.ok = false
		return p, diags
	}
	seen := map[string]Str{}
	for _, r := range m.Routers {
		if first, dup := seen[NameKey(r.Value)]; dup {
			diags = append(diags, errorAt(r.Range, "Duplicate mesh member",
				"The router %q is already a member of the mesh %q (%s). List each router once.", r.Value, m.Name, where(first.Range)))
			continue
		}
		seen[NameKey(r.Value)] = r
		if s.Router(r.Value) == nil {
			if s.Peer(r.Value) != nil {
				diags = append(diags, errorAt(r.Range, "Mesh member is not a router",
					"%q is a peer; a mesh joins routers that vtic manages. Connect a peer with a tunnel block.", r.Value))
			} else {
				diags = append(diags, errorAt(r.Range, "Unknown router",
					"The mesh %q lists %q, but no router of that name is declared. Declare router %q or remove it from the list.", m.Name, r.Value, r.Value))
			}
			continue
		}
		p.members = append(p.members, r)
	}
	if len(m.Routers) > 0 && len(m.Routers) < 2 {
		diags = append(diags, errorAt(m.RoutersRange, "Too few mesh members",
			"The mesh %q lists %d router; a mesh needs at least two.", m.Name, len(m.Routers)))
	}
	if m.InterfacePrefix.Set {
		p.prefix = m.InterfacePrefix.Value
		if p.prefix == "" || len(p.prefix) > maxIfName-3 || !validIfName(p.prefix+"1") || strings.ContainsAny(p.prefix[len(p.prefix)-1:], "0123456789") {
			diags = append(diags, errorAt(m.InterfacePrefix.Range, "Invalid interface prefix",
				"Interfaces are named prefix1, prefix2, …: the prefix must be a valid interface name of at most %d characters (room for 999 interfaces) that does not end in a digit; %q is not.", maxIfName-3, p.prefix))
			p.ok = false
		}
	}
	shape, ds := insidePoolShape(m)
	diags = append(diags, ds...)
	p.shape = shape
	if ds.HasErrors() || !m.InsidePool.Set {
		p.ok = false
	}
	hubs := map[string]bool{}
	for _, h := range m.Hubs {
		if _, member := seen[NameKey(h.Value)]; !member {
			diags = append(diags, errorAt(h.Range, "Hub not in the mesh",
				"The hub %q is not listed in routers of the mesh %q. Add it to routers.", h.Value, m.Name))
			p.ok = false
			continue
		}
		hubs[h.Value] = true
	}
	for i := 0; i < len(p.members); i++ {
		for j := i + 1; j < len(p.members); j++ {
			a, b := p.members[i], p.members[j]
			if len(m.Hubs) > 0 && !hubs[a.Value] && !hubs[b.Value] {
				continue // two spokes
			}
			p.pairs = append(p.pairs, &meshPair{a: a, b: b})
		}
	}
	return p, diags
}

// insidePoolShape resolves inside_pool, inside_length and inside_every.
func insidePoolShape(m *Mesh) (insideShape, hcl.Diagnostics) {
	pool := m.InsidePool
	if !pool.Set {
		return insideShape{}, nil
	}
	bits := 32
	lengths := "30 or 31"
	if !pool.From.Is4() {
		bits, lengths = 128, "126 or 127"
	}
	s := insideShape{from: pool.From, to: pool.To, length: bits - 2}
	if m.InsideLength.Set {
		s.length = int(m.InsideLength.Value)
		if !insideBitsOK(netip.PrefixFrom(pool.From, min(s.length, bits))) || s.length > bits {
			return s, hcl.Diagnostics{errorAt(m.InsideLength.Range, "Invalid inside length",
				"Each tunnel of the mesh gets a /%s network out of %s; %d is not one of those lengths.", lengths, pool.Raw, m.InsideLength.Value)}
		}
	}
	s.every = s.length
	if m.InsideEvery.Set {
		s.every = int(m.InsideEvery.Value)
		if s.every > s.length {
			return s, hcl.Diagnostics{errorAt(m.InsideEvery.Range, "Invalid inside spacing",
				"inside_every = %d would start each tunnel's network in a block smaller than the network (/%d). Give a prefix length from 0 to %d: 24 starts each tunnel at a new /24.", s.every, s.length, s.length)}
		}
	}
	if start := netip.PrefixFrom(pool.From, s.every).Masked().Addr(); start != pool.From {
		return s, hcl.Diagnostics{errorAt(pool.Range, "Misaligned inside pool",
			"The pool starts at %s, inside a /%d block that starts at %s; each tunnel's network starts a /%d block. Start the pool at the beginning of one.", pool.From, s.every, start, s.every)}
	}
	return s, nil
}

// fits reports whether a lock entry still belongs to the mesh as written:
// its ends are the pair, its mark and inside network come from the pools,
// and its interfaces carry the prefix.
func (p *meshPlan) fits(e *LockTunnel) bool {
	if !markInPool(p.mesh.MarkPool, e.Mark) || !e.Ends[0].Inside.IsValid() || !e.Ends[1].Inside.IsValid() {
		return false
	}
	net := e.Ends[0].Inside.Masked()
	a, b := hosts(net)
	if !p.shape.inPool(net) || e.Ends[0].Inside != a || e.Ends[1].Inside != b {
		return false
	}
	for _, end := range e.Ends {
		n, ok := strings.CutPrefix(end.Interface, p.prefix)
		if v, err := strconv.Atoi(n); !ok || err != nil || v < 1 || strconv.Itoa(v) != n {
			return false
		}
	}
	return true
}

// allocate gives a new pair the first free values of its mesh's pools.
func (u *usage) allocate(p *meshPlan, pr *meshPair) (*LockTunnel, hcl.Diagnostics) {
	m := p.mesh
	name := pr.a.Value + "-" + pr.b.Value
	mark, ok := u.nextMark(m.MarkPool, pr.a.Value, pr.b.Value)
	if !ok {
		rng := m.DeclRange
		if m.MarkPool.Set {
			rng = m.MarkPool.Range
		}
		return nil, hcl.Diagnostics{errorAt(rng, "Mark pool exhausted",
			"No mark of the pool is free on both %q and %q for the tunnel %q of the mesh %q. Widen mark_pool.", pr.a.Value, pr.b.Value, name, m.Name)}
	}
	net, ok := u.nextNet(p.shape, &p.cursor)
	if !ok {
		return nil, hcl.Diagnostics{errorAt(m.InsidePool.Range, "Inside pool exhausted",
			"No /%d network of %s is free for the tunnel %q of the mesh %q. Widen inside_pool.", p.shape.length, m.InsidePool.Raw, name, m.Name)}
	}
	e := &LockTunnel{Name: name, Mark: mark}
	a, b := hosts(net)
	for i, r := range []Str{pr.a, pr.b} {
		iface, ok := u.nextIface(r.Value, p.prefix)
		if !ok {
			return nil, hcl.Diagnostics{errorAt(r.Range, "Interface pool exhausted",
				"No interface name %sN is free on router %q for the tunnel %q. Use a shorter interface_prefix.", p.prefix, r.Value, name)}
		}
		e.Ends[i] = LockEnd{Router: r.Value, Interface: iface, Inside: []netip.Prefix{a, b}[i]}
	}
	return e, nil
}

// meshTunnel builds the tunnel of one pair, as if it had been written by
// hand: every rule checks it. Its ranges point at the mesh block: the
// tunnel's name at the mesh's name, each end at the router in the list,
// each allocated value at the pool it came from.
func (d *decoder) meshTunnel(p *meshPlan, pr *meshPair) (*Tunnel, hcl.Diagnostics) {
	m, e := p.mesh, pr.entry
	markRange := m.DeclRange
	if m.MarkPool.Set {
		markRange = m.MarkPool.Range
	}
	ifRange := m.DeclRange
	if m.InterfacePrefix.Set {
		ifRange = m.InterfacePrefix.Range
	}
	t := &Tunnel{
		Name: e.Name, NameRange: m.NameRange, DeclRange: m.DeclRange, Mesh: m.Name,
		Mark:        Num{Value: uint64(e.Mark), Raw: itoa(uint64(e.Mark)), Range: markRange, Set: true},
		MTU:         m.MTU,
		Description: m.Description,
		Enabled:     m.Enabled,
		Options:     slices.Clone(m.Options), OptionsRange: m.OptionsRange,
	}
	for _, end := range e.Ends {
		rng := pr.a.Range
		if end.Router == pr.b.Value {
			rng = pr.b.Range
		}
		t.Ends = append(t.Ends, &End{
			Name: end.Router, NameRange: rng, DeclRange: rng,
			Interface: Str{Value: end.Interface, Range: ifRange, Set: true},
			Inside:    Prefix{Prefix: end.Inside, Range: m.InsidePool.Range},
		})
	}
	var diags hcl.Diagnostics
	if m.PSK != nil {
		t.PSK, diags = d.meshSecret(m, t.Name)
	}
	return t, diags
}
