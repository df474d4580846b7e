package health

import (
	"time"
)

// Action is one repair step. They run in the order of the constants: a
// stopped charon must be running before its SAs can be initiated, and a
// device must exist before traffic can flow through an SA.
type Action int

const (
	RestartCharon  Action = iota // charon does not answer: restart it and reload vtic's configuration
	ConvergeDevice               // VTI missing, down or drifted: converge it to the site
	TerminateIKE                 // a stale IKE SA without a working CHILD SA
	Initiate                     // initiate the tunnel's CHILD SA (and IKE SA)
)

func (a Action) String() string {
	return [...]string{"restart charon", "converge device", "terminate stale IKE SA", "initiate"}[a]
}

// Repairs lists what to do for a tunnel. A healthy or merely degraded
// tunnel gets nothing that could interrupt its traffic: BGP recovers on its
// own once the path works, and MTU drift is apply's business.
func Repairs(o Observation, v Verdict) []Action {
	if v != Down {
		return nil
	}
	var acts []Action
	if !o.CharonUp {
		acts = append(acts, RestartCharon)
	}
	if !o.Device.Exists || !o.Device.Up || !o.Device.IsVTI {
		acts = append(acts, ConvergeDevice)
	}
	saDown := !o.CharonUp || o.IKE.State != "ESTABLISHED" ||
		(o.Child.State != "INSTALLED" && o.Child.State != "REKEYING" && o.Child.State != "REKEYED")
	if saDown {
		if o.CharonUp && o.IKE.State != "" {
			acts = append(acts, TerminateIKE)
		}
		acts = append(acts, Initiate)
	}
	return acts
}

// Backoff spaces out repairs of a tunnel that keeps failing: 1, 2, 4 … up
// to 30 minutes between attempts, reset once the tunnel is healthy.
type Backoff struct {
	Attempts int       `json:"attempts"`
	Next     time.Time `json:"next"`
}

const maxBackoff = 30 * time.Minute

// Due reports whether a repair may run now.
func (b Backoff) Due(now time.Time) bool { return b.Next.IsZero() || !now.Before(b.Next) }

// Failed records an attempt that did not make the tunnel healthy.
func (b Backoff) Failed(now time.Time) Backoff {
	d := time.Minute << min(b.Attempts, 5)
	if d > maxBackoff {
		d = maxBackoff
	}
	return Backoff{Attempts: b.Attempts + 1, Next: now.Add(d)}
}
