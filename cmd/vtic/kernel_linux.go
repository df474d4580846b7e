package main

import "github.com/vtic/vtic/apply/netdev"

// newKernel opens netlink in this process's network namespace.
func newKernel() (netdev.Kernel, func(), error) {
	k, err := netdev.NewNetlink()
	if err != nil {
		return nil, nil, err
	}
	return k, k.Close, nil
}
