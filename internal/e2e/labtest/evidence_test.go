package labtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/frr"
)

// The site of testdata/site-v1, as the evidence must show it.

type tunnelEnd struct {
	router, dev, addr string // addr with its prefix length
}

func (e tunnelEnd) ip() string { return strings.Split(e.addr, "/")[0] }

type tunnel struct {
	name string
	mark uint32
	ends [2]tunnelEnd
}

var tunnels = []tunnel{
	{"gw1-gw2", 12, [2]tunnelEnd{{"gw1", "vti12", "169.254.12.1/30"}, {"gw2", "vti21", "169.254.12.2/30"}}},
	{"gw1-gw3", 13, [2]tunnelEnd{{"gw1", "vti13", "169.254.13.1/30"}, {"gw3", "vti31", "169.254.13.2/30"}}},
	{"gw2-gw3", 23, [2]tunnelEnd{{"gw2", "vti23", "169.254.23.1/30"}, {"gw3", "vti32", "169.254.23.2/30"}}},
}

func tunnelNamed(name string) tunnel {
	for _, tn := range tunnels {
		if tn.name == name {
			return tn
		}
	}
	panic("no tunnel " + name)
}

var routers = []string{"gw1", "gw2", "gw3"}

var outside = map[string]string{"gw1": "192.0.2.1", "gw2": "203.0.113.1", "gw3": "198.51.100.1"}

var lanPrefix = map[string]string{"gw1": "10.1.0.0/16", "gw2": "10.2.0.0/16", "gw3": "10.3.0.0/16"}

// sides returns the tunnel's two ends seen from each: (local, remote).
func (tn tunnel) sides() [2][2]tunnelEnd {
	return [2][2]tunnelEnd{{tn.ends[0], tn.ends[1]}, {tn.ends[1], tn.ends[0]}}
}

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
		e.t.Errorf("%s %s: evidence missing: %v", e.phase, e.router, err)
	}
	return b
}

func (e evidence) text(kind string) string { return string(e.read(kind)) }

func (e evidence) sas() []IKESA { return ParseSAs(e.text("sas.txt")) }

func (e evidence) links(kind string) map[string]Link {
	e.t.Helper()
	m, err := ParseLinks(e.read(kind))
	if err != nil {
		e.t.Errorf("%s %s: %v", e.phase, e.router, err)
	}
	return m
}

// bgp returns the neighbors of `show bgp neighbors json` by address.
func (e evidence) bgp() map[string]bgpNeighbor {
	e.t.Helper()
	var m map[string]bgpNeighbor
	if err := json.Unmarshal(e.read("bgp.json"), &m); err != nil {
		e.t.Errorf("%s %s: read BGP neighbors: %v", e.phase, e.router, err)
	}
	return m
}

// bgpNeighbor is what tells a session that stayed up from one that was
// reset: FRR counts the sessions established and dropped. (The session's
// start time, bgpTimerUpEstablishedEpoch, is computed from the uptime on
// each read and moves by a second between reads.)
type bgpNeighbor struct {
	State       string `json:"bgpState"`
	Established int    `json:"connectionsEstablished"`
	Dropped     int    `json:"connectionsDropped"`
}

// files returns path -> sha256 of the router's files (from the guest's
// sha256sum output).
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

// wantApplied checks that apply exited 0 and printed each of the lines.
func (e evidence) wantApplied(lines ...string) {
	e.t.Helper()
	out, errOut, rc := e.apply()
	if rc != "0" {
		e.errorf("vtic apply exited %s:\n%s%s", rc, out, errOut)
		return
	}
	for _, l := range lines {
		if !strings.Contains(out, "\n  "+l+"\n") {
			e.errorf("vtic apply did not report %q:\n%s", l, out)
		}
	}
}

