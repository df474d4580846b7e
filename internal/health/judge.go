package health

import "fmt"

// Verdict is the state of one tunnel.
type Verdict int

const (
	Healthy  Verdict = iota // SAs up, device up, BGP established (if any)
	Degraded                // carries traffic, but something is off (BGP down, MTU drift)
	Down                    // cannot carry traffic
	Disabled                // disabled in the site: not judged
)

func (v Verdict) String() string {
	return [...]string{"healthy", "degraded", "down", "disabled"}[v]
}

// Judge decides a tunnel's verdict and gives the reasons, most important
// first.
func Judge(o Observation) (Verdict, []string) {
	if !o.Enabled {
		return Disabled, nil
	}
	var down, degraded []string
	switch {
	case !o.Device.Exists:
		down = append(down, fmt.Sprintf("device %s is missing", o.Interface))
	case !o.Device.IsVTI:
		down = append(down, fmt.Sprintf("device %s is not a VTI", o.Interface))
	case !o.Device.Up:
		down = append(down, fmt.Sprintf("device %s is down", o.Interface))
	}
	if o.Device.Exists && o.WantMTU != 0 && o.Device.MTU != o.WantMTU {
		degraded = append(degraded, fmt.Sprintf("device %s has MTU %d, the site says %d", o.Interface, o.Device.MTU, o.WantMTU))
	}
	switch {
	case !o.CharonUp:
		down = append(down, "charon does not answer on its VICI socket")
	case o.IKE.State != "ESTABLISHED":
		down = append(down, "no established IKE SA"+state(o.IKE.State))
	case o.Child.State != "INSTALLED" && o.Child.State != "REKEYING" && o.Child.State != "REKEYED":
		down = append(down, "no installed CHILD SA"+state(o.Child.State))
	}
	if o.BGP != nil && o.BGP.State != "Established" {
		degraded = append(degraded, fmt.Sprintf("BGP neighbor %s is %s", o.BGP.Neighbor, orUnknown(o.BGP.State)))
	}
	if o.BGP != nil && o.BGP.WantBFD && o.BGP.BFD != "Up" {
		degraded = append(degraded, fmt.Sprintf("BFD session to %s is %s", o.BGP.Neighbor, orUnknown(o.BGP.BFD)))
	}
	if len(down) > 0 {
		return Down, append(down, degraded...)
	}
	if len(degraded) > 0 {
		return Degraded, degraded
	}
	return Healthy, nil
}

func state(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown (FRR did not answer)"
	}
	return s
}
