package netdev

import (
	"cmp"
	"fmt"
	"io/fs"
	"net/netip"
	"slices"
	"sync"
	"syscall"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory kernel for tests. It enforces the rules the real
// kernel (and Netlink on top of it) does: names are unique, one VTI per
// (local, remote) pair, a VTI needs an IPv4 local address, DeleteLink
// refuses non-VTIs, a route's gateway must be on a connected subnet of an
// up device, deleting or downing a device takes its routes with it. Every
// write that changes something is recorded as the String of the equivalent
// Op, so a test can compare the transcript with the expected lines.
//
// The embedded Recorder gives FailOn (a rule "create vti2" fails the whole
// create line of vti2, not vti20's), ClearFailures, Transcript and
// ResetTranscript.
type Fake struct {
	fakerec.Recorder
	mu      sync.Mutex
	links   map[string]*Link
	routes  []Route
	sysctls map[string]string
}

var _ Kernel = (*Fake)(nil)

// fakeDefaultMTU is what the kernel gives a VTI over a 1500-byte underlay.
const fakeDefaultMTU = 1480

// NewFake returns a kernel with no devices, forwarding off, and the
// defaults new devices copy: rp_filter 1 (strict), disable_policy 0.
func NewFake() *Fake {
	return &Fake{
		links: map[string]*Link{},
		sysctls: map[string]string{
			SysctlForward:                             "0",
			DevSysctl("all", SysctlRPFilter):          "0",
			DevSysctl("all", SysctlDisablePolicy):     "0",
			DevSysctl("default", SysctlRPFilter):      "1",
			DevSysctl("default", SysctlDisablePolicy): "0",
		},
	}
}

// PutLink installs a device as if something else had created it, without
// recording anything. Its per-device sysctls get the defaults.
func (f *Fake) PutLink(l Link) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l.Addrs = slices.Clone(l.Addrs)
	f.links[l.Name] = &l
	f.newSysctls(l.Name)
}

// PutRoute installs a route without recording anything.
func (f *Fake) PutRoute(r Route) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes = slices.DeleteFunc(f.routes, func(c Route) bool { return c.Dst == r.Dst })
	f.routes = append(f.routes, r)
}

// PutSysctl sets a key without recording anything.
func (f *Fake) PutSysctl(key, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sysctls[key] = value
}

// errNoop tells write that the kernel had nothing to change.
var errNoop = fakerec.ErrNoChange

// write runs do for op o under the lock through the recorder, which
// applies injected failures and records o when it changed something;
// errors are named after o.
func (f *Fake) write(o Op, do func() error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.Do(o.String(), do); err != nil {
		return opError(o, err)
	}
	return nil
}

func (f *Fake) Links() ([]Link, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Link, 0, len(f.links))
	for _, l := range f.links {
		c := *l
		c.Addrs = slices.Clone(l.Addrs)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Link) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

func (f *Fake) Routes() ([]Route, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Clone(f.routes)
	slices.SortFunc(out, func(a, b Route) int { return a.Dst.Addr().Compare(b.Dst.Addr()) })
	return out, nil
}

func (f *Fake) Sysctl(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.sysctls[key]
	if !ok {
		return "", fmt.Errorf("read sysctl %s: %w", sysctlName(key), fs.ErrNotExist)
	}
	return v, nil
}

func (f *Fake) AddVTI(v VTI) error {
	return f.write(createOp(v), func() error {
		if !v.Local.Is4() || v.Local.IsUnspecified() {
			return fmt.Errorf("local %q is not a specified IPv4 address (the kernel would make a vti6): %w", v.Local, syscall.EINVAL)
		}
		if !v.Remote.Is4() {
			return fmt.Errorf("remote %q is not IPv4: %w", v.Remote, syscall.EINVAL)
		}
		if v.Name == "" || len(v.Name) > maxNameLen {
			return fmt.Errorf("bad device name: %w", syscall.EINVAL)
		}
		if l, ok := f.links[v.Name]; ok {
			if err := checkExisting(v, *l); err != nil {
				return err
			}
			return errNoop
		}
		if h := pairHolder(f.linkList(), v); h != "" {
			return pairClash(h, v)
		}
		mtu := v.MTU
		if mtu == 0 {
			mtu = fakeDefaultMTU
		}
		f.links[v.Name] = &Link{Name: v.Name, Kind: KindVTI, MTU: mtu,
			Local: v.Local, Remote: v.Remote, IKey: v.Key, OKey: v.Key}
		f.newSysctls(v.Name)
		return nil
	})
}

func (f *Fake) ModifyVTI(v VTI) error {
	return f.write(modifyOp(v), func() error {
		l, err := f.vti(v.Name)
		if err != nil {
			return err
		}
		if !v.Local.Is4() || v.Local.IsUnspecified() || !v.Remote.Is4() {
			return fmt.Errorf("local %q remote %q: %w", v.Local, v.Remote, syscall.EINVAL)
		}
		if h := pairHolder(f.linkList(), v); h != "" {
			return pairClash(h, v)
		}
		if l.matches(v) {
			return errNoop
		}
		l.Local, l.Remote, l.IKey, l.OKey = v.Local, v.Remote, v.Key, v.Key
		return nil
	})
}

