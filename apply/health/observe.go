package health

import "time"

// Observation is everything known about one tunnel at one moment.
type Observation struct {
	Tunnel    string
	Interface string
	Enabled   bool

	// CharonUp is false when charon's VICI socket does not answer; the SA
	// fields are then unknown.
	CharonUp bool
	IKE      SA // the newest IKE SA of the tunnel's connection
	Child    SA // the newest CHILD SA of the tunnel's child

	Device Device
	// WantMTU is the site's MTU, to report drift.
	WantMTU int

	// BGP is nil when the tunnel carries no BGP session.
	BGP *BGP
}

// SA is an IKE or CHILD SA as charon lists it.
type SA struct {
	State      string // "" when there is none; else ESTABLISHED, INSTALLED, CONNECTING, REKEYING…
	Age        time.Duration
	BytesIn    uint64
	BytesOut   uint64
	PacketsIn  uint64
	PacketsOut uint64
}

// Device is the VTI as netlink sees it.
type Device struct {
	Exists    bool
	Up        bool
	MTU       int
	RxBytes   uint64
	TxBytes   uint64
	RxPackets uint64
	TxPackets uint64
	RxErrors  uint64
	TxErrors  uint64
	IsVTI     bool
	Key       uint32
	// Drift lists how the device differs from what the site declares.
	Drift []string
}

// BGP is the tunnel's neighbor as FRR reports it.
type BGP struct {
	Neighbor         string
	State            string // Established, Active, Connect, Idle, … or "" when FRR does not answer
	PrefixesReceived int
	Uptime           time.Duration
}
