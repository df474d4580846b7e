package routerlab

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/e2e/lab"
	"github.com/vtic/vtic/internal/e2e/labtest"
)

// checkFresh judges scenario (a): stock routers in FRR's integrated mode
// (gw1, gw2) converged by plain vtic apply, with the tunnel between them
// carrying traffic and BGP.
func checkFresh(t *testing.T, share string) {
	for _, r := range []string{"gw1", "gw2"} {
		e := newEvidence(t, share, "fresh", r)
		e.wantApplied("a fresh install in FRR's integrated mode")
		checkServices(e)
	}
	checkTunnels(t, share, "fresh", []tunnel{gw1gw2}, 1400)
}

// checkPerDaemon judges scenario (c): gw3, FRR in per-daemon mode,
// converged by the same plain vtic apply, its tunnel to gw1 up.
func checkPerDaemon(t *testing.T, share string) {
	e := newEvidence(t, share, "fresh", "gw3")
	e.wantApplied("FRR in per-daemon mode (no frr.conf, no integrated-vtysh-config)")
	checkServices(e)
	checkTunnels(t, share, "fresh", []tunnel{gw1gw3}, 1400)
}

// checkReboot judges scenario (b): after gw2 and gw3 lost their kernel
// state and /run, started their services as boot does and ran the
// documented boot unit, every tunnel works again, FRR having loaded
// vtic's BGP configuration by itself, and what vtic made (firewall,
// sysctls, files) is as before the reboot.
func checkReboot(t *testing.T, share string) {
	for _, r := range []string{"gw2", "gw3"} {
		boot := newEvidence(t, share, "reboot", r)
		switch rc := strings.TrimSpace(boot.text("boot.rc")); rc {
		case "0":
		case "missing":
			boot.errorf("examples/systemd/vtic-boot.service is missing: there is no documented boot path to run after the reboot")
		default:
			boot.errorf("the commands of examples/systemd/vtic-boot.service exited %s, want 0:\n%s", rc, tail(boot.text("boot.out")))
		}
		before := newEvidence(t, share, "reboot-daemons", r)
		if running := before.text("running.txt"); !strings.Contains(running, "\nrouter bgp "+asn[r]+"\n") {
			before.errorf("FRR started after the reboot without vtic's BGP configuration (router bgp %s); FRR's own boot must load it, in integrated and per-daemon mode alike. Its running configuration before the boot unit ran:\n%s",
				asn[r], tail(running))
		}
		checkServices(boot)
		fresh := newEvidence(t, share, "fresh", r)
		same(fresh, boot, "iptables.txt", "the iptables rules")
		same(fresh, boot, "sysctl.txt", "the sysctls")
		sameFiles(fresh, boot, "etc/", "the files under /etc")
	}
	checkTunnels(t, share, "reboot", v1Tunnels, 1400)
}

// checkConcurrent judges scenario (e): site-v2 applied to gw2 and gw3 at
// the same moment leaves exactly one IKE SA and one CHILD SA per tunnel on
// every router, and the new tunnel up.
func checkConcurrent(t *testing.T, share string) {
	for _, r := range []string{"gw2", "gw3"} {
		newEvidence(t, share, "concurrent", r).wantApplied("site-v2, applied to gw2 and gw3 at once")
	}
	for _, r := range routers {
		e := newEvidence(t, share, "concurrent", r)
		sas := e.sas()
		for _, tn := range v2Tunnels {
			if tn.ends[0].router != r && tn.ends[1].router != r {
				continue
			}
			if ike, child := countSAs(sas, tn.name); ike != 1 || child != 1 {
				var seen []string
				for _, sa := range labtest.SAsNamed(sas, tn.name) {
					seen = append(seen, sa.String())
				}
				e.errorf("tunnel %s has %d IKE SAs and %d CHILD SAs, want exactly one of each (one end initiates, the other waits): %s",
					tn.name, ike, child, strings.Join(seen, "; "))
			}
		}
	}
	checkTunnels(t, share, "concurrent", v2Tunnels, 1400)
}

