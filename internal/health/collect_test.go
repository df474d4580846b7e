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
	stale := msg(t, "name", "t1", "state", "DELETING", "install-time", "3", "bytes-in", "5", "packets-in", "1")
	other := msg(t, "name", "somebody-else", "state", "INSTALLED")
	ike := msg(t, "uniqueid", "7", "state", "ESTABLISHED", "established", "3600",
		"child-sas", msg(t, "t1-5", child, "t1-6", stale, "x-1", other))
	connecting := msg(t, "uniqueid", "9", "state", "CONNECTING")
	// Both ends initiated t3: two IKE SAs, each with an installed CHILD SA;
	// only the older one carries traffic. The younger is shown, the
	// counters are the sum, so the traffic is not lost from view.
	dupOld := msg(t, "uniqueid", "11", "state", "ESTABLISHED", "established", "60",
		"child-sas", msg(t, "t3-1", msg(t, "name", "t3", "state", "INSTALLED", "install-time", "60", "bytes-in", "4000", "bytes-out", "3000", "packets-in", "40", "packets-out", "30")))
	dupNew := msg(t, "uniqueid", "12", "state", "ESTABLISHED", "established", "50",
		"child-sas", msg(t, "t3-2", msg(t, "name", "t3", "state", "INSTALLED", "install-time", "50", "bytes-out", "100", "packets-out", "1")))
	got := ParseSAs([]*vici.Message{
		msg(t, "t1", ike), msg(t, "t2", connecting), msg(t, "t1", msg(t, "uniqueid", "8", "state", "CONNECTING")),
		msg(t, "t3", dupOld), msg(t, "t3", dupNew),
	})
	want := map[string]SAPair{
		"t1": {IKEIDs: []string{"7", "8"}, IKE: SA{State: "ESTABLISHED", Age: time.Hour, Count: 2},
			Child: SA{State: "INSTALLED", Age: 42 * time.Second, BytesIn: 105, BytesOut: 200, PacketsIn: 2, PacketsOut: 2, Count: 2}},
		"t2": {IKEIDs: []string{"9"}, IKE: SA{State: "CONNECTING", Count: 1}},
		"t3": {IKEIDs: []string{"12", "11"}, IKE: SA{State: "ESTABLISHED", Age: 50 * time.Second, Count: 2},
			Child: SA{State: "INSTALLED", Age: 50 * time.Second, BytesIn: 4000, BytesOut: 3100, PacketsIn: 40, PacketsOut: 31, Count: 2}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestParseBGPNeighbors(t *testing.T) {
	js := []byte(`{
	  "169.254.13.21": {"remoteAs": 7224, "bgpState": "Established", "bgpTimerUpMsec": 65000,
	    "addressFamilyInfo": {"ipv4Unicast": {"acceptedPrefixCounter": 3}}},
	  "169.254.13.109": {"remoteAs": 7224, "bgpState": "Active"},
	  "169.254.40.2": {"remoteAs": 65001, "bgpState": "Established", "bgpTimerUpMsec": 1000,
	    "peerBfdInfo": {"type": "single hop", "detectMultiplier": 3, "rxMinInterval": 300, "txMinInterval": 300, "status": "Up", "lastUpdate": "0:00:00:05"}}
	}`)
	got, err := ParseBGPNeighbors(js)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]BGP{
		"169.254.13.21":  {Neighbor: "169.254.13.21", State: "Established", PrefixesReceived: 3, Uptime: 65 * time.Second},
		"169.254.13.109": {Neighbor: "169.254.13.109", State: "Active"},
		"169.254.40.2":   {Neighbor: "169.254.40.2", State: "Established", Uptime: time.Second, BFD: "Up"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if _, err := ParseBGPNeighbors([]byte("% bgpd is not running")); err == nil {
		t.Error("non-JSON output was accepted")
	}
}