// checkTunnelUp checks one end of an enabled tunnel: SAs, device, ping,
// BGP session, and the far end's prefix routed through the device by BGP.
func checkTunnelUp(e evidence, tn tunnel, local, remote tunnelEnd, mtu int) {
	e.t.Helper()
	if err := Established(e.sas(), tn.name); err != nil {
		e.errorf("%v", err)
	}
	if !strings.Contains(e.text("conns.txt"), tn.name+": IKEv2") {
		e.errorf("connection %s is not loaded:\n%s", tn.name, e.text("conns.txt"))
	}
	want := WantVTI{Name: local.dev, Local: outside[local.router], Remote: outside[remote.router],
		Key: tn.mark, MTU: mtu, Up: true, Address: local.addr}
	if err := CheckVTI(e.links("links.json"), e.links("addrs.json"), want); err != nil {
		e.errorf("%v", err)
	}
	if err := lab.PingReplied(e.text("ping-" + remote.ip() + ".txt")); err != nil {
		e.errorf("ping %s across %s: %v", remote.ip(), local.dev, err)
	}
	if err := lab.BGPEstablished(e.read("bgp.json"), remote.ip()); err != nil {
		e.errorf("%v", err)
	}
	if err := lab.RouteVia(e.read("routes.json"), lanPrefix[remote.router], local.dev, "bgp"); err != nil {
		e.errorf("%v", err)
	}
}

// checkTriangle checks site-v1's state on every router: every tunnel up on
// both ends, and each router's LAN reaching the next one's.
func checkTriangle(t *testing.T, share, phase string) {
	for _, tn := range tunnels {
		for _, s := range tn.sides() {
			checkTunnelUp(newEvidence(t, share, phase, s[0].router), tn, s[0], s[1], 1400)
		}
	}
	for i, r := range routers {
		next := routers[(i+1)%len(routers)]
		e := newEvidence(t, share, phase, r)
		to := strings.Replace(lanPrefix[next], "0.0/16", "0.1", 1)
		if err := lab.PingReplied(e.text("lanping-" + to + ".txt")); err != nil {
			e.errorf("ping from its LAN address to %s's: %v", next, err)
		}
	}
}

// checkNoSA checks that no SA and no loaded connection of tunnel name
// remain.
func checkNoSA(e evidence, name string) {
	e.t.Helper()
	if sas := SAsNamed(e.sas(), name); len(sas) > 0 {
		e.errorf("connection %s still has SAs: %v", name, sas)
	}
	if strings.Contains(e.text("conns.txt"), name+": IKEv2") {
		e.errorf("connection %s is still loaded:\n%s", name, e.text("conns.txt"))
	}
}

// checkNoRoute checks that the kernel has no route to prefix.
func checkNoRoute(e evidence, prefix string) {
	e.t.Helper()
	var routes []struct {
		Dst string `json:"dst"`
		Dev string `json:"dev"`
	}
	if err := json.Unmarshal(e.read("routes.json"), &routes); err != nil {
		e.errorf("read routes: %v", err)
	}
	for _, r := range routes {
		if r.Dst == prefix || r.Dst+"/32" == prefix {
			e.errorf("route %s (dev %s) is still in the routing table", prefix, r.Dev)
		}
	}
}

// checkNeighborShutdown checks a BGP neighbor that is configured but shut
// down.
func checkNeighborShutdown(e evidence, peer string) {
	e.t.Helper()
	if !strings.Contains(e.text("running.txt"), "\n neighbor "+peer+" shutdown\n") {
		e.errorf("BGP neighbor %s is not shut down in the running configuration:\n%s", peer, e.text("running.txt"))
	}
	n, ok := e.bgp()[peer]
	switch {
	case !ok:
		e.errorf("BGP neighbor %s is gone; want it configured and shut down", peer)
	case n.State == "Established":
		e.errorf("BGP neighbor %s is Established; want it shut down", peer)
	}
}

// checkNeighborGone checks that a BGP neighbor is no longer configured.
func checkNeighborGone(e evidence, peer string) {
	e.t.Helper()
	if _, ok := e.bgp()[peer]; ok {
		e.errorf("BGP neighbor %s is still configured", peer)
	}
	if strings.Contains(e.text("running.txt"), " neighbor "+peer+" ") {
		e.errorf("BGP neighbor %s is still in the running configuration", peer)
	}
}

