package inject

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
)

// keywords is strongSwan 5.9's proposal keyword table, written out apart
// from lang's so that the two can disagree, plus near misses.
var keywords = strings.Fields(`
null des 3des aes aes128 aes192 aes256 aes128ctr aes192ctr aes256ctr
aes128ccm8 aes128ccm64 aes128ccm12 aes128ccm96 aes128ccm16 aes128ccm128 aes128ccm
aes256ccm16 aes192gcm8 aes256gcm12 aes128gcm16 aes256gcm16 aes256gcm128 aes256gcm
aes128gmac aes192gmac aes256gmac chacha20poly1305 chacha20poly1305compat
blowfish blowfish256 camellia camellia192 camellia128ctr camellia256ccm12 camellia128ccm128 cast128
serpent serpent256 twofish twofish192
sha sha1 sha1_160 sha256 sha2_256 sha256_96 sha2_256_96 sha384 sha2_384 sha512 sha2_512 md5 md5_128
aesxcbc camelliaxcbc aescmac
prfsha1 prfsha256 prfsha384 prfsha512 prfmd5 prfaesxcbc prfcamelliaxcbc prfaescmac
modpnone modpnull modp768 modp1024 modp1536 modp2048 modp3072 modp4096 modp6144 modp8192
ecp192 ecp224 ecp256 ecp384 ecp521 modp1024s160 modp2048s224 modp2048s256
ecp224bp ecp256bp ecp384bp ecp512bp curve25519 x25519 curve448 x448
ntru112 ntru256 newhope128 esn noesn default
aes265 sha265 modp2049 ecp255 aes256gcm17 prfsha2 aesgcm16 sha3_256 md4 sm4cbc ooooooooooo
`)

// TestProposalsAgreeWithCharon: every proposals and esp_proposals value
// that lang accepts, charon loads, and every one lang refuses, charon
// refuses too. The values combine each keyword with others so that the
// rules about what a proposal must hold are exercised, not only the
// keyword list.
func TestProposalsAgreeWithCharon(t *testing.T) {
	require.Root(t, "swanctl", "unshare", "mount")
	var cands []candidate
	for _, k := range keywords {
		for _, v := range []string{k, "aes256-sha256-modp2048-" + k, "aes256gcm16-modp2048-" + k, k + "-sha256-ecp256", "aes128-" + k + "-modp2048", "aes256-sha256-modp2048," + k} {
			cands = append(cands, candidate{ike: true, value: v})
		}
		for _, v := range []string{k, "aes256-" + k, "aes256gcm16-" + k, k + "-sha256", "aes256gcm16," + k} {
			cands = append(cands, candidate{value: v})
		}
	}
	langVerdicts(t, cands)
	refused := charonRefuses(t, cands)
	accepted := 0
	for i, c := range cands {
		if c.langOK {
			accepted++
		}
		if c.langOK == refused[i] {
			t.Errorf("%s = %q: lang accepts %v, charon accepts %v (%s)", c.key(), c.value, c.langOK, !refused[i], c.why)
		}
	}
	t.Logf("%d values, %d accepted by both", len(cands), accepted)
	if accepted < len(cands)/4 || accepted > len(cands)*3/4 {
		t.Errorf("%d of %d values accepted: the candidates do not probe both sides", accepted, len(cands))
	}
}

type candidate struct {
	ike    bool
	value  string
	langOK bool
	why    string
}

func (c candidate) key() string {
	if c.ike {
		return "proposals"
	}
	return "esp_proposals"
}

// langVerdicts loads a site with each value and records whether lang
// accepts it.
func langVerdicts(t *testing.T, cands []candidate) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range cands {
		wg.Add(1)
		sem <- struct{}{}
		go func(c *candidate) {
			defer func() { <-sem; wg.Done() }()
			s := baseSpec()
			s.tunnels[1].options = [][2]string{{c.key(), c.value}}
			_, diags := s.load(t)
			c.langOK = !diags.HasErrors()
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					c.why = d.Summary + ": " + d.Detail
				}
			}
		}(&cands[i])
	}
	wg.Wait()
}

var failedConn = regexp.MustCompile(`loading connection 'c([0-9]+)' failed`)

// charonRefuses loads one connection per value into a real charon and
// returns which ones it refused.
func charonRefuses(t *testing.T, cands []candidate) []bool {
	var b strings.Builder
	b.WriteString("connections {\n")
	for i, c := range cands {
		ike, esp := "default", "default"
		if c.ike {
			ike = c.value
		} else {
			esp = c.value
		}
		fmt.Fprintf(&b, "  c%d {\n    local_addrs = 192.0.2.1\n    remote_addrs = 192.0.2.2\n    proposals = %s\n", i, ike)
		fmt.Fprintf(&b, "    local {\n      auth = psk\n    }\n    remote {\n      auth = psk\n    }\n")
		fmt.Fprintf(&b, "    children {\n      c%d {\n        esp_proposals = %s\n      }\n    }\n  }\n", i, esp)
	}
	b.WriteString("}\n")
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "conf.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "conf.d", "p.conf"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	var loaded []string
	r.run(func(tb testing.TB) { loaded = realcheck.SwanctlLoad(tb, dir).Conns })
	if r.skipped != "" {
		t.Skip(r.skipped)
	}
	refused := make([]bool, len(cands))
	if !r.failed {
		if len(loaded) != len(cands) {
			t.Fatalf("charon loaded %d of %d connections without complaint", len(loaded), len(cands))
		}
		return refused
	}
	n := 0
	for _, m := range failedConn.FindAllStringSubmatch(r.msg, -1) {
		var i int
		fmt.Sscan(m[1], &i)
		refused[i] = true
		n++
	}
	if n == 0 {
		t.Fatalf("swanctl failed without naming a connection:\n%s", r.msg)
	}
	return refused
}

// recorder is a testing.TB that records a failure instead of failing, so a
// realcheck checker's verdict can be examined.
type recorder struct {
	testing.TB
	mu      sync.Mutex
	failed  bool
	skipped string
	msg     string
}

func (r *recorder) note(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	r.msg += s + "\n"
}

func (r *recorder) Error(args ...any)                 { r.note(fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) { r.note(fmt.Sprintf(format, args...)) }
func (r *recorder) Fatal(args ...any)                 { r.note(fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.note(fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) FailNow() { r.note("FailNow"); runtime.Goexit() }
func (r *recorder) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *recorder) Skipf(format string, args ...any) { r.Skip(fmt.Sprintf(format, args...)) }

// run calls check on its own goroutine, so Goexit ends only the check.
func (r *recorder) run(check func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
}
