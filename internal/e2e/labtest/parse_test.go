package labtest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The files in testdata/evidence are what the lab's guest recorded on gw1
// with site-v1 applied (swanctl --list-sas, ip -d -j link, ip -j addr).

func readEvidence(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "evidence", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSAs(t *testing.T) {
	sas := ParseSAs(string(readEvidence(t, "list-sas.txt")))
	want := []string{
		"child gw1-gw2/gw1-gw2 #1 in cd1cb992 out c88a4066",
		"child gw1-gw3/gw1-gw3 #2 in ca5f22ec out c1c1dfd0",
		"child gw1-gw3/gw1-gw3 #3 in c7bea210 out cd53cc9b",
		"ike gw1-gw2 #3 f55ce546ccf6a460_i 09c205d6e36b0a9b_r*",
		"ike gw1-gw3 #2 a6dc20d11ff5d361_i* f0d90290529c05b2_r",
		"ike gw1-gw3 #4 af6f60c27e7306da_i b1eaf723d4ca2917_r*",
	}
	if got := Identities(sas); !slices.Equal(got, want) {
		t.Errorf("Identities:\n got %q\nwant %q", got, want)
	}
	for _, name := range []string{"gw1-gw2", "gw1-gw3"} {
		if err := Established(sas, name); err != nil {
			t.Error(err)
		}
	}
	if err := Established(sas, "gw2-gw3"); err == nil {
		t.Error("Established(gw2-gw3) = nil for a connection without SAs")
	}
	// A CHILD SA that is not INSTALLED does not count.
	rekeying := strings.Replace(string(readEvidence(t, "list-sas.txt")), "#1, reqid 1, INSTALLED", "#1, reqid 1, REKEYED", 1)
	if err := Established(ParseSAs(rekeying), "gw1-gw2"); err == nil {
		t.Error("Established(gw1-gw2) = nil with its only CHILD SA REKEYED")
	}
	if got := Identities(ParseSAs(rekeying)); len(got) != len(want)-1 {
		t.Errorf("Identities kept a CHILD SA that is not INSTALLED: %q", got)
	}
}

func TestCheckVTI(t *testing.T) {
	links, err := ParseLinks(readEvidence(t, "links.json"))
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := ParseLinks(readEvidence(t, "addrs.json"))
	if err != nil {
		t.Fatal(err)
	}
	good := WantVTI{Name: "vti12", Local: "192.0.2.1", Remote: "203.0.113.1", Key: 12, MTU: 1400, Up: true, Address: "169.254.12.1/30"}
	if err := CheckVTI(links, addrs, good); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		change func(*WantVTI)
		want   string
	}{
		{func(w *WantVTI) { w.Name = "vti9" }, "no device vti9"},
		{func(w *WantVTI) { w.Name = "eth0" }, `kind "veth", want vti`},
		{func(w *WantVTI) { w.Remote = "198.51.100.1" }, "want local 192.0.2.1 remote 198.51.100.1"},
		{func(w *WantVTI) { w.Key = 13 }, "ikey 0.0.0.12 okey 0.0.0.12, want 0.0.0.13"},
		{func(w *WantVTI) { w.Key = 12 << 8 }, "want 0.0.12.0"},
		{func(w *WantVTI) { w.MTU = 1380 }, "mtu 1400, want 1380"},
		{func(w *WantVTI) { w.Up = false }, "want up=false"},
		{func(w *WantVTI) { w.Address = "169.254.12.2/30" }, "addresses [169.254.12.1/30], want [169.254.12.2/30]"},
	} {
		w := good
		tc.change(&w)
		err := CheckVTI(links, addrs, w)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckVTI(%+v) = %v, want an error saying %q", w, err, tc.want)
		}
	}
}

func TestMTUEvents(t *testing.T) {
	monitor := `6: vti12@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1360 qdisc noqueue state UNKNOWN group default \    link/ipip 192.0.2.1 peer 203.0.113.1
7: vti13@NONE: <POINTOPOINT,NOARP> mtu 1400 qdisc noqueue state DOWN group default \    link/ipip 192.0.2.1 peer 198.51.100.1
[LINK]6: vti12@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1360 qdisc noqueue state UNKNOWN group default \    link/ipip 192.0.2.1 peer 203.0.113.1
[LINK]6: vti12@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1380 qdisc noqueue state UNKNOWN group default \    link/ipip 192.0.2.1 peer 203.0.113.1
`
	if got, want := mtuEvents(monitor, "vti12"), []int{1360, 1380}; !slices.Equal(got, want) {
		t.Errorf("mtuEvents = %v, want %v", got, want)
	}
	if got := mtuEvents(monitor, "vti1"); len(got) != 0 {
		t.Errorf("mtuEvents(vti1) = %v, want none", got)
	}
}
