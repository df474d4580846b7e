//go:build !linux

package apply

import (
	"errors"

	"github.com/vtic/vtic/apply/netdev"
)

func newKernel() (netdev.Kernel, func(), error) {
	return nil, nil, errors.New("vtic apply manages Linux network devices and runs on Linux only")
}
