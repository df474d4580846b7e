package apply

import "github.com/vtic/vtic/apply/netdev"

func newKernel() (netdev.Kernel, func(), error) {
	k, err := netdev.NewNetlink()
	if err != nil {
		return nil, nil, err
	}
	return k, k.Close, nil
}