// checkReject judges scenario (d): a configuration bgpd refuses, applied
// to gw1 (integrated) and gw3 (per-daemon), fails and changes nothing; the
// routes are still learnt.
func checkReject(t *testing.T, share string) {
	for _, r := range []string{"gw1", "gw3"} {
		before, after := newEvidence(t, share, "concurrent", r), newEvidence(t, share, "reject", r)
		out, errOut, rc := after.apply()
		if rc == "0" {
			after.errorf("vtic apply of a BGP neighbor FRR refuses exited 0, want a failure:\n%s", out)
		}
		if strings.Contains(errOut, "rollback incomplete") {
			after.errorf("vtic apply could not roll back a configuration FRR refused (\"rollback incomplete\" is for faults outside vtic):\n%s", tail(errOut))
		}
		for _, k := range []struct{ kind, what string }{
			{"links.json", "the devices"}, {"addrs.json", "the addresses"}, {"routes.json", "the routes"},
			{"iptables.txt", "the iptables rules"}, {"sysctl.txt", "the sysctls"},
			{"running.txt", "FRR's running configuration"}, {"daemons.txt", "/etc/frr/daemons"},
		} {
			same(before, after, k.kind, k.what+" (after a configuration FRR refused)")
		}
		sameFiles(before, after, "", "the files vtic installs (after a configuration FRR refused)")
		if b, a := labtest.Identities(before.sas()), labtest.Identities(after.sas()); !slices.Equal(a, b) {
			after.errorf("the SAs were replaced by a failed apply:\nbefore: %q\nafter:  %q", b, a)
		}
		bb, ab := before.bgp(), after.bgp()
		for peer, n := range bb {
			if ab[peer] != n {
				after.errorf("BGP session with %s was reset by a failed apply: %+v, then %+v", peer, n, ab[peer])
			}
		}
		for _, tn := range v2Tunnels {
			for _, s := range tn.sides() {
				if s[0].router != r {
					continue
				}
				if err := lab.RouteVia(after.read("routes.json"), lanPrefix[s[1].router], s[0].dev, "bgp"); err != nil {
					after.errorf("routes learnt before the failed apply must stay: %v", err)
				}
				if err := lab.PingReplied(after.text("ping-" + s[1].ip() + ".txt")); err != nil {
					after.errorf("ping %s across %s after the failed apply: %v", s[1].ip(), s[0].dev, err)
				}
			}
		}
	}
}

// sameFiles compares the files (path → sha256) under prefix between two
// phases.
func sameFiles(before, after evidence, prefix, what string) {
	after.t.Helper()
	b, a := filesUnder(before.files("files.txt"), prefix), filesUnder(after.files("files.txt"), prefix)
	if d := mapDiff(b, a); d != "" {
		after.errorf("%s changed since %s; want them unchanged:\n%s", what, before.phase, d)
	}
}

func filesUnder(m map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for p, s := range m {
		if strings.HasPrefix(p, prefix) {
			out[p] = s
		}
	}
	return out
}

