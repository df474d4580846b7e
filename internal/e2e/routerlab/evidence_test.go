package routerlab

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/labtest"
)

// The site, as the evidence must show it.

type tunnelEnd struct {
	router, dev, addr string // addr with its prefix length
}

func (e tunnelEnd) ip() string { return strings.Split(e.addr, "/")[0] }

type tunnel struct {
	name string
	mark uint32
	ends [2]tunnelEnd
}

// sides returns the tunnel's two ends seen from each: (local, remote).
func (tn tunnel) sides() [2][2]tunnelEnd {
	return [2][2]tunnelEnd{{tn.ends[0], tn.ends[1]}, {tn.ends[1], tn.ends[0]}}
}

var (
	gw1gw2 = tunnel{"gw1-gw2", 12, [2]tunnelEnd{{"gw1", "vti12", "169.254.12.1/30"}, {"gw2", "vti21", "169.254.12.2/30"}}}
	gw1gw3 = tunnel{"gw1-gw3", 13, [2]tunnelEnd{{"gw1", "vti13", "169.254.13.1/30"}, {"gw3", "vti31", "169.254.13.2/30"}}}
	gw2gw3 = tunnel{"gw2-gw3", 23, [2]tunnelEnd{{"gw2", "vti23", "169.254.23.1/30"}, {"gw3", "vti32", "169.254.23.2/30"}}}

	v1Tunnels = []tunnel{gw1gw2, gw1gw3}
	v2Tunnels = []tunnel{gw1gw2, gw1gw3, gw2gw3}
)

var routers = []string{"gw1", "gw2", "gw3"}

var outside = map[string]string{"gw1": "192.0.2.1", "gw2": "203.0.113.1", "gw3": "198.51.100.1"}

var lanPrefix = map[string]string{"gw1": "10.1.0.0/16", "gw2": "10.2.0.0/16", "gw3": "10.3.0.0/16"}

var asn = map[string]string{"gw1": "65001", "gw2": "65002", "gw3": "65003"}

// evidence reads what the guest script left for one router in one phase
// (share/out/PHASE/ROUTER.KIND).
type evidence struct {
	t             *testing.T
	dir           string
	phase, router string
}

func newEvidence(t *testing.T, share, phase, router string) evidence {
	return evidence{t: t, dir: filepath.Join(share, "out", phase), phase: phase, router: router}
}

// read returns one file of evidence; a missing one is an error of the test.
func (e evidence) read(kind string) []byte {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, e.router+"."+kind))
	if err != nil {
		e.t.Errorf("%s %s: evidence missing (did the guest script get this far?): %v", e.phase, e.router, err)
	}
	return b
}

func (e evidence) text(kind string) string { return string(e.read(kind)) }

func (e evidence) sas() []labtest.IKESA { return labtest.ParseSAs(e.text("sas.txt")) }

func (e evidence) links(kind string) map[string]labtest.Link {
	e.t.Helper()
	m, err := labtest.ParseLinks(e.read(kind))
	if err != nil {
		e.errorf("%v", err)
	}
	return m
}

// bgpNeighbor tells a session that stayed up from one that was reset:
// FRR counts the sessions established and dropped.
type bgpNeighbor struct {
	State       string `json:"bgpState"`
	Established int    `json:"connectionsEstablished"`
	Dropped     int    `json:"connectionsDropped"`
}

func (e evidence) bgp() map[string]bgpNeighbor {
	e.t.Helper()
	var m map[string]bgpNeighbor
	if err := json.Unmarshal(e.read("bgp.json"), &m); err != nil {
		e.errorf("read BGP neighbors: %v: %s", err, tail(e.text("bgp.json")))
	}
	return m
}

// files returns path → sha256 from the guest's sha256sum output.
func (e evidence) files(kind string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(e.text(kind)), "\n") {
		if sum, p, ok := strings.Cut(line, "  "); ok {
			m[p] = sum
		}
	}
	return m
}

// apply returns what `vtic apply` printed and its exit status.
func (e evidence) apply() (stdout, stderr, rc string) {
	return e.text("apply.out"), e.text("apply.err"), strings.TrimSpace(e.text("apply.rc"))
}

func (e evidence) errorf(format string, args ...any) {
	e.t.Helper()
	e.t.Errorf("%s %s: %s", e.phase, e.router, fmt.Sprintf(format, args...))
}

// wantApplied checks that vtic apply exited 0.
func (e evidence) wantApplied(what string) {
	e.t.Helper()
	if out, errOut, rc := e.apply(); rc != "0" {
		e.errorf("%s: vtic apply exited %s, want 0:\n%s%s", what, rc, out, tail(errOut))
	}
}

