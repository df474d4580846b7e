package netdev

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// VTI is one wanted VTI device.
type VTI struct {
	Name string
	// Local and Remote are the outer (underlay) IPv4 addresses of the
	// tunnel. Local must be set: the kernel treats a VTI without a local
	// address as a vti6 device.
	Local, Remote netip.Addr
	// Key is used as both ikey and okey. It is the XFRM mark that ties the
	// tunnel's IPsec SAs and policies to this device.
	Key uint32
	// MTU of the device; 0 leaves the kernel's choice alone.
	MTU int
	// Address is the inside address with its prefix (usually a /30 or /31).
	// It is the only IPv4 address the device keeps.
	Address netip.Prefix
	// Up is false for a disabled tunnel: the device is kept but set down,
	// so re-enabling it does not renumber anything.
	Up bool
}

// Route is an IPv4 route in the main table.
type Route struct {
	Dst     netip.Prefix
	Gateway netip.Addr
	// Dev is the output device. Leave it empty in a desired route to let
	// the kernel pick the device that reaches Gateway; routes read from
	// the kernel carry it.
	Dev string
}

// Desired is the device state vtic wants on one router.
type Desired struct {
	VTIs []VTI
	// Routes pin each peer's outer address (a /32) to the underlay gateway.
	Routes []Route
	// Owned names the devices vtic created on an earlier apply (from its
	// state file). Only these may be deleted.
	Owned []string
	// OwnedRoutes are the routes vtic installed on an earlier apply. One
	// that is no longer wanted is deleted, but only while the kernel still
	// has it with the same gateway.
	OwnedRoutes []Route
}

// maxNameLen is IFNAMSIZ minus the terminating NUL.
const maxNameLen = 15

// fallbackVTI is the device the ip_vti module creates in every namespace.
// The kernel refuses to change or delete it.
const fallbackVTI = "ip_vti0"

// Validate reports every problem with d, joined. Plan and Converge call it.
func (d Desired) Validate() error {
	var errs []error
	names := map[string]bool{}
	pairs := map[[2]netip.Addr]string{}
	for _, v := range d.VTIs {
		if err := validName(v.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		if names[v.Name] {
			errs = append(errs, fmt.Errorf("vti %s: declared twice", v.Name))
			continue
		}
		names[v.Name] = true
		if err := validOuter(v.Local); err != nil {
			errs = append(errs, fmt.Errorf("vti %s: local %w", v.Name, err))
		}
		if err := validOuter(v.Remote); err != nil {
			errs = append(errs, fmt.Errorf("vti %s: remote %w", v.Name, err))
		}
		// The kernel keys VTIs by (local, remote) alone: a second device
		// with the same pair is refused with EEXIST whatever its key.
		pair := [2]netip.Addr{v.Local, v.Remote}
		if other, ok := pairs[pair]; ok {
			errs = append(errs, fmt.Errorf("vti %s: local %s remote %s already used by vti %s (the kernel allows one vti per address pair)", v.Name, v.Local, v.Remote, other))
		} else {
			pairs[pair] = v.Name
		}
		if v.Key == 0 {
			errs = append(errs, fmt.Errorf("vti %s: key must not be 0: it is the XFRM mark binding the SAs to the device", v.Name))
		}
		if v.MTU != 0 && (v.MTU < 68 || v.MTU > 65535) {
			errs = append(errs, fmt.Errorf("vti %s: mtu %d out of range 68-65535", v.Name, v.MTU))
		}
		if !v.Address.IsValid() || !v.Address.Addr().Is4() {
			errs = append(errs, fmt.Errorf("vti %s: address %q is not an IPv4 prefix", v.Name, v.Address))
		}
	}
	dsts := map[netip.Prefix]bool{}
	for _, r := range d.Routes {
		if err := validRoute(r); err != nil {
			errs = append(errs, err)
			continue
		}
		if dsts[r.Dst] {
			errs = append(errs, fmt.Errorf("route %s: declared twice", r.Dst))
		}
		dsts[r.Dst] = true
	}
	for _, r := range d.OwnedRoutes {
		if err := validRoute(r); err != nil {
			errs = append(errs, fmt.Errorf("owned %w", err))
		}
	}
	for _, name := range d.Owned {
		if err := validName(name); err != nil {
			errs = append(errs, fmt.Errorf("owned %w", err))
		}
	}
	return errors.Join(errs...)
}

func validName(name string) error {
	switch {
	case name == "":
		return errors.New("vti: empty device name")
	case len(name) > maxNameLen:
		return fmt.Errorf("vti %s: name longer than %d bytes", name, maxNameLen)
	case name == "." || name == ".." || strings.ContainsAny(name, "/: \t\n"):
		return fmt.Errorf("vti %q: not a valid device name", name)
	case name == fallbackVTI:
		return fmt.Errorf("vti %s: name is reserved for the kernel's fallback device", name)
	}
	return nil
}

func validOuter(a netip.Addr) error {
	switch {
	case !a.IsValid():
		return errors.New("address is missing")
	case !a.Is4():
		return fmt.Errorf("address %s is not IPv4", a)
	case a.IsUnspecified():
		return fmt.Errorf("address %s is unspecified", a)
	}
	return nil
}

func validRoute(r Route) error {
	if !r.Dst.IsValid() || !r.Dst.Addr().Is4() {
		return fmt.Errorf("route %q: destination is not an IPv4 prefix", r.Dst)
	}
	if r.Dst != r.Dst.Masked() {
		return fmt.Errorf("route %s: destination has host bits set (want %s)", r.Dst, r.Dst.Masked())
	}
	if !r.Gateway.IsValid() || !r.Gateway.Is4() || r.Gateway.IsUnspecified() {
		return fmt.Errorf("route %s: gateway %q is not an IPv4 address", r.Dst, r.Gateway)
	}
	return nil
}
