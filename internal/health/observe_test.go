package health

import (
	"encoding/json"
	"testing"
	"time"
)

// The JSON form is what `vtic status --json` prints: snake_case names and
// ages in whole seconds.
func TestObservationJSON(t *testing.T) {
	o := healthy()
	o.Child.BytesIn = 1234
	o.BGP.PrefixesReceived, o.BGP.Uptime = 2, 90*time.Second+500*time.Millisecond
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		CharonUp bool `json:"charon_up"`
		IKE      struct {
			State string `json:"state"`
			Age   int64  `json:"age_seconds"`
		} `json:"ike_sa"`
		Child struct {
			State   string `json:"state"`
			Age     int64  `json:"age_seconds"`
			BytesIn uint64 `json:"bytes_in"`
		} `json:"child_sa"`
		Device struct {
			MTU int `json:"mtu"`
		} `json:"device"`
		BGP struct {
			State    string `json:"state"`
			Prefixes int    `json:"prefixes_received"`
			Uptime   int64  `json:"uptime_seconds"`
		} `json:"bgp"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !got.CharonUp || got.IKE.State != "ESTABLISHED" || got.IKE.Age != 3600 || got.Child.State != "INSTALLED" ||
		got.Child.Age != 60 || got.Child.BytesIn != 1234 || got.Device.MTU != 1436 ||
		got.BGP.State != "Established" || got.BGP.Prefixes != 2 || got.BGP.Uptime != 90 {
		t.Errorf("JSON %s decoded as %+v", b, got)
	}
}