// checkTunnelUp checks one end of a tunnel: its connection loaded with an
// established IKE SA and installed CHILD SA, the VTI as the site says, a
// ping across it, the BGP session Established, and the far end's LAN
// routed through the VTI by BGP.
func checkTunnelUp(e evidence, tn tunnel, local, remote tunnelEnd, mtu int) {
	e.t.Helper()
	if err := labtest.Established(e.sas(), tn.name); err != nil {
		e.errorf("tunnel %s: want an ESTABLISHED IKE SA with an INSTALLED CHILD SA: %v", tn.name, err)
	}
	if !strings.Contains(e.text("conns.txt"), tn.name+": IKEv2") {
		e.errorf("tunnel %s: connection not loaded into charon:\n%s", tn.name, tail(e.text("conns.txt")))
	}
	want := labtest.WantVTI{Name: local.dev, Local: outside[local.router], Remote: outside[remote.router],
		Key: tn.mark, MTU: mtu, Up: true, Address: local.addr}
	if err := labtest.CheckVTI(e.links("links.json"), e.links("addrs.json"), want); err != nil {
		e.errorf("tunnel %s: %v", tn.name, err)
	}
	if err := lab.PingReplied(e.text("ping-" + remote.ip() + ".txt")); err != nil {
		e.errorf("tunnel %s: ping %s across %s: %v", tn.name, remote.ip(), local.dev, err)
	}
	if err := lab.BGPEstablished(e.read("bgp.json"), remote.ip()); err != nil {
		e.errorf("tunnel %s: %v", tn.name, err)
	}
	if err := lab.RouteVia(e.read("routes.json"), lanPrefix[remote.router], local.dev, "bgp"); err != nil {
		e.errorf("tunnel %s: want %s's LAN learnt over BGP: %v", tn.name, remote.router, err)
	}
}

// checkTunnels checks both ends of every tunnel in phase.
func checkTunnels(t *testing.T, share, phase string, tunnels []tunnel, mtu int) {
	for _, tn := range tunnels {
		for _, s := range tn.sides() {
			checkTunnelUp(newEvidence(t, share, phase, s[0].router), tn, s[0], s[1], mtu)
		}
	}
}

// checkServices checks that FRR and charon run as the router's services,
// bgpd enabled in /etc/frr/daemons and started by FRR's init (watchfrr
// watches it).
func checkServices(e evidence) {
	e.t.Helper()
	if got := strings.Fields(e.text("units.txt")); len(got) != 2 || got[0] != "active" || got[1] != "active" {
		e.errorf("systemctl is-active frr strongswan says %q, want both active", got)
	}
	if !strings.Contains("\n"+e.text("daemons.txt"), "\nbgpd=yes") {
		e.errorf("/etc/frr/daemons does not enable bgpd (want bgpd=yes, set by vtic apply, which restarts FRR through its init):\n%s",
			grepLines(e.text("daemons.txt"), "bgpd"))
	}
	procs := e.text("processes.txt")
	var watchfrr, bgpd bool
	for _, l := range strings.Split(procs, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "/usr/lib/frr/watchfrr":
			watchfrr = strings.Contains(l, " bgpd")
		case "/usr/lib/frr/bgpd":
			bgpd = true
		}
	}
	if !watchfrr || !bgpd {
		e.errorf("bgpd is not running under FRR's own init (want /usr/lib/frr/bgpd and a watchfrr watching bgpd; watchfrr with bgpd: %v, bgpd: %v):\n%s",
			watchfrr, bgpd, procs)
	}
}

// grepLines returns the lines of s containing sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// same compares one kind of evidence of a router between two phases.
func same(before, after evidence, kind, what string) {
	after.t.Helper()
	b, a := before.text(kind), after.text(kind)
	if a != b {
		after.errorf("%s changed since %s; want them unchanged:\n%s", what, before.phase, lineDiff(b, a))
	}
}

// lineDiff lists the lines only in a ("-") and only in b ("+").
func lineDiff(a, b string) string {
	count := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		count[l]--
	}
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if count[l] > 0 {
			out = append(out, "- "+l)
			count[l]--
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if count[l] < 0 {
			out = append(out, "+ "+l)
			count[l]++
		}
	}
	if len(out) > 40 {
		out = append(out[:40], fmt.Sprintf("… %d more lines", len(out)-40))
	}
	return strings.Join(out, "\n")
}

// countSAs returns the IKE SAs of connection name and their CHILD SAs of
// the same name, whatever their state.
func countSAs(sas []labtest.IKESA, name string) (ike, child int) {
	for _, sa := range labtest.SAsNamed(sas, name) {
		ike++
		for _, c := range sa.Children {
			if c.Name == name {
				child++
			}
		}
	}
	return ike, child
}
