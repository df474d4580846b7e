package health

import (
	"encoding/json"
	"time"
)

// Observation is everything known about one tunnel at one moment. Its JSON
// form is part of `vtic status --json` and `vtic check --json`.
type Observation struct {
	Tunnel    string `json:"tunnel"`
	Interface string `json:"interface"`
	Enabled   bool   `json:"enabled"`
	// Responder: this end waits for the router at the other end to
	// initiate, so a repair never initiates it.
	Responder bool `json:"responder,omitempty"`

	// CharonUp is false when charon's VICI socket does not answer; the SA
	// fields are then unknown.
	CharonUp bool `json:"charon_up"`
	IKE      SA   `json:"ike_sa"`   // the most useful IKE SA of the tunnel's connection
	Child    SA   `json:"child_sa"` // the most useful CHILD SA of the tunnel, counters summed over all of them

	Device Device `json:"device"`
	// WantMTU is the site's MTU, to report drift.
	WantMTU int `json:"site_mtu"`

	// BGP is nil when the tunnel carries no BGP session.
	BGP *BGP `json:"bgp,omitempty"`
}

// SA is an IKE or CHILD SA as charon lists it. The byte and packet
// counters are the CHILD SA's; an IKE SA has none.
type SA struct {
	State      string        `json:"state"` // "" when there is none; else ESTABLISHED, INSTALLED, CONNECTING, REKEYING…
	Age        time.Duration `json:"-"`
	BytesIn    uint64        `json:"bytes_in"`
	BytesOut   uint64        `json:"bytes_out"`
	PacketsIn  uint64        `json:"packets_in"`
	PacketsOut uint64        `json:"packets_out"`
	// Count is how many SAs of this kind charon holds for the tunnel;
	// more than one is a rekey in progress or both ends having initiated.
	Count int `json:"count"`
}

// MarshalJSON gives the age in whole seconds, as charon counts it.
func (s SA) MarshalJSON() ([]byte, error) {
	type plain SA
	return json.Marshal(struct {
		plain
		AgeSeconds int64 `json:"age_seconds"`
	}{plain(s), int64(s.Age / time.Second)})
}

// Device is the VTI as netlink sees it.
type Device struct {
	Exists    bool   `json:"exists"`
	Up        bool   `json:"up"`
	MTU       int    `json:"mtu"`
	RxBytes   uint64 `json:"rx_bytes"`
	TxBytes   uint64 `json:"tx_bytes"`
	RxPackets uint64 `json:"rx_packets"`
	TxPackets uint64 `json:"tx_packets"`
	RxErrors  uint64 `json:"rx_errors"`
	TxErrors  uint64 `json:"tx_errors"`
	IsVTI     bool   `json:"is_vti"`
	Key       uint32 `json:"key"`
	// Drift lists how the device differs from what the site declares.
	Drift []string `json:"drift,omitempty"`
}

// BGP is the tunnel's neighbor as FRR reports it.
type BGP struct {
	Neighbor         string `json:"neighbor"`
	State            string `json:"state"` // Established, Active, Connect, Idle, … or "" when FRR does not answer
	PrefixesReceived int    `json:"prefixes_received"`
	// BFD is the state of the BFD session bgpd registered for the
	// neighbor, as FRR reports it (Up, Down, Init, AdminDown), or ""
	// when the plan runs no BFD on the tunnel.
	BFD     string        `json:"bfd,omitempty"`
	WantBFD bool          `json:"-"`
	Uptime  time.Duration `json:"-"`
}

// MarshalJSON gives the uptime in whole seconds.
func (b BGP) MarshalJSON() ([]byte, error) {
	type plain BGP
	return json.Marshal(struct {
		plain
		UptimeSeconds int64 `json:"uptime_seconds"`
	}{plain(b), int64(b.Uptime / time.Second)})
}
