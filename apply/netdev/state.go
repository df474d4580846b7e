package netdev

import (
	"errors"
	"fmt"
	"io/fs"
)

// State is what the kernel holds now, as far as planning needs to know.
type State struct {
	Links  []Link
	Routes []Route
	// Sysctls holds the keys that were asked for and exist. A missing key
	// is planned as "unknown": it gets written.
	Sysctls map[string]string
}

func (s State) link(name string) (Link, bool) {
	for _, l := range s.Links {
		if l.Name == name {
			return l, true
		}
	}
	return Link{}, false
}

// Read observes the state Plan needs for d: all links and routes, the
// forwarding switch, and the sysctls of the wanted VTIs that exist.
func Read(k Kernel, d Desired) (State, error) {
	var devs []string
	for _, v := range d.VTIs {
		devs = append(devs, v.Name)
	}
	return readState(k, devs, []string{SysctlForward})
}

// readState reads links and routes, then the global keys and, for each of
// devs that exists, its VTI sysctls.
func readState(k Kernel, devs, global []string) (State, error) {
	links, err := k.Links()
	if err != nil {
		return State{}, err
	}
	routes, err := k.Routes()
	if err != nil {
		return State{}, err
	}
	s := State{Links: links, Routes: routes, Sysctls: map[string]string{}}
	keys := append([]string(nil), global...)
	for _, dev := range devs {
		if _, ok := s.link(dev); ok {
			for _, sc := range vtiSysctls {
				keys = append(keys, DevSysctl(dev, sc.leaf))
			}
		}
	}
	var errs []error
	for _, key := range keys {
		v, err := k.Sysctl(key)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// The device went away between the link dump and now,
			// or the kernel lacks the knob: plan it as unknown.
		case err != nil:
			errs = append(errs, err)
		default:
			s.Sysctls[key] = v
		}
	}
	if err := errors.Join(errs...); err != nil {
		return State{}, fmt.Errorf("read sysctls: %w", err)
	}
	return s, nil
}
