package compile_test

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/targettest"
)

// Every example router's plan reads back as the host it was written from,
// and writing it again gives the same bytes.
func TestPlanRoundTrip(t *testing.T) {
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			data := compile.EncodeHost(h)
			got, err := compile.DecodeHost(data)
			if err != nil {
				t.Fatalf("%s/%s: %v", ex.Name, h.Name, err)
			}
			if d := cmp.Diff(h, got, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})); d != "" {
				t.Errorf("%s/%s: decoded plan differs (-compiled +decoded):\n%s", ex.Name, h.Name, d)
			}
			if again := compile.EncodeHost(got); !bytes.Equal(again, data) {
				t.Errorf("%s/%s: encoding the decoded plan gives other bytes", ex.Name, h.Name)
			}
			for _, tn := range h.Tunnels {
				if tn.PSK.Resolved && !bytes.Contains(data, []byte(`"value": "`+hex.EncodeToString(tn.PSK.Value)+`"`)) {
					t.Errorf("%s/%s: the plan does not hold tunnel %s's key in hex", ex.Name, h.Name, tn.Name)
				}
			}
		}
	}
}

func TestDecodeHostRefuses(t *testing.T) {
	h := targettest.Examples(t)[0].Plan.Hosts[0]
	good := string(compile.EncodeHost(h))
	if len(h.Tunnels) < 2 {
		t.Fatalf("the first example's first router has %d tunnels; the test needs two", len(h.Tunnels))
	}
	first, second := `"name": "`+h.Tunnels[0].Name+`"`, `"name": "`+h.Tunnels[1].Name+`"`
	for _, tc := range []struct{ name, data, want string }{
		{"newer", strings.Replace(good, `"version": 1`, `"version": 2`, 1), "plan format version 2 is newer than this vtic understands"},
		{"older", strings.Replace(good, `"version": 1`, `"version": 0`, 1), "plan format version 0 is not one this vtic reads"},
		{"format", strings.Replace(good, `"vtic-plan"`, `"vtic-state"`, 1), `format "vtic-state"`},
		{"not json", "tunnels {", "plan: invalid character"},
		{"unknown field", strings.Replace(good, `"outside"`, `"colour": "red", "outside"`, 1), `unknown field "colour"`},
		{"unsorted", strings.NewReplacer(first, second, second, first).Replace(good), "not sorted by unique name"},
		{"bad name", strings.Replace(good, first, `"name": "a b"`, 1), `tunnel name "a b"`},
		{"bad key", strings.Replace(good, `"resolved": true`, `"resolved": false`, 1), "resolved exactly when it has a value"},
		{"no host", `{"format": "vtic-plan", "version": 1}`, "plan: no host"},
		{"ike daemon", strings.Replace(good, `"outside"`, `"ike": "openswan", "outside"`, 1), `IKE daemon "openswan"`},
		{"routing daemon", strings.Replace(good, `"outside"`, `"routing": "quagga", "outside"`, 1), `routing daemon "quagga"`},
		{"default written", strings.Replace(good, `"outside"`, `"ike": "strongswan", "outside"`, 1), `IKE daemon "strongswan"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compile.DecodeHost([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want one containing %q", err, tc.want)
			}
		})
	}
}

// A router's daemons are in its plan only when they are not the defaults,
// so the plan of a strongSwan and FRR router is what it was before the
// choice existed, and a libreswan and BIRD router's says so.
func TestPlanDaemons(t *testing.T) {
	n := 0
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			data := string(compile.EncodeHost(h))
			if got, want := strings.Contains(data, `"ike": "libreswan"`), h.UsesLibreswan(); got != want {
				t.Errorf("%s/%s: plan says ike libreswan: %v, host runs libreswan: %v", ex.Name, h.Name, got, want)
			}
			if got, want := strings.Contains(data, `"routing": "bird"`), h.UsesBIRD(); got != want {
				t.Errorf("%s/%s: plan says routing bird: %v, host runs BIRD: %v", ex.Name, h.Name, got, want)
			}
			if h.UsesLibreswan() && h.UsesBIRD() {
				n++
			}
			if !h.UsesLibreswan() && (strings.Contains(data, `"ike"`) || strings.Contains(data, `"routing"`) && !h.UsesBIRD()) {
				t.Errorf("%s/%s: a default daemon is written into the plan", ex.Name, h.Name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no example router runs libreswan and BIRD")
	}
}
