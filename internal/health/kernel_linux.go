package health

import "github.com/vtic/vtic/apply/netdev"

// openKernel opens netlink in this process's network namespace.
func openKernel() (netdev.Kernel, func(), error) {
	k, err := netdev.NewNetlink()
	if err != nil {
		return nil, nil, err
	}
	return k, k.Close, nil
}
