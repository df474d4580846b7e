//go:build !linux

package health

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/vtic/vtic/apply/netdev"
)

// errNotLinux: VTI devices and their counters are Linux's. vtic status and
// check refuse to start elsewhere; this only keeps the package building.
var errNotLinux = fmt.Errorf("reading VTI devices needs Linux (this is %s): %w", runtime.GOOS, errors.ErrUnsupported)

func openKernel() (netdev.Kernel, func(), error) { return nil, nil, errNotLinux }

// NetlinkStats reads a device's counters; only on Linux.
func NetlinkStats(dev string) (DeviceStats, error) { return DeviceStats{}, errNotLinux }
