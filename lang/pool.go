package lang

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Span is a pool as written: "FIRST - LAST" (numbers or addresses, both
// ends included) or, for addresses, a network such as "169.254.0.0/16".
type Span struct {
	From, To netip.Addr // an address pool
	Lo, Hi   uint64     // a number pool
	Raw      string
	Range    hcl.Range
	Set      bool
}

// span decodes a pool of addresses (addrs) or of numbers from 1 to
// 4294967295.
func (d *decoder) span(attr *hcl.Attribute, addrs bool) (Span, hcl.Diagnostics) {
	s, diags := d.str(attr)
	if diags.HasErrors() {
		return Span{}, diags
	}
	sp := Span{Raw: s.Value, Range: s.Range, Set: true}
	if addrs {
		if p, err := netip.ParsePrefix(s.Value); err == nil {
			if p != p.Masked() {
				return Span{}, hcl.Diagnostics{errorAt(s.Range, "Invalid pool",
					"The pool %q has host bits set; write the network itself (%s) or a range such as \"169.254.101.0 - 169.254.199.255\".", s.Value, p.Masked())}
			}
			sp.From, sp.To = p.Addr(), lastAddr(p)
			return sp, nil
		}
	}
	lo, hi, ok := strings.Cut(s.Value, "-")
	lo, hi = strings.TrimSpace(lo), strings.TrimSpace(hi)
	if addrs {
		a, errA := netip.ParseAddr(lo)
		b, errB := netip.ParseAddr(hi)
		if !ok || errA != nil || errB != nil || a.Zone() != "" || b.Zone() != "" || a.Is4() != b.Is4() || b.Less(a) {
			return Span{}, hcl.Diagnostics{errorAt(s.Range, "Invalid pool",
				"The argument %q must be a network such as \"169.254.0.0/16\" or a range FIRST - LAST of one address family, such as \"169.254.101.0 - 169.254.199.255\"; %q is neither.", attr.Name, s.Value)}
		}
		sp.From, sp.To = a.Unmap(), b.Unmap()
		return sp, nil
	}
	a, errA := strconv.ParseUint(lo, 10, 32)
	b, errB := strconv.ParseUint(hi, 10, 32)
	if !ok || errA != nil || errB != nil || a < 1 || b < a {
		return Span{}, hcl.Diagnostics{errorAt(s.Range, "Invalid pool",
			"The argument %q must be a range of marks FIRST - LAST from 1 to 4294967295, such as \"1000 - 1999\"; %q is not one.", attr.Name, s.Value)}
	}
	sp.Lo, sp.Hi = a, b
	return sp, nil
}

// usage is what the site's tunnels already hold: interface names and
// marks per router, and every inside network. Pools hand out only what is
// free in it.
type usage struct {
	ifaces map[string]map[string]bool // router → interface name
	marks  map[string]map[uint32]bool // router → mark
	nets   map[netip.Prefix]bool      // masked inside networks
	wide   []netip.Prefix             // those of unusual lengths, checked for overlap
}

func newUsage() *usage {
	return &usage{ifaces: map[string]map[string]bool{}, marks: map[string]map[uint32]bool{}, nets: map[netip.Prefix]bool{}}
}

func (u *usage) addIface(router, name string) {
	if u.ifaces[router] == nil {
		u.ifaces[router] = map[string]bool{}
	}
	u.ifaces[router][name] = true
}

func (u *usage) addMark(router string, m uint32) {
	if u.marks[router] == nil {
		u.marks[router] = map[uint32]bool{}
	}
	u.marks[router][m] = true
}

func (u *usage) addNet(p netip.Prefix) {
	p = p.Masked()
	if insideBitsOK(p) {
		u.nets[p] = true
		return
	}
	u.wide = append(u.wide, p)
}

// netFree reports whether no inside network in use overlaps p.
func (u *usage) netFree(p netip.Prefix) bool {
	for _, q := range []netip.Prefix{p, netip.PrefixFrom(p.Addr(), p.Bits()+1).Masked(), netip.PrefixFrom(lastAddr(p), p.Bits()+1).Masked()} {
		if u.nets[q] {
			return false
		}
	}
	if p.Bits() > 0 && u.nets[netip.PrefixFrom(p.Addr(), p.Bits()-1).Masked()] {
		return false
	}
	for _, w := range u.wide {
		if w.Overlaps(p) {
			return false
		}
	}
	return true
}

// nextIface returns the first interface prefixN (N from 1) free on router.
func (u *usage) nextIface(router, prefix string) (string, bool) {
	for n := 1; ; n++ {
		name := prefix + strconv.Itoa(n)
		if !validIfName(name) {
			return "", false
		}
		if !u.ifaces[router][name] {
			return name, true
		}
	}
}

// nextMark returns the first mark of the pool free on both routers. An
// unset pool holds the marks that vti1, vti2, … derive to (12, 24, …), the
// numbering hand-written sites and migrated appliances use.
func (u *usage) nextMark(pool Span, a, b string) (uint32, bool) {
	free := func(m uint32) bool { return !u.marks[a][m] && !u.marks[b][m] }
	if pool.Set {
		for m := pool.Lo; m <= pool.Hi; m++ {
			if free(uint32(m)) {
				return uint32(m), true
			}
		}
		return 0, false
	}
	for n := 1; ; n++ {
		m, ok := DerivedMark("vti" + strconv.Itoa(n))
		if !ok {
			return 0, false
		}
		if free(m) {
			return m, true
		}
	}
}

// markInPool reports whether m is one the pool hands out.
func markInPool(pool Span, m uint32) bool {
	if pool.Set {
		return uint64(m) >= pool.Lo && uint64(m) <= pool.Hi
	}
	s := strconv.FormatUint(uint64(m), 10)
	for _, c := range s {
		if c > '7' {
			return false
		}
	}
	v, err := strconv.ParseUint(s, 8, 32)
	return err == nil && v > 0 && v%10 == 0
}

// insideShape is a mesh's inside pool resolved: where it starts and ends,
// each tunnel's prefix length and the spacing between tunnels.
type insideShape struct {
	from, to      netip.Addr
	length, every int
}

// nextNet returns the first network of the pool that overlaps nothing in
// use, starting at *cursor (the pool's start when invalid) and leaving it
// after the network returned: what lies before it was taken in this run
// and stays taken, so a mesh of thousands of tunnels is not quadratic.
func (u *usage) nextNet(s insideShape, cursor *netip.Addr) (netip.Prefix, bool) {
	cur := s.from
	if cursor.IsValid() {
		cur = *cursor
	}
	for cur.IsValid() {
		p := netip.PrefixFrom(cur, s.length).Masked()
		if s.to.Less(lastAddr(p)) {
			return netip.Prefix{}, false
		}
		next := lastAddr(netip.PrefixFrom(cur, s.every).Masked()).Next()
		if u.netFree(p) {
			*cursor = next
			return p, true
		}
		cur = next
	}
	return netip.Prefix{}, false
}

// inPool reports whether p is a network the pool hands out.
func (s insideShape) inPool(p netip.Prefix) bool {
	if p.Bits() != s.length || p.Addr().Is4() != s.from.Is4() || p.Addr().Less(s.from) || s.to.Less(lastAddr(p)) {
		return false
	}
	block := netip.PrefixFrom(p.Addr(), s.every).Masked()
	return block.Addr() == p.Addr()
}

// hosts returns the two inside addresses of a tunnel network: the first
// end's and the second's. A /31 (/127) uses both of its addresses; a /30
// (/126) the two between its network and broadcast addresses.
func hosts(p netip.Prefix) (a, b netip.Prefix) {
	first := p.Addr()
	if p.Bits() == 30 || p.Bits() == 126 {
		first = first.Next()
	}
	return netip.PrefixFrom(first, p.Bits()), netip.PrefixFrom(first.Next(), p.Bits())
}
