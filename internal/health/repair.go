package health

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
// own once the path works, and MTU drift is apply's business. The
// responder end of a tunnel between routers is never initiated: the other
// router does that (a stale IKE SA terminated here makes it initiate
// again), and both ends initiating at once would build duplicate SAs.
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
		if !o.Responder {
			acts = append(acts, Initiate)
		}
	}
	return acts
}
