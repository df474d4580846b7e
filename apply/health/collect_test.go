package health

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strongswan/govici/vici"
)

func msg(t *testing.T, kv ...any) *vici.Message {
	t.Helper()
	m := vici.NewMessage()
	for i := 0; i < len(kv); i += 2 {
		if err := m.Set(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestParseSAs(t *testing.T) {
	child := msg(t, "name", "t1", "state", "INSTALLED", "install-time", "42", "bytes-in", "100", "bytes-out", "200", "packets-in", "1", "packets-out", "2")
	stale := msg(t, "name", "t1", "state", "DELETING", "install-time", "3")
	other := msg(t, "name", "somebody-else", "state", "INSTALLED")
	ike := msg(t, "uniqueid", "7", "state", "ESTABLISHED", "established", "3600",
		"child-sas", msg(t, "t1-5", child, "t1-6", stale, "x-1", other))
	connecting := msg(t, "uniqueid", "9", "state", "CONNECTING")
	got := ParseSAs([]*vici.Message{msg(t, "t1", ike), msg(t, "t2", connecting), msg(t, "t1", msg(t, "uniqueid", "8", "state", "CONNECTING"))})
	want := map[string]SAPair{
		"t1": {IKEID: "7", IKE: SA{State: "ESTABLISHED", Age: time.Hour},
			Child: SA{State: "INSTALLED", Age: 42 * time.Second, BytesIn: 100, BytesOut: 200, PacketsIn: 1, PacketsOut: 2}},
		"t2": {IKEID: "9", IKE: SA{State: "CONNECTING"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestParseBGPNeighbors(t *testing.T) {
	js := []byte(`{
	  "169.254.13.21": {"remoteAs": 7224, "bgpState": "Established", "bgpTimerUpMsec": 65000,
	    "addressFamilyInfo": {"ipv4Unicast": {"acceptedPrefixCounter": 3}}},
	  "169.254.13.109": {"remoteAs": 7224, "bgpState": "Active"}
	}`)
	got, err := ParseBGPNeighbors(js)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]BGP{
		"169.254.13.21":  {Neighbor: "169.254.13.21", State: "Established", PrefixesReceived: 3, Uptime: 65 * time.Second},
		"169.254.13.109": {Neighbor: "169.254.13.109", State: "Active"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if _, err := ParseBGPNeighbors([]byte("% bgpd is not running")); err == nil {
		t.Error("non-JSON output was accepted")
	}
}
