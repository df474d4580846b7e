//go:build wip

package pkilab

import (
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/e2e/lab/labtestutil"
)

func checkPubkey(t *testing.T, e evidence) {
	for _, r := range []string{"gw1", "gw2"} {
		if rc := e.rc("pubkey/" + r + ".apply.rc"); rc != "0" {
			t.Errorf("vtic apply on %s exited %s:\n%s", r, rc, e.read("pubkey/"+r+".apply.err"))
		}
	}
	if rc := e.rc("pubkey/established.rc"); rc != "0" {
		t.Errorf("no established SA on gw1 in time")
	}
	e.contains("pubkey/gw1.sas.txt", "gw1-gw2: #", "ESTABLISHED", "gw1.example.net", "gw2.example.net", "INSTALLED, TUNNEL")
	e.contains("pubkey/gw1.ping.txt", " 0% packet loss")
	// charon checked each end's signature with its certificate.
	e.contains("pubkey/gw1.initiate.txt",
		"authentication of 'gw1.example.net' (myself) with RSA",
		"authentication of 'gw2.example.net' with RSA",
		"initiate completed successfully")
	e.contains("pubkey/gw1.certs.txt", "gw1.example.net", "vtic lab CA")
	files := e.read("pubkey/gw1.files.txt")
	if !strings.Contains(files, "-rw------- 1 root root") || !strings.Contains(files, "vtic.key") {
		t.Errorf("the private key is not installed 0600:\n%s", files)
	}
	e.contains("pubkey/gw1.status.txt", "certificate CN=gw1,O=vtic: expires", "authority lab CN=vtic lab CA,O=vtic: expires")
}

func checkWrongID(t *testing.T, e evidence) {
	if rc := e.rc("wrongid/gw2.apply.rc"); rc != "0" {
		t.Errorf("vtic apply of the imposter site on gw2 exited %s:\n%s", rc, e.read("wrongid/gw2.apply.err"))
	}
	if rc := e.rc("wrongid/gw1.initiate.rc"); rc == "0" {
		t.Errorf("gw1 initiated gw1-gw2 with the imposter:\n%s", e.read("wrongid/gw1.initiate.txt"))
	}
	if s := e.read("wrongid/gw1.sas.txt"); strings.Contains(s, "ESTABLISHED") {
		t.Errorf("gw1 has an SA with the imposter:\n%s", s)
	}
	// gw1 asks for gw2.example.net (IDr); gw2 now is imposter.example.net,
	// finds no configuration for that and answers AUTHENTICATION_FAILED
	// (measured in the lab run of 2026-12-08).
	log := e.read("wrongid/gw1.initiate.txt")
	if !strings.Contains(log, "constraint check failed") && !strings.Contains(log, "no matching peer config") &&
		!strings.Contains(log, "AUTHENTICATION_FAILED") {
		t.Errorf("no refusal in charon's log:\n%s", log)
	}
	if rc := e.rc("restored/established.rc"); rc != "0" {
		t.Errorf("the SA did not come back with the right site:\n%s", e.read("restored/gw1.sas.txt"))
	}
}

// checkNHRPD records what nhrpd does with Debian's charon. It asserts
// only that the experiment ran; what it found is in the evidence, and
// docs/dmvpn.md says what it means.
func checkNHRPD(t *testing.T, e evidence) {
	for _, r := range []string{"gw1", "gw2", "gw3"} {
		e.contains("nhrpd/"+r+".state.txt", "Iface")
	}
	t.Logf("spoke gw2 registered with the hub: %v (poll rc %s)", e.rc("nhrpd/registered.rc") == "0", e.rc("nhrpd/registered.rc"))
	t.Logf("hub:\n%s", e.read("nhrpd/gw1.state.txt"))
	t.Logf("spoke gw2:\n%s", e.read("nhrpd/gw2.state.txt"))
	t.Logf("nhrpd's log:\n%s", grepLines(e.read("nhrpd/syslog.txt"), "nhrpd", "vici", "NHRP"))
	t.Logf("hub charon's log:\n%s", labtestutil.Tail(e.read("nhrpd/gw1.charon.log"), 60))
	t.Logf("spoke gw2 charon's log:\n%s", labtestutil.Tail(e.read("nhrpd/gw2.charon.log"), 60))
}

// checkFallback: the trap-policy fallback gives spoke-to-spoke SAs; if it
// does not, the static spoke-to-hub fallback must carry the overlay.
func checkFallback(t *testing.T, e evidence) {
	if e.rc("fallback/registered2.rc") != "0" || e.rc("fallback/direct.rc") != "0" {
		t.Logf("the trap-policy fallback failed (registered %s, direct SA %s):\nspoke gw2:\n%s\ncharon:\n%s",
			e.rc("fallback/registered2.rc"), e.rc("fallback/direct.rc"), e.read("fallback/gw2.state.txt"),
			labtestutil.Tail(e.read("fallback/gw2.charon.log"), 60))
		// The brief's fallback: it must carry the overlay instead.
		t.Run("static", func(t *testing.T) { checkStatic(t, e.with(t)) })
		return
	}
	for _, rc := range []string{"fallback/registered2.rc", "fallback/registered3.rc"} {
		if e.rc(rc) != "0" {
			t.Errorf("%s: a spoke did not register with the hub", rc)
		}
	}
	e.contains("fallback/gw1.state.txt", "172.16.0.2", "172.16.0.3", "dynamic")
	e.contains("fallback/gw2.ping.txt", "bytes from 172.16.0.3")
	if e.rc("fallback/direct.rc") != "0" {
		t.Errorf("no direct SA between the spokes:\n%s", e.read("fallback/gw2.state.txt"))
	}
	e.contains("fallback/gw2.state.txt", "198.51.100.1", "TRANSPORT")
	e.contains("fallback/gw2.ping2.txt", " 0% packet loss")
}

// grepLines keeps the lines holding any of words.
func grepLines(s string, words ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

func checkStatic(t *testing.T, e evidence) {
	for _, rc := range []string{"static/registered2.rc", "static/registered3.rc"} {
		if e.rc(rc) != "0" {
			t.Errorf("%s: a spoke did not register with the hub", rc)
		}
	}
	e.contains("static/gw2.ping.txt", "bytes from 172.16.0.3")
	e.contains("static/gw2.state.txt", "192.0.2.1", "TRANSPORT")
}
