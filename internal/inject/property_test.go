package inject

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/sitegen"
	"github.com/vtic/vtic/lang"
)

// propertySeeds is how many random sites the normal suite checks; set
// VTIC_PROPERTY_SEEDS for a longer run.
const propertySeeds = 5

// TestRandomSitesRender: random valid sites (randomSite) always render
// files that the real programs accept and read back as the site says
// (checkReal), for every router. A site the generator meant to be valid but
// lang refuses fails the test too: either the generator or a rule is wrong.
func TestRandomSitesRender(t *testing.T) {
	n := propertySeeds
	if v, err := strconv.Atoi(os.Getenv("VTIC_PROPERTY_SEEDS")); err == nil && v > 0 {
		n = v
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Parallel()
			s := randomSite(rand.New(rand.NewPCG(seed, 0x5eed)))
			site, plan := s.compileValid(t)
			checkReal(t, site, plan.Hosts)
		})
	}
}

// TestSitegenSiteRenders does the same for a small site of internal/testkit/sitegen,
// the generator of the scale benchmarks.
func TestSitegenSiteRenders(t *testing.T) {
	dir := t.TempDir()
	if _, err := sitegen.WriteSite(dir, sitegen.Config{Routers: 4, TunnelsPerRouter: 4, Seed: 7, RoutersPerFile: 2}); err != nil {
		t.Fatal(err)
	}
	site, diags := lang.LoadDir(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatal(err)
	}
	checkReal(t, site, plan.Hosts)
}

// descAlphabet is what random descriptions are made of: printable text
// including everything that means something to a config parser or a shell.
const descAlphabet = "abcXYZ019 -_.,:/{}[]()#!\"'`\\;$&|<>*?~%=@^+Zürich東京"

// pskAlphabet is printable ASCII; awsAlphabet what AWS accepts.
const (
	pskAlphabet = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	awsAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"
)

func randString(r *rand.Rand, alphabet string, min, max int) string {
	runes := []rune(alphabet)
	var b strings.Builder
	for n := min + r.IntN(max-min+1); n > 0; n-- {
		b.WriteRune(runes[r.IntN(len(runes))])
	}
	return b.String()
}

// randDesc returns a description of at most 80 bytes.
func randDesc(r *rand.Rand) string {
	s := randString(r, descAlphabet, 1, 60)
	for len(s) > 80 {
		_, size := lastRune(s)
		s = s[:len(s)-size]
	}
	return s
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0x80 || s[i] >= 0xc0 {
			return rune(s[i]), len(s) - i
		}
	}
	return 0, 1
}

// Valid option values to pick from, by option.
var optionValues = map[string][]string{
	"rekey_time":     {"1h", "4h", "3600s"},
	"dpd_delay":      {"10s", "30s"},
	"dpd_timeout":    {"60s"},
	"mobike":         {"yes", "no"},
	"fragmentation":  {"yes", "accept", "force", "no"},
	"keyingtries":    {"0", "3"},
	"local_id":       {"me@example.net", "vpn.example.net", "-odd.id"},
	"remote_id":      {"198.51.100.200", "peer@example.org"},
	"proposals":      {"aes256-sha256-modp2048", "aes128gcm16-prfsha256-ecp256,aes256-sha1-modp1024", "default"},
	"esp_proposals":  {"aes256-sha256", "aes128gcm16-modp2048-esn", "chacha20poly1305"},
	"esp_rekey_time": {"1h", "30m"},
	"replay_window":  {"32", "1024"},
	"start_action":   {"none", "trap", "start"},
	"close_action":   {"none", "trap", "start"},
	"dpd_action":     {"clear", "trap", "restart"},
}