// same compares a kind of evidence between two phases of one router.
func same(before, after evidence, kind string) {
	after.t.Helper()
	b, a := before.read(kind), after.read(kind)
	if !bytes.Equal(b, a) {
		after.errorf("%s differs from %s's:\n%s", kind, before.phase, lineDiff(string(b), string(a)))
	}
}

// sameSAs checks that no SA was replaced between two phases, and
// sameSessions that no BGP session was reset.
func sameSAs(before, after evidence) {
	after.t.Helper()
	b, a := Identities(before.sas()), Identities(after.sas())
	if !slices.Equal(b, a) {
		after.errorf("SAs changed since %s:\nbefore: %q\nafter:  %q", before.phase, b, a)
	}
	if len(a) == 0 {
		after.errorf("no established SA to compare")
	}
}

func sameSessions(before, after evidence) {
	after.t.Helper()
	b, a := before.bgp(), after.bgp()
	for peer, n := range b {
		if n.State != "Established" {
			continue
		}
		if m := a[peer]; m != n {
			after.errorf("BGP session with %s changed since %s: %+v, then %+v", peer, before.phase, n, m)
		}
	}
}

// lineDiff shows the lines of a and b that the other lacks.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, "+ "+l)
		}
	}
	if len(out) > 40 {
		out = append(out[:40], "...")
	}
	return strings.Join(out, "\n")
}

// manifests reads the manifest of every router of a `vtic build` output
// and the sha256 of each file it lists: router -> path -> sha256.
func manifests(t *testing.T, dir string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, r := range routers {
		b, err := os.ReadFile(filepath.Join(dir, r, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := bundle.DecodeManifest(b)
		if err != nil {
			t.Fatal(err)
		}
		out[r] = map[string]string{}
		for _, f := range m.Files {
			// The lab's routers run FRR in integrated mode
			// (lab-router writes frr.conf), so apply installs frr.conf
			// and not the per-daemon form of the same configuration.
			if slices.Contains(frr.PerDaemon.Paths(), f.Path) {
				continue
			}
			// The manifest holds no digest of a secret file; the
			// build's own bytes are what apply installs.
			data, err := os.ReadFile(filepath.Join(dir, r, filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			out[r][f.Path] = hex.EncodeToString(sum[:])
		}
	}
	return out
}

// checkWhole checks that every file vtic installs for the router is, as a
// whole, either its old version or its new one (absent counts as a
// version for a file one side lacks), never a mix or a torn write.
func checkWhole(e evidence, kind string, old, new map[string]string) {
	e.t.Helper()
	have := e.files(kind)
	paths := map[string]bool{}
	for p := range old {
		paths[p] = true
	}
	for p := range new {
		paths[p] = true
	}
	nNew := 0
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		got, present := have[p]
		o, inOld := old[p]
		n, inNew := new[p]
		isOld := present == inOld && (!present || got == o)
		isNew := present == inNew && (!present || got == n)
		switch {
		case isNew:
			nNew++
		case isOld:
		case !present:
			e.errorf("%s is missing; want its old or new version", p)
		default:
			e.errorf("%s has sha256 %s, which is neither the old version (%s) nor the new one (%s)", p, got, o, n)
		}
	}
	e.t.Logf("%s %s: %d of %d files in their new version, the rest in their old", e.phase, e.router, nNew, len(paths))
}

// checkPending checks that the state file records an apply that did not
// finish.
func checkPending(e evidence, kind string) {
	e.t.Helper()
	var st struct {
		Pending bool `json:"pending"`
	}
	if err := json.Unmarshal(e.read(kind), &st); err != nil {
		e.errorf("read state file: %v", err)
	}
	if !st.Pending {
		e.errorf("state file does not record the unfinished apply (pending is false)")
	}
}
