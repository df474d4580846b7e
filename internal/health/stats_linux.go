package health

import (
	"fmt"

	"github.com/vishvananda/netlink"
)

// NetlinkStats reads a device's counters in the caller's network namespace.
func NetlinkStats(dev string) (DeviceStats, error) {
	l, err := netlink.LinkByName(dev)
	if err != nil {
		return DeviceStats{}, fmt.Errorf("device %s: %w", dev, err)
	}
	s := l.Attrs().Statistics
	if s == nil {
		return DeviceStats{}, fmt.Errorf("device %s: no statistics", dev)
	}
	return DeviceStats{RxBytes: s.RxBytes, TxBytes: s.TxBytes, RxPackets: s.RxPackets, TxPackets: s.TxPackets,
		RxErrors: s.RxErrors, TxErrors: s.TxErrors}, nil
}
