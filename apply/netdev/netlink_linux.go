package netdev

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Netlink is the Kernel of a Linux host, or of one network namespace.
type Netlink struct {
	h *netlink.Handle
	// ns is the namespace /proc/sys is read in; netns.None() for the
	// caller's own.
	ns netns.NsHandle
}

var _ Kernel = (*Netlink)(nil)

// NewNetlink returns the Kernel of the caller's network namespace.
func NewNetlink() (*Netlink, error) {
	h, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("open netlink: %w", err)
	}
	return &Netlink{h: h, ns: netns.None()}, nil
}

// NewNetlinkAt returns the Kernel of namespace ns. The caller keeps ns open
// for as long as it uses the result.
func NewNetlinkAt(ns netns.NsHandle) (*Netlink, error) {
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("open netlink in namespace %s: %w", ns, err)
	}
	return &Netlink{h: h, ns: ns}, nil
}

// Close releases the netlink socket.
func (n *Netlink) Close() { n.h.Close() }

// dumpAttempts bounds the retries of a dump the kernel marked as
// interrupted (NLM_F_DUMP_INTR: the table changed while it was read, so
// the result may be inconsistent).
const dumpAttempts = 5

func dump[T any](what string, list func() ([]T, error)) ([]T, error) {
	var err error
	for range dumpAttempts {
		var out []T
		out, err = list()
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			if err != nil {
				return nil, fmt.Errorf("list %s: %w", what, err)
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("list %s: interrupted %d times: %w", what, dumpAttempts, err)
}

func (n *Netlink) Links() ([]Link, error) {
	links, err := dump("links", n.h.LinkList)
	if err != nil {
		return nil, err
	}
	addrs, err := dump("addresses", func() ([]netlink.Addr, error) {
		return n.h.AddrList(nil, netlink.FAMILY_V4)
	})
	if err != nil {
		return nil, err
	}
	byIndex := map[int][]netip.Prefix{}
	for _, a := range addrs {
		if p, ok := prefixOf(a.IPNet); ok {
			byIndex[a.LinkIndex] = append(byIndex[a.LinkIndex], p)
		}
	}
	out := make([]Link, 0, len(links))
	for _, l := range links {
		out = append(out, linkOf(l, byIndex[l.Attrs().Index]))
	}
	slices.SortFunc(out, func(a, b Link) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

func linkOf(l netlink.Link, addrs []netip.Prefix) Link {
	a := l.Attrs()
	out := Link{Name: a.Name, Kind: l.Type(), Up: a.Flags&net.FlagUp != 0, MTU: a.MTU, Addrs: addrs}
	if v, ok := l.(*netlink.Vti); ok {
		out.Local, out.Remote = addrOf(v.Local), addrOf(v.Remote)
		out.IKey, out.OKey = v.IKey, v.OKey
	}
	return out
}

func (n *Netlink) Routes() ([]Route, error) {
	routes, err := dump("routes", func() ([]netlink.Route, error) {
		return n.h.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: unix.RT_TABLE_MAIN}, netlink.RT_FILTER_TABLE)
	})
	if err != nil {
		return nil, err
	}
	links, err := dump("links", n.h.LinkList)
	if err != nil {
		return nil, err
	}
	names := map[int]string{}
	for _, l := range links {
		names[l.Attrs().Index] = l.Attrs().Name
	}
	var out []Route
	for _, r := range routes {
		// A route with a metric is a different route from the one
		// RouteReplace without a metric installs; leave it out.
		if r.Priority != 0 || r.Type != unix.RTN_UNICAST {
			continue
		}
		dst := netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		if r.Dst != nil {
			p, ok := prefixOf(r.Dst)
			if !ok {
				continue
			}
			dst = p
		}
		out = append(out, Route{Dst: dst, Gateway: addrOf(r.Gw), Dev: names[r.LinkIndex]})
	}
	return out, nil
}

func (n *Netlink) AddVTI(v VTI) error {
	o := createOp(v)
	link, err := vtiOf(v)
	if err != nil {
		return opError(o, err)
	}
	link.MTU = v.MTU
	switch err := n.h.LinkAdd(link); {
	case errors.Is(err, unix.EEXIST):
		if err := n.explainExists(v); err != nil {
			return opError(o, err)
		}
		return nil
	case errors.Is(err, unix.EOPNOTSUPP):
		return opError(o, fmt.Errorf("%w (the kernel has no vti support: is the ip_vti module available?)", err))
	case err != nil:
		return opError(o, err)
	}
	// The kernel picks the flavour from the attributes it was sent; make
	// sure it made the IPv4 VTI that was asked for.
	l, err := n.h.LinkByName(v.Name)
	if err != nil {
		return opError(o, fmt.Errorf("re-read after create: %w", err))
	}
	if got := linkOf(l, nil); !got.matches(v) {
		return opError(o, fmt.Errorf("kernel made a %s with local %s remote %s ikey %d okey %d", got.Kind, got.Local, got.Remote, got.IKey, got.OKey))
	}
	return nil
}

// explainExists turns the EEXIST of a create into nil (the same VTI is
// already there) or into an error saying who holds the name or the pair.
func (n *Netlink) explainExists(v VTI) error {
	links, err := n.Links()
	if err != nil {
		return fmt.Errorf("%w, and finding out why failed: %w", unix.EEXIST, err)
	}
	if i := slices.IndexFunc(links, func(l Link) bool { return l.Name == v.Name }); i >= 0 {
		return checkExisting(v, links[i])
	}
	if h := pairHolder(links, v); h != "" {
		return pairClash(h, v)
	}
	return unix.EEXIST
}

func (n *Netlink) ModifyVTI(v VTI) error {
	o := modifyOp(v)
	old, err := n.vti(v.Name)
	if err != nil {
		return opError(o, err)
	}
	link, err := vtiOf(v)
	if err != nil {
		return opError(o, err)
	}
	link.Index = old.Attrs().Index
	if err := n.h.LinkModify(link); err != nil {
		if errors.Is(err, unix.EEXIST) {
			if links, lerr := n.Links(); lerr == nil {
				if h := pairHolder(links, v); h != "" {
					err = pairClash(h, v)
				}
			}
		}
		return opError(o, err)
	}
	// Read back: a kernel whose changelink ignored an attribute would
	// otherwise leave the tunnel keyed to the old mark without a word.
	l, err := n.h.LinkByName(v.Name)
	if err != nil {
		return opError(o, fmt.Errorf("re-read after modify: %w", err))
	}
	if got := linkOf(l, nil); !got.matches(v) {
		return opError(o, fmt.Errorf("kernel kept local %s remote %s ikey %d okey %d", got.Local, got.Remote, got.IKey, got.OKey))
	}
	return nil
}

func (n *Netlink) DeleteLink(name string) error {
	o := deleteOp(name)
	l, err := n.h.LinkByName(name)
	var notFound netlink.LinkNotFoundError
	switch {
	case errors.As(err, &notFound):
		return nil
	case err != nil:
		return opError(o, err)
	case l.Type() != KindVTI:
		return opError(o, fmt.Errorf("refusing to delete a %s device: %w", l.Type(), ErrClash))
	}
	if err := n.h.LinkDel(l); err != nil && !errors.Is(err, unix.ENODEV) {
		return opError(o, err)
	}
	return nil
}

func (n *Netlink) SetMTU(name string, mtu int) error {
	o := mtuOp(name, mtu)
	l, err := n.h.LinkByName(name)
	if err == nil {
		err = n.h.LinkSetMTU(l, mtu)
	}
	if err != nil {
		return opError(o, err)
	}
	return nil
}

func (n *Netlink) SetUp(name string, up bool) error {
	o := upOp(name, up)
	l, err := n.h.LinkByName(name)
	if err == nil {
		if up {
			err = n.h.LinkSetUp(l)
		} else {
			err = n.h.LinkSetDown(l)
		}
	}
	if err != nil {
		return opError(o, err)
	}
	return nil
}

func (n *Netlink) ReplaceAddr(name string, p netip.Prefix) error {
	o := addrOp(name, p)
	l, err := n.h.LinkByName(name)
	if err == nil {
		err = n.h.AddrReplace(l, &netlink.Addr{IPNet: ipNet(p)})
	}
	if err != nil {
		return opError(o, err)
	}
	return nil
}

func (n *Netlink) DelAddr(name string, p netip.Prefix) error {
	o := delAddrOp(name, p)
	l, err := n.h.LinkByName(name)
	if err == nil {
		err = n.h.AddrDel(l, &netlink.Addr{IPNet: ipNet(p)})
	}
	if err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) {
		return opError(o, err)
	}
	return nil
}

func (n *Netlink) ReplaceRoute(r Route) error {
	o := routeOp(r)
	nr, err := n.routeOf(r)
	if err == nil {
		err = n.h.RouteReplace(nr)
	}
	if err != nil {
		return opError(o, err)
	}
	return nil
}

func (n *Netlink) DelRoute(r Route) error {
	o := delRouteOp(r)
	nr, err := n.routeOf(r)
	if err == nil {
		err = n.h.RouteDel(nr)
	}
	if err != nil && !errors.Is(err, unix.ESRCH) {
		return opError(o, err)
	}
	return nil
}

func (n *Netlink) routeOf(r Route) (*netlink.Route, error) {
	nr := &netlink.Route{Dst: ipNet(r.Dst), Table: unix.RT_TABLE_MAIN}
	if r.Gateway.IsValid() {
		nr.Gw = net.IP(r.Gateway.AsSlice())
	} else {
		nr.Scope = netlink.SCOPE_LINK // as ip(8) does for a route without gateway
	}
	if r.Dev != "" {
		l, err := n.h.LinkByName(r.Dev)
		if err != nil {
			return nil, err
		}
		nr.LinkIndex = l.Attrs().Index
	}
	return nr, nil
}

// vti fetches name and checks that it is an IPv4 VTI.
func (n *Netlink) vti(name string) (*netlink.Vti, error) {
	l, err := n.h.LinkByName(name)
	if err != nil {
		return nil, err
	}
	v, ok := l.(*netlink.Vti)
	if !ok || l.Type() != KindVTI {
		return nil, fmt.Errorf("a %s device, not a vti: %w", l.Type(), ErrClash)
	}
	return v, nil
}

// vtiOf builds the netlink form of v. Local is always sent in its 4-byte
// form: the library (and the kernel) take a VTI without an IPv4 local for
// a vti6. NewLinkAttrs leaves TxQLen at -1; the zero value would set the
// queue length to 0.
func vtiOf(v VTI) (*netlink.Vti, error) {
	if !v.Local.Is4() || v.Local.IsUnspecified() {
		return nil, fmt.Errorf("local %q is not a specified IPv4 address (it would make a vti6): %w", v.Local, unix.EINVAL)
	}
	if !v.Remote.Is4() {
		return nil, fmt.Errorf("remote %q is not IPv4: %w", v.Remote, unix.EINVAL)
	}
	attrs := netlink.NewLinkAttrs()
	attrs.Name = v.Name
	return &netlink.Vti{
		LinkAttrs: attrs,
		IKey:      v.Key,
		OKey:      v.Key,
		Local:     net.IP(v.Local.AsSlice()),
		Remote:    net.IP(v.Remote.AsSlice()),
	}, nil
}

func addrOf(ip net.IP) netip.Addr {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.Addr{}
	}
	return a.Unmap()
}

func prefixOf(n *net.IPNet) (netip.Prefix, bool) {
	if n == nil {
		return netip.Prefix{}, false
	}
	a := addrOf(n.IP)
	ones, bits := n.Mask.Size()
	if !a.Is4() || bits != 32 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, ones), true
}

func ipNet(p netip.Prefix) *net.IPNet {
	a := p.Addr().Unmap()
	return &net.IPNet{IP: net.IP(a.AsSlice()), Mask: net.CIDRMask(p.Bits(), a.BitLen())}
}
