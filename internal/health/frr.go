package health

import (
	"encoding/json"
	"fmt"
	"time"
)

// ParseBGPNeighbors reads FRR's `show bgp neighbors json`: an object keyed
// by neighbor address. A neighbor that bgpd registered with bfdd carries
// peerBfdInfo, whose status is the BFD session's state.
func ParseBGPNeighbors(b []byte) (map[string]BGP, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("parse FRR neighbors: %w", err)
	}
	out := map[string]BGP{}
	for addr, v := range raw {
		var n struct {
			BGPState string `json:"bgpState"`
			UpMsec   int64  `json:"bgpTimerUpMsec"`
			AFI      map[string]struct {
				Accepted int `json:"acceptedPrefixCounter"`
			} `json:"addressFamilyInfo"`
			BFD *struct {
				Status string `json:"status"`
			} `json:"peerBfdInfo"`
		}
		if err := json.Unmarshal(v, &n); err != nil || n.BGPState == "" {
			continue // not a neighbor entry
		}
		got := BGP{Neighbor: addr, State: n.BGPState}
		if n.BFD != nil {
			got.BFD = n.BFD.Status
		}
		if n.BGPState == "Established" {
			got.Uptime = time.Duration(n.UpMsec) * time.Millisecond
		}
		for _, af := range n.AFI {
			got.PrefixesReceived += af.Accepted
		}
		out[addr] = got
	}
	return out, nil
}
