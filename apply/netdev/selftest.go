package netdev

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// SelfTestDevice is the device SelfTest creates and deletes.
const SelfTestDevice = "vtic-selftest"

// SelfTest proves on a live kernel (the lab VM) what the unit tests can
// only prove on the Fake: that k creates a real IPv4 VTI with the asked
// local, remote, keys and MTU, that a second convergence writes nothing,
// and that modifying the tunnel in place, disabling it and removing it do
// exactly one write each. It uses a throwaway device on benchmarking
// addresses (198.18.0.0/15), does not write global sysctls, and deletes
// the device whatever happens. It refuses to run if the device exists.
func SelfTest(k Kernel) (err error) {
	links, err := k.Links()
	if err != nil {
		return fmt.Errorf("self-test: %w", err)
	}
	if slices.ContainsFunc(links, func(l Link) bool { return l.Name == SelfTestDevice }) {
		return fmt.Errorf("self-test: device %s already exists; delete it first", SelfTestDevice)
	}
	defer func() {
		if derr := k.DeleteLink(SelfTestDevice); derr != nil {
			err = errors.Join(err, fmt.Errorf("self-test cleanup: %w", derr))
		}
	}()

	v := VTI{
		Name:    SelfTestDevice,
		Local:   netip.MustParseAddr("198.18.255.1"),
		Remote:  netip.MustParseAddr("198.18.255.2"),
		Key:     0x7e57,
		MTU:     1400,
		Address: netip.MustParsePrefix("198.18.254.1/30"),
		Up:      true,
	}
	steps := []struct {
		what string
		vtis []VTI
		want []string // op lines
	}{
		{"create", []VTI{v}, []string{
			"create vtic-selftest local 198.18.255.1 remote 198.18.255.2 key 32343 mtu 1400",
			"addr replace vtic-selftest 198.18.254.1/30",
			"sysctl net.ipv4.conf.vtic-selftest.disable_policy=1",
			"sysctl net.ipv4.conf.vtic-selftest.rp_filter=2",
			"set vtic-selftest up",
		}},
		{"converge again", []VTI{v}, nil},
		{"modify in place", []VTI{with(v, func(v *VTI) { v.Remote = netip.MustParseAddr("198.18.255.3"); v.Key++ })}, []string{
			"modify vtic-selftest local 198.18.255.1 remote 198.18.255.3 key 32344",
		}},
		{"disable", []VTI{with(v, func(v *VTI) { v.Remote = netip.MustParseAddr("198.18.255.3"); v.Key++; v.Up = false })}, []string{
			"set vtic-selftest down",
		}},
		{"remove", nil, []string{"delete vtic-selftest"}},
	}
	for _, s := range steps {
		d := Desired{VTIs: s.vtis, Owned: []string{SelfTestDevice}}
		got, err := convergeDevices(k, d)
		if err != nil {
			return fmt.Errorf("self-test %s: %w", s.what, err)
		}
		if lines := opLines(got); !slices.Equal(lines, s.want) {
			return fmt.Errorf("self-test %s: wrote\n\t%s\nwant\n\t%s", s.what, strings.Join(lines, "\n\t"), strings.Join(s.want, "\n\t"))
		}
		if err := verify(k, s.vtis); err != nil {
			return fmt.Errorf("self-test %s: %w", s.what, err)
		}
	}
	return nil
}

// convergeDevices is Converge without the global sysctls.
func convergeDevices(k Kernel, d Desired) ([]Op, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var names []string
	for _, v := range d.VTIs {
		names = append(names, v.Name)
	}
	cur, err := readState(k, names, nil)
	if err != nil {
		return nil, err
	}
	t := targetOf(d)
	t.sysctls = nil
	ops, err := t.plan(cur)
	if err != nil {
		return nil, err
	}
	return Apply(k, ops)
}

// verify reads the kernel back and compares each VTI with what was asked.
func verify(k Kernel, vtis []VTI) error {
	links, err := k.Links()
	if err != nil {
		return err
	}
	var errs []error
	for _, v := range vtis {
		i := slices.IndexFunc(links, func(l Link) bool { return l.Name == v.Name })
		if i < 0 {
			errs = append(errs, fmt.Errorf("vti %s: missing after convergence", v.Name))
			continue
		}
		l := links[i]
		if !l.matches(v) || l.MTU != v.MTU || l.Up != v.Up || !slices.Equal(l.Addrs, []netip.Prefix{v.Address}) {
			errs = append(errs, fmt.Errorf("vti %s: kernel has %s local %s remote %s ikey %d okey %d mtu %d up %t addrs %v",
				v.Name, l.Kind, l.Local, l.Remote, l.IKey, l.OKey, l.MTU, l.Up, l.Addrs))
		}
		for _, sc := range vtiSysctls {
			key := DevSysctl(v.Name, sc.leaf)
			if got, err := k.Sysctl(key); err != nil || got != sc.value {
				errs = append(errs, fmt.Errorf("vti %s: sysctl %s is %q (%v), want %q", v.Name, sysctlName(key), got, err, sc.value))
			}
		}
	}
	if len(vtis) == 0 && slices.ContainsFunc(links, func(l Link) bool { return l.Name == SelfTestDevice }) {
		errs = append(errs, fmt.Errorf("vti %s: still present after removal", SelfTestDevice))
	}
	return errors.Join(errs...)
}

func with(v VTI, edit func(*VTI)) VTI {
	edit(&v)
	return v
}

func opLines(ops []Op) []string {
	var lines []string
	for _, o := range ops {
		lines = append(lines, o.String())
	}
	return lines
}
