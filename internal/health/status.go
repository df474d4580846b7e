package health

// TunnelStatus is one tunnel's observation with its verdict: a row of
// `vtic status` and `vtic check`, and its JSON form.
type TunnelStatus struct {
	Tunnel  string   `json:"tunnel"`
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons,omitempty"`
	// MatchesSite is false when the device is missing or differs from the
	// site (Device.Drift).
	MatchesSite bool        `json:"matches_site"`
	Observation Observation `json:"observation"`
}

// Statuses judges every observation.
func Statuses(obs []Observation) []TunnelStatus {
	out := make([]TunnelStatus, len(obs))
	for i, o := range obs {
		v, reasons := Judge(o)
		out[i] = TunnelStatus{Tunnel: o.Tunnel, Verdict: v.String(), Reasons: reasons,
			MatchesSite: o.Device.Exists && len(o.Device.Drift) == 0, Observation: o}
	}
	return out
}

// AnyDown reports whether some tunnel is down.
func AnyDown(rows []TunnelStatus) bool {
	for _, r := range rows {
		if r.Verdict == Down.String() {
			return true
		}
	}
	return false
}