func (f *Fake) DeleteLink(name string) error {
	return f.write(deleteOp(name), func() error {
		l, ok := f.links[name]
		if !ok {
			return errNoop
		}
		if l.Kind != KindVTI {
			return fmt.Errorf("refusing to delete a %s device: %w", l.Kind, ErrClash)
		}
		delete(f.links, name)
		for key := range f.sysctls {
			if sysctlDev(key) == name {
				delete(f.sysctls, key)
			}
		}
		f.dropRoutesVia(name)
		return nil
	})
}

func (f *Fake) SetMTU(name string, mtu int) error {
	return f.write(mtuOp(name, mtu), func() error {
		l, err := f.link(name)
		if err != nil {
			return err
		}
		if mtu < 68 || mtu > 65535 {
			return syscall.EINVAL
		}
		if l.MTU == mtu {
			return errNoop
		}
		l.MTU = mtu
		return nil
	})
}

func (f *Fake) SetUp(name string, up bool) error {
	return f.write(upOp(name, up), func() error {
		l, err := f.link(name)
		if err != nil {
			return err
		}
		if l.Up == up {
			return errNoop
		}
		l.Up = up
		if !up {
			f.dropRoutesVia(name)
		}
		return nil
	})
}

func (f *Fake) ReplaceAddr(name string, p netip.Prefix) error {
	return f.write(addrOp(name, p), func() error {
		l, err := f.link(name)
		if err != nil {
			return err
		}
		if !p.Addr().Is4() {
			return syscall.EAFNOSUPPORT
		}
		// Like the kernel, an address is identified by address and
		// prefix length; a replace of an identical one is still a
		// write, just an invisible one.
		if !slices.Contains(l.Addrs, p) {
			l.Addrs = append(l.Addrs, p)
		}
		return nil
	})
}

func (f *Fake) DelAddr(name string, p netip.Prefix) error {
	return f.write(delAddrOp(name, p), func() error {
		l, err := f.link(name)
		if err != nil {
			return err
		}
		i := slices.Index(l.Addrs, p)
		if i < 0 {
			return errNoop
		}
		l.Addrs = slices.Delete(l.Addrs, i, i+1)
		return nil
	})
}

func (f *Fake) ReplaceRoute(r Route) error {
	return f.write(routeOp(r), func() error {
		dev, err := f.nexthop(r)
		if err != nil {
			return err
		}
		r.Dev = dev
		f.routes = slices.DeleteFunc(f.routes, func(c Route) bool { return c.Dst == r.Dst })
		f.routes = append(f.routes, r)
		return nil
	})
}

func (f *Fake) DelRoute(r Route) error {
	return f.write(delRouteOp(r), func() error {
		n := len(f.routes)
		f.routes = slices.DeleteFunc(f.routes, func(c Route) bool {
			return c.Dst == r.Dst && (!r.Gateway.IsValid() || c.Gateway == r.Gateway)
		})
		if len(f.routes) == n {
			return errNoop
		}
		return nil
	})
}

func (f *Fake) SetSysctl(key, value string) error {
	return f.write(sysctlOp(key, value), func() error {
		if _, ok := f.sysctls[key]; !ok {
			return fs.ErrNotExist
		}
		f.sysctls[key] = value
		return nil
	})
}

// Helpers below run with f.mu held.

func (f *Fake) linkList() []Link {
	out := make([]Link, 0, len(f.links))
	for _, l := range f.links {
		out = append(out, *l)
	}
	return out
}

func (f *Fake) link(name string) (*Link, error) {
	l, ok := f.links[name]
	if !ok {
		return nil, syscall.ENODEV
	}
	return l, nil
}

func (f *Fake) vti(name string) (*Link, error) {
	l, err := f.link(name)
	if err != nil {
		return nil, err
	}
	if l.Kind != KindVTI {
		return nil, fmt.Errorf("a %s device, not a vti: %w", l.Kind, ErrClash)
	}
	return l, nil
}

// newSysctls gives a new device the per-device keys, copied from
// conf/default as the kernel does.
func (f *Fake) newSysctls(name string) {
	for _, sc := range vtiSysctls {
		v, ok := f.sysctls[DevSysctl("default", sc.leaf)]
		if !ok {
			v = "0"
		}
		f.sysctls[DevSysctl(name, sc.leaf)] = v
	}
}

func (f *Fake) dropRoutesVia(name string) {
	f.routes = slices.DeleteFunc(f.routes, func(r Route) bool { return r.Dev == name })
}

// nexthop returns the device that reaches r's gateway: an up device with
// an address on the gateway's subnet (r.Dev itself, when given).
func (f *Fake) nexthop(r Route) (string, error) {
	if !r.Gateway.IsValid() {
		l, err := f.link(r.Dev)
		if err != nil {
			return "", err
		}
		if !l.Up {
			return "", syscall.ENETDOWN
		}
		return l.Name, nil
	}
	for _, l := range f.linkList() {
		if !l.Up || r.Dev != "" && l.Name != r.Dev {
			continue
		}
		for _, a := range l.Addrs {
			if a.Masked().Contains(r.Gateway) {
				return l.Name, nil
			}
		}
	}
	return "", syscall.ENETUNREACH
}
