package health

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func healthy() Observation {
	return Observation{
		Tunnel: "t1", Interface: "vti1", Enabled: true, CharonUp: true,
		IKE:     SA{State: "ESTABLISHED", Age: time.Hour},
		Child:   SA{State: "INSTALLED", Age: time.Minute},
		Device:  Device{Exists: true, Up: true, MTU: 1436, IsVTI: true, Key: 12},
		WantMTU: 1436,
		BGP:     &BGP{Neighbor: "169.254.13.21", State: "Established"},
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Observation)
		verdict Verdict
		reasons []string
		repairs []Action
	}{
		{"healthy", func(o *Observation) {}, Healthy, nil, nil},
		{"only keepalives is healthy", func(o *Observation) { o.Child.BytesIn, o.Child.BytesOut = 0, 0 }, Healthy, nil, nil},
		{"disabled is not judged", func(o *Observation) { o.Enabled = false; o.Device.Up = false }, Disabled, nil, nil},
		{"no BGP on a static tunnel", func(o *Observation) { o.BGP = nil }, Healthy, nil, nil},
		{"rekeying child counts as up", func(o *Observation) { o.Child.State = "REKEYING" }, Healthy, nil, nil},
		{"BGP down is degraded", func(o *Observation) { o.BGP.State = "Active" },
			Degraded, []string{"BGP neighbor 169.254.13.21 is Active"}, nil},
		{"FRR silent", func(o *Observation) { o.BGP.State = "" },
			Degraded, []string{"BGP neighbor 169.254.13.21 is unknown (FRR did not answer)"}, nil},
		{"BFD up is healthy", func(o *Observation) { o.BGP.WantBFD, o.BGP.BFD = true, "Up" }, Healthy, nil, nil},
		{"BFD down is degraded", func(o *Observation) { o.BGP.WantBFD, o.BGP.BFD = true, "Down" },
			Degraded, []string{"BFD session to 169.254.13.21 is Down"}, nil},
		{"BFD not registered", func(o *Observation) { o.BGP.WantBFD = true },
			Degraded, []string{"BFD session to 169.254.13.21 is unknown (FRR did not answer)"}, nil},
		{"MTU drift", func(o *Observation) { o.Device.MTU = 1500 },
			Degraded, []string{"device vti1 has MTU 1500, the site says 1436"}, nil},
		{"device deleted", func(o *Observation) { o.Device = Device{} },
			Down, []string{"device vti1 is missing"}, []Action{ConvergeDevice}},
		{"device down", func(o *Observation) { o.Device.Up = false },
			Down, []string{"device vti1 is down"}, []Action{ConvergeDevice}},
		{"foreign device", func(o *Observation) { o.Device.IsVTI = false },
			Down, []string{"device vti1 is not a VTI"}, []Action{ConvergeDevice}},
		{"child killed", func(o *Observation) { o.Child = SA{} },
			Down, []string{"no installed CHILD SA"}, []Action{TerminateIKE, Initiate}},
		{"IKE connecting", func(o *Observation) { o.IKE = SA{State: "CONNECTING"}; o.Child = SA{} },
			Down, []string{"no established IKE SA (CONNECTING)"}, []Action{TerminateIKE, Initiate}},
		{"no SA at all", func(o *Observation) { o.IKE, o.Child = SA{}, SA{}; o.BGP.State = "Connect" },
			Down, []string{"no established IKE SA", "BGP neighbor 169.254.13.21 is Connect"}, []Action{Initiate}},
		{"charon stopped", func(o *Observation) { o.CharonUp = false; o.IKE, o.Child = SA{}, SA{} },
			Down, []string{"charon does not answer on its VICI socket"}, []Action{RestartCharon, Initiate}},
		{"responder: stale IKE SA terminated, never initiated", func(o *Observation) { o.Responder = true; o.Child = SA{} },
			Down, []string{"no installed CHILD SA"}, []Action{TerminateIKE}},
		{"responder: no SA, nothing to do but wait", func(o *Observation) { o.Responder = true; o.IKE, o.Child = SA{}, SA{}; o.BGP = nil },
			Down, []string{"no established IKE SA"}, nil},
		{"responder: charon stopped", func(o *Observation) { o.Responder = true; o.CharonUp = false; o.IKE, o.Child = SA{}, SA{}; o.BGP = nil },
			Down, []string{"charon does not answer on its VICI socket"}, []Action{RestartCharon}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := healthy()
			tc.change(&o)
			v, reasons := Judge(o)
			if v != tc.verdict {
				t.Errorf("verdict %v, want %v (reasons %q)", v, tc.verdict, reasons)
			}
			if d := cmp.Diff(tc.reasons, reasons); d != "" {
				t.Errorf("reasons (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.repairs, Repairs(o, v)); d != "" {
				t.Errorf("repairs (-want +got):\n%s", d)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b Backoff
	if !b.Due(now) {
		t.Fatal("a first repair must be due at once")
	}
	var gaps []time.Duration
	for i := 0; i < 8; i++ {
		b = b.Failed(now)
		if b.Due(now) {
			t.Fatalf("attempt %d: due again immediately", i)
		}
		gaps = append(gaps, b.Next.Sub(now))
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i := range want {
		want[i] *= time.Minute
	}
	if d := cmp.Diff(want, gaps); d != "" {
		t.Errorf("backoff gaps (-want +got):\n%s", d)
	}
	if !b.Due(b.Next) {
		t.Error("not due at its own Next time")
	}
}
