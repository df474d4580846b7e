package netdev

import (
	"errors"
	"maps"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// kernelState is everything the Fake holds, for before/after comparisons.
type kernelState struct {
	Links   []Link
	Routes  []Route
	Sysctls map[string]string
}

func fakeState(f *Fake) kernelState {
	links, _ := f.Links()
	routes, _ := f.Routes()
	f.mu.Lock()
	defer f.mu.Unlock()
	return kernelState{links, routes, maps.Clone(f.sysctls)}
}

func TestRestoreAfterFailure(t *testing.T) {
	tests := []struct {
		name    string
		next    Desired // the apply that fails; Owned is filled in
		failOn  string
		wantErr string
		// restore is what Restore writes to undo the partial apply.
		restore []string
	}{
		{
			name: "change and create, then bringing the new tunnel up fails",
			next: Desired{
				VTIs: []VTI{
					edit(vti1, func(v *VTI) {
						v.Key, v.MTU = 21, 1380
						v.Address = netip.MustParsePrefix("169.254.20.1/30")
					}),
					vti2,
				},
				Routes:      []Route{{Dst: route1.Dst, Gateway: netip.MustParseAddr("192.0.2.254")}, route2},
				OwnedRoutes: []Route{route1},
			},
			failOn:  "set vti2 up",
			wantErr: "set vti2 up: injected",
			restore: []string{
				"modify vti1 local 192.0.2.10 remote 198.51.100.2 key 12",
				"set vti1 mtu 1400",
				"addr replace vti1 169.254.10.1/30",
				"addr del vti1 169.254.20.1/30",
				"route replace 198.51.100.2/32 via 192.0.2.1 dev eth0",
				"route del 203.0.113.2/32 via 192.0.2.1",
				"delete vti2",
			},
		},
		{
			name: "remove one tunnel, creating its replacement fails",
			next: Desired{
				VTIs:        []VTI{vti2},
				OwnedRoutes: []Route{route1},
			},
			failOn:  "create vti2",
			wantErr: "create vti2 local 192.0.2.10 remote 203.0.113.2 key 13 mtu 1400: injected",
			restore: []string{
				"create vti1 local 192.0.2.10 remote 198.51.100.2 key 12 mtu 1400",
				"addr replace vti1 169.254.10.1/30",
				"sysctl net.ipv4.conf.vti1.disable_policy=1",
				"sysctl net.ipv4.conf.vti1.rp_filter=2",
				"set vti1 up",
				"route replace 198.51.100.2/32 via 192.0.2.1 dev eth0",
			},
		},
		{
			name: "the very first apply fails: restore removes everything it did",
			next: Desired{VTIs: []VTI{vti1, vti2}, Routes: []Route{route1}},
			// Owned stays empty below: the first apply owns nothing.
			failOn:  "route replace 198.51.100.2/32",
			wantErr: "route replace 198.51.100.2/32 via 192.0.2.1: injected",
			restore: []string{"delete vti1", "delete vti2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTestFake()
			earlier := tt.next.OwnedRoutes != nil
			if earlier {
				// An earlier apply left vti1 and route1 behind.
				if _, err := Converge(f, Desired{VTIs: []VTI{vti1}, Routes: []Route{route1}}); err != nil {
					t.Fatal(err)
				}
				tt.next.Owned = []string{"vti1"}
			} else {
				// Forwarding was already on; only devices change.
				f.PutSysctl(SysctlForward, "1")
			}
			before := fakeState(f)

			snap, err := Capture(f, tt.next)
			if err != nil {
				t.Fatal(err)
			}
			f.FailOn(tt.failOn, errors.New("injected"))
			f.ResetTranscript()
			if _, err := Converge(f, tt.next); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("converge: error %v, want one containing %q", err, tt.wantErr)
			}
			if len(f.Transcript()) == 0 {
				t.Fatal("the failed apply changed nothing, so restore proves nothing")
			}
			f.ClearFailures()

			f.ResetTranscript()
			ops, err := Restore(f, snap)
			if err != nil {
				t.Fatalf("restore: %v", err)
			}
			if diff := cmp.Diff(tt.restore, f.Transcript()); diff != "" {
				t.Errorf("restore transcript (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.restore, opLines(ops)); diff != "" {
				t.Errorf("restore ops (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, fakeState(f), cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
				cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
				t.Errorf("state after restore (-before +after):\n%s", diff)
			}

			f.ResetTranscript()
			if _, err := Restore(f, snap); err != nil {
				t.Fatal(err)
			}
			if got := f.Transcript(); len(got) != 0 {
				t.Errorf("second restore wrote %q", got)
			}
		})
	}
}

func TestRestoreForwarding(t *testing.T) {
	f := newTestFake()
	d := Desired{VTIs: []VTI{vti1}}
	snap, err := Capture(f, d)
	if err != nil {
		t.Fatal(err)
	}
	if got := snap.Sysctls[SysctlForward]; got != "0" {
		t.Fatalf("captured ip_forward %q, want 0", got)
	}
	if _, err := Converge(f, d); err != nil {
		t.Fatal(err)
	}
	f.ResetTranscript()
	if _, err := Restore(f, snap); err != nil {
		t.Fatal(err)
	}
	want := []string{"sysctl net.ipv4.ip_forward=0", "delete vti1"}
	if diff := cmp.Diff(want, f.Transcript()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Restore never touches a device that was not a VTI, even if it is named.
func TestRestoreLeavesForeignDevices(t *testing.T) {
	f := newTestFake()
	snap, err := Capture(f, Desired{Owned: []string{"eth0"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Links) != 1 || snap.Links[0].Name != "eth0" {
		t.Fatalf("snapshot links %+v, want eth0", snap.Links)
	}
	f.PutLink(Link{Name: "eth0", Kind: "veth", MTU: 9000})
	if _, err := Restore(f, snap); err != nil {
		t.Fatal(err)
	}
	if got := f.Transcript(); len(got) != 0 {
		t.Errorf("restore wrote %q", got)
	}
}