// randomSite builds a valid site: 2 to 5 routers, IPv4 or IPv6 outside,
// with or without BGP, announce lists, gateways; AWS, Azure and generic
// peers; tunnels between routers and to peers with random descriptions,
// options, MTUs, explicit or derived marks, disabled ones, and keys from
// files, the environment and the site.
func randomSite(r *rand.Rand) *spec {
	s := &spec{files: map[string][]byte{}, env: map[string]string{}}
	type node struct {
		name   string
		v6     bool
		router bool
		aws    bool
		asn    uint32
	}
	var nodes []node
	for i := range 2 + r.IntN(4) {
		v6 := r.IntN(3) == 0
		rt := router{name: fmt.Sprintf("gw%d.site-%c", i, 'a'+rune(i))}
		if v6 {
			rt.outside = fmt.Sprintf("2001:db8:%x::1", i+1)
		} else {
			rt.outside = fmt.Sprintf("192.0.2.%d", i+1)
		}
		if r.IntN(4) != 0 {
			rt.asn = uint32(65001 + i)
			if v6 {
				rt.routerID = fmt.Sprintf("10.255.0.%d", i+1)
			}
			for k := range r.IntN(3) {
				rt.announce = append(rt.announce, fmt.Sprintf("10.%d.%d.0/24", i+1, k))
			}
			if r.IntN(2) == 0 {
				rt.announce = append(rt.announce, fmt.Sprintf("2001:db8:%x:%x::/64", 100+i, r.IntN(100)))
			}
		}
		if r.IntN(2) == 0 {
			if v6 {
				rt.gateway = fmt.Sprintf("2001:db8:%x::fe", i+1)
			} else {
				rt.gateway = "192.0.2.254"
			}
		}
		s.routers = append(s.routers, rt)
		nodes = append(nodes, node{name: rt.name, v6: v6, router: true, asn: rt.asn})
	}
	for i := range r.IntN(5) {
		p := peer{name: fmt.Sprintf("peer%d", i)}
		v6 := false
		switch r.IntN(3) {
		case 0:
			p.provider = "aws"
			p.asn = []uint32{7224, 64512, 64513}[r.IntN(3)]
		case 1:
			p.provider = "azure"
			p.asn = 65515
			v6 = r.IntN(3) == 0
		default:
			if r.IntN(2) == 0 {
				p.asn = uint32(64700 + i)
			}
			v6 = r.IntN(3) == 0
		}
		if v6 {
			p.outside = fmt.Sprintf("2001:db8:ff::%x", i+1)
		} else {
			p.outside = fmt.Sprintf("198.51.100.%d", i+1)
		}
		s.peers = append(s.peers, p)
		nodes = append(nodes, node{name: p.name, v6: v6, aws: p.provider == "aws", asn: p.asn})
	}

	ifaces := map[string]int{} // next vti number per router
	pairs := map[[2]string]bool{}
	inside4, inside6 := 0, 0
	mark := uint32(100000)
	for t := range 3 + r.IntN(8) {
		a := nodes[r.IntN(len(s.routers))] // the first end is a router
		b := nodes[r.IntN(len(nodes))]
		if a.name == b.name || a.v6 != b.v6 || pairs[[2]string{a.name, b.name}] || pairs[[2]string{b.name, a.name}] {
			continue
		}
		pairs[[2]string{a.name, b.name}] = true
		tn := tunnel{name: fmt.Sprintf("t%d_%s", t, strings.ReplaceAll(b.name, ".", "-"))}
		// Inside addresses: IPv4 link-local /30s clear of AWS's reserved
		// ones, or IPv6 /126s; an AWS tunnel is always IPv4 inside.
		var first, second string
		if b.aws || r.IntN(3) != 0 {
			base := netip.AddrFrom4([4]byte{169, 254, byte(10 + inside4/64), byte(inside4 % 64 * 4)})
			inside4++
			first, second = base.Next().String()+"/30", base.Next().Next().String()+"/30"
		} else {
			inside6++
			first, second = fmt.Sprintf("fd00:%x::1/126", inside6), fmt.Sprintf("fd00:%x::2/126", inside6)
		}
		if r.IntN(2) == 0 {
			first, second = second, first
		}
		ifaces[a.name]++
		tn.ends[0] = end{name: a.name, iface: fmt.Sprintf("vti%d", ifaces[a.name]), inside: first}
		tn.ends[1] = end{name: b.name, inside: second}
		if b.router {
			// The mark derives from the first end's interface, which
			// could clash with a mark derived on b: give one explicitly.
			ifaces[b.name]++
			tn.ends[1].iface = fmt.Sprintf("vti%d", ifaces[b.name])
			if r.IntN(4) == 0 {
				tn.ends[1].iface = fmt.Sprintf("tun-%d.x", t)
			}
			tn.mark = mark
			mark++
		}
		if tn.mark == 0 && r.IntN(3) == 0 {
			tn.mark = mark
			mark++
		}
		if r.IntN(4) != 0 {
			tn.desc = strp(randDesc(r))
		}
		tn.disabled = r.IntN(6) == 0
		if r.IntN(3) == 0 {
			tn.mtu = 1280 + r.IntN(1500)
		}
		// In a fixed order, so that a seed makes one site; and only what
		// the tunnel's IKE version uses (AWS: IKEv1, others IKEv2).
		version := "2"
		if b.aws {
			version = "1"
		}
		for _, key := range slices.Sorted(maps.Keys(optionValues)) {
			values := optionValues[key]
			if r.IntN(6) == 0 {
				v := values[r.IntN(len(values))]
				if only, ok := ikeOnly(key, v); ok && only != version {
					continue
				}
				tn.options = append(tn.options, [2]string{key, v})
			}
		}
		// Keys: AWS's alphabet for AWS peers, printable ASCII otherwise.
		var key string
		if b.aws {
			key = randString(r, awsAlphabet[:52], 1, 1) + randString(r, awsAlphabet, 7, 63)
		} else {
			key = randString(r, pskAlphabet, 8, 100)
		}
		switch r.IntN(3) {
		case 0:
			path := fmt.Sprintf("secrets/%s.psk", tn.name)
			nl := ""
			if r.IntN(2) == 0 {
				nl = "\n"
			}
			s.files[path] = []byte(key + nl)
			tn.psk = "file(" + hclString(path) + ")"
		case 1:
			v := fmt.Sprintf("PSK_%d", t)
			s.env[v] = key
			tn.psk = "env(" + hclString(v) + ")"
		default:
			tn.psk = hclString(key)
		}
		s.tunnels = append(s.tunnels, tn)
	}
	if len(s.tunnels) == 0 {
		return randomSite(r) // every pick clashed; try again
	}
	return s
}
