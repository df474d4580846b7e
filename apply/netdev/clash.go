package netdev

import (
	"errors"
	"fmt"
	"syscall"
)

// ErrClash is wrapped by every error about a device vtic wants to manage
// that is already taken by something vtic does not own.
var ErrClash = errors.New("device exists and is not vtic's")

// checkExisting decides what creating v means when a device named v.Name
// already exists as l: nothing to do if it is the same VTI, a clash
// otherwise. Netlink, Fake and Plan share it so they refuse the same things.
// The caller names the device.
func checkExisting(v VTI, l Link) error {
	if l.Kind != KindVTI {
		return fmt.Errorf("a %s device with that name exists: %w", l.Kind, ErrClash)
	}
	if !l.matches(v) {
		return fmt.Errorf("a vti with that name exists with local %s remote %s ikey %d okey %d: %w",
			l.Local, l.Remote, l.IKey, l.OKey, ErrClash)
	}
	return nil
}

// pairHolder returns the VTI other than v.Name that already uses v's
// (local, remote) pair. The kernel hashes VTIs by that pair alone and
// refuses a second one with EEXIST, whatever the keys.
func pairHolder(links []Link, v VTI) string {
	for _, l := range links {
		if l.Kind == KindVTI && l.Name != v.Name && l.Local == v.Local && l.Remote == v.Remote {
			return l.Name
		}
	}
	return ""
}

func pairClash(holder string, v VTI) error {
	return fmt.Errorf("vti %s already uses local %s remote %s, and the kernel allows one vti per address pair: %w",
		holder, v.Local, v.Remote, syscall.EEXIST)
}