// mapDiff describes how b differs from a, "" when equal.
func mapDiff(a, b map[string]string) string {
	var out []string
	for p, s := range a {
		switch t, ok := b[p]; {
		case !ok:
			out = append(out, "removed "+p)
		case t != s:
			out = append(out, "changed "+p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, "added "+p)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// recapLine matches one host of ansible-playbook's PLAY RECAP.
var recapLine = regexp.MustCompile(`(?m)^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)`)

// recap returns host → "ok=N changed=N unreachable=N failed=N".
func recap(out string) map[string][4]string {
	m := map[string][4]string{}
	for _, g := range recapLine.FindAllStringSubmatch(out, -1) {
		m[g[1]] = [4]string{g[2], g[3], g[4], g[5]}
	}
	return m
}

// checkAnsible judges scenario (f): the shipped playbook rolls site-v3
// out, the canary gw1 first. gw1 changes; gw2's apply fails (its kernel
// refuses the new gateway) and rolls back, which stops the play; gw3,
// after it, is never contacted: its devices and files are as before the
// rollout (the last evidence of each router before it) and it has no
// upload.
func checkAnsible(t *testing.T, share string) {
	run := newEvidence(t, share, "ansible", "ansible")
	out := run.text("txt")
	t.Logf("ansible-playbook took %s", ansibleTime(out))
	if rc := strings.TrimSpace(run.text("rc")); rc == "0" {
		run.errorf("ansible-playbook exited 0; want a failure, gw2's apply failing:\n%s", tail(out))
	}
	if !strings.Contains(out, "fatal: [gw2]") {
		run.errorf("ansible-playbook reports no failure of gw2 (want \"fatal: [gw2]\"):\n%s", tail(out))
	}
	if strings.Contains(out, "[gw3]") {
		run.errorf("ansible-playbook went on to gw3 after gw2 failed; want the play to stop:\n%s", tail(out))
	}
	rc := recap(out)
	if st, seen := rc["gw1"]; !seen || st[1] == "0" || st[3] != "0" {
		run.errorf("the canary gw1 in PLAY RECAP: %v (seen: %v), want changed and not failed:\n%s", st, seen, tail(out))
	}
	if _, seen := rc["gw3"]; seen {
		run.errorf("gw3 is in PLAY RECAP; want it never reached:\n%s", tail(out))
	}

	gw1 := newEvidence(t, share, "ansible", "gw1")
	checkMTU(gw1, []tunnel{gw1gw2, gw1gw3}, 1380)
	checkAppliedUpload(gw1)

	// gw2 last changed in concurrent, gw3 in reject.
	gw2, gw2Before := newEvidence(t, share, "ansible", "gw2"), newEvidence(t, share, "concurrent", "gw2")
	same(gw2Before, gw2, "links.json", "the devices (its apply of site-v3 failed and rolled back)")
	sameFiles(gw2Before, gw2, "", "the installed files (its apply of site-v3 failed and rolled back)")
	if len(gw2.files("upload.txt")) == 0 {
		gw2.errorf("the playbook uploaded nothing to gw2; want its files uploaded before its apply failed")
	}

	gw3, gw3Before := newEvidence(t, share, "ansible", "gw3"), newEvidence(t, share, "reject", "gw3")
	same(gw3Before, gw3, "links.json", "the devices (the rollout stopped before gw3)")
	sameFiles(gw3Before, gw3, "", "the installed files (the rollout stopped before gw3)")
	if up := strings.TrimSpace(gw3.text("upload.txt")); up != "" {
		gw3.errorf("the playbook uploaded files to gw3 after gw2 had failed; want none:\n%s", up)
	}
}

// checkMTU checks the MTU of the router's end of each tunnel it has.
func checkMTU(e evidence, tunnels []tunnel, mtu int) {
	e.t.Helper()
	links := e.links("links.json")
	for _, tn := range tunnels {
		for _, end := range tn.ends {
			if end.router != e.router {
				continue
			}
			if l, ok := links[end.dev]; !ok || l.MTU != mtu {
				e.errorf("device %s: present %v, MTU %d; want MTU %d", end.dev, ok, l.MTU, mtu)
			}
		}
	}
}

// checkAppliedUpload checks that the router runs the plan the playbook
// uploaded to it: the installed etc/vtic/plan.json is the uploaded one.
func checkAppliedUpload(e evidence) {
	e.t.Helper()
	up := e.files("upload.txt")["var/lib/vtic/upload/"+e.router+"/etc/vtic/plan.json"]
	if inst := e.files("files.txt")["etc/vtic/plan.json"]; up == "" || inst != up {
		e.errorf("the installed etc/vtic/plan.json (sha256 %q) is not the one the playbook uploaded (%q)", inst, up)
	}
}
