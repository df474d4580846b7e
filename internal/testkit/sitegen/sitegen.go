package sitegen

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
)

// DefaultMeshShare is the share of each router's tunnels that go to another
// router when Config.MeshShare is zero; the rest go to AWS peers.
const DefaultMeshShare = 0.4

// DefaultRoutersPerFile is how many routers (with their peers and the
// tunnels they start) one *.hcl file holds when Config.RoutersPerFile is zero.
const DefaultRoutersPerFile = 100

// Limits keep every generated value inside its address pool and every name
// inside its length limit.
const (
	MaxRouters          = 65536 // one 10.x.y.0/24 announce per router
	MaxTunnelsPerRouter = 4096
)

// Config says what to generate. The output is a pure function of it.
type Config struct {
	Routers          int    // number of routers, 1..MaxRouters
	TunnelsPerRouter int    // tunnels per router: each gets vti1..vtiM
	Seed             uint64 // drives keys, AS numbers, descriptions and options

	// MeshShare is the share of each router's tunnels that go to other
	// routers (0: DefaultMeshShare; negative: none, AWS peers only). It is
	// capped so that no two routers share more than one tunnel.
	MeshShare float64

	// RoutersPerFile splits the site over several files (0: default).
	RoutersPerFile int

	// Change is the share of tunnels (0..1) whose description and MTU differ
	// from the Change == 0 site of the same seed: a second revision for
	// measuring vtic diff. At least one tunnel changes when it is above 0.
	Change float64
}

// File is one generated file: a path relative to the site directory with
// forward slashes, its mode and its bytes.
type File struct {
	Path string
	Mode fs.FileMode
	Data []byte
}

// Stats describes a generated site.
type Stats struct {
	Routers, Peers, Tunnels int
	MeshTunnels, AWSTunnels int
	Changed                 int
}

// layout is the shape derived from a Config. On every router, interfaces
// vti1..vti2D carry mesh tunnels (odd: to router i+d, which the router's file
// declares; even: from router i-d) and vti2D+1..vtiM carry AWS tunnels.
type layout struct {
	Config
	mesh    int // D: mesh tunnels each router starts
	aws     int // A: AWS tunnels per router
	width   int // digits in router names
	changed []bool
	markTop uint64 // first mark above every derived one
}

func newLayout(c Config) (*layout, error) {
	if c.Routers < 1 || c.Routers > MaxRouters {
		return nil, fmt.Errorf("routers must be from 1 to %d, not %d", MaxRouters, c.Routers)
	}
	if c.TunnelsPerRouter < 1 || c.TunnelsPerRouter > MaxTunnelsPerRouter {
		return nil, fmt.Errorf("tunnels per router must be from 1 to %d, not %d", MaxTunnelsPerRouter, c.TunnelsPerRouter)
	}
	if c.Change < 0 || c.Change > 1 || math.IsNaN(c.Change) {
		return nil, fmt.Errorf("change must be from 0 to 1, not %v", c.Change)
	}
	if math.IsNaN(c.MeshShare) || c.MeshShare > 1 {
		return nil, fmt.Errorf("mesh share must be at most 1, not %v", c.MeshShare)
	}
	share := c.MeshShare
	switch {
	case share == 0:
		share = DefaultMeshShare
	case share < 0:
		share = 0
	}
	if c.RoutersPerFile <= 0 {
		c.RoutersPerFile = DefaultRoutersPerFile
	}
	l := &layout{Config: c}
	// Router i starts tunnels to i+1..i+D (mod N); 2D < N keeps every pair
	// of routers down to at most one tunnel, so outside pairs stay unique.
	l.mesh = min(int(math.Round(float64(c.TunnelsPerRouter)*share/2)), (c.Routers-1)/2)
	l.aws = c.TunnelsPerRouter - 2*l.mesh
	l.width = max(3, len(fmt.Sprint(c.Routers-1)))
	if n := c.Routers * l.mesh; n > 1<<20 {
		return nil, errors.New("too many mesh tunnels for 100.64.0.0/10")
	}
	l.markTop = 1 << 24 // derived marks of vti1..vti4096 stay below 2^17
	l.changed = make([]bool, l.tunnels())
	if c.Change > 0 {
		n := max(1, int(math.Round(c.Change*float64(len(l.changed)))))
		// A stream of its own, so the base site does not depend on Change.
		r := rand.New(rand.NewPCG(c.Seed, 0xc4a9e))
		for _, i := range r.Perm(len(l.changed))[:n] {
			l.changed[i] = true
		}
	}
	return l, nil
}

func (l *layout) tunnels() int { return l.Routers * (l.mesh + l.aws) }

// rng returns the random stream of one object, so that its values do not
// depend on the order anything else is generated in.
func (l *layout) rng(kind, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(l.Seed, kind<<48|i))
}

const (
	kindRouter = iota + 1
	kindMesh
	kindAWS
	kindVPN
)

func (l *layout) routerName(i int) string { return fmt.Sprintf("r%0*d", l.width, i) }

// routerOutside numbers routers through 198.18.0.0/15, 253 to a /24 (hosts
// .1 to .253), with the gateway at .254.
func routerOutside(i int) (outside, gateway netip.Addr) {
	base := 198<<24 | 18<<16 | uint32(i/253)<<8
	return addr4(base | uint32(i%253+1)), addr4(base | 254)
}

// peerOutside numbers AWS endpoints through 52.0.0.0/8 the same way.
func peerOutside(p int) netip.Addr {
	return addr4(52<<24 | uint32(p/253)<<8 | uint32(p%253+1))
}

func addr4(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// awsInside is the g-th usable /30 of 169.254.0.0/16, skipping the ones AWS
// reserves, modulo the pool: a router's own tunnels never share one. The
// router end gets host .2 and AWS .1, as in AWS's downloads.
func awsInside(g int) (router, peer netip.Prefix) {
	n := awsPool[g%len(awsPool)]
	base := 169<<24 | 254<<16 | uint32(n)<<2
	return netip.PrefixFrom(addr4(base|2), 30), netip.PrefixFrom(addr4(base|1), 30)
}

var awsPool = func() []uint16 {
	reserved := map[int]bool{0: true, 64: true, 128: true, 192: true, 256: true, 320: true, 169*64 + 63: true}
	var pool []uint16
	for n := 0; n < 1<<14; n++ {
		if !reserved[n] {
			pool = append(pool, uint16(n))
		}
	}
	return pool
}()

// meshInside is the /30 of the t-th mesh tunnel in 100.64.0.0/10.
func meshInside(t int) (first, second netip.Prefix) {
	base := 100<<24 | 64<<16 | uint32(t)<<2
	return netip.PrefixFrom(addr4(base|1), 30), netip.PrefixFrom(addr4(base|2), 30)
}

// pskAlphabet is what AWS accepts: letters, digits, '.' and '_'.
const pskAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"

func psk(r *rand.Rand) string {
	n := 24 + r.IntN(41) // 24..64
	b := make([]byte, n)
	b[0] = pskAlphabet[r.IntN(52)] // a letter: never 0
	for i := 1; i < n; i++ {
		b[i] = pskAlphabet[r.IntN(len(pskAlphabet))]
	}
	return string(b)
}

// options picks a few strongSwan options, or none. IKEv1 tunnels (AWS)
// get the IKE options of IKEv1, which lang requires: dpd_timeout works
// with IKEv1 only, and IKEv1 reauthenticates where IKEv2 rekeys.
func options(r *rand.Rand, ikev1 bool) string {
	switch r.IntN(8) {
	case 0:
		if ikev1 {
			return `{ dpd_delay = "10s", dpd_timeout = "30s" }`
		}
		return `{ dpd_delay = "10s" }`
	case 1:
		if ikev1 {
			return `{ reauth_time = "8h", esp_rekey_time = "1h" }`
		}
		return `{ rekey_time = "4h", esp_rekey_time = "1h" }`
	case 2:
		return `{ start_action = "start", close_action = "trap" }`
	}
	return ""
}

// awsASNs are Amazon-side AS numbers a VPN gateway commonly has. Routers use
// 4200000000+i, so a peer never shares its router's AS number.
var awsASNs = []uint64{7224, 64512, 64513, 65000, 65010}

// Generate returns the files of the site described by c, sorted by path.
func Generate(c Config) ([]File, Stats, error) {
	l, err := newLayout(c)
	if err != nil {
		return nil, Stats{}, err
	}
	var files, secrets []File
	st := Stats{Routers: c.Routers}
	perFile := l.RoutersPerFile
	nfiles := (c.Routers + perFile - 1) / perFile
	fileWidth := len(fmt.Sprint(nfiles - 1))
	for f := 0; f < nfiles; f++ {
		lo, hi := f*perFile, min((f+1)*perFile, c.Routers)
		var w strings.Builder
		fmt.Fprintf(&w, "# Synthetic site (vtic sitegen, seed %d): routers %s to %s of %d,\n# %d tunnels each.\n",
			c.Seed, l.routerName(lo), l.routerName(hi-1), c.Routers, c.TunnelsPerRouter)
		for i := lo; i < hi; i++ {
			l.writeRouter(&w, i)
		}
		for i := lo; i < hi; i++ {
			secrets = append(secrets, l.writeTunnels(&w, i, &st)...)
		}
		files = append(files, File{Path: fmt.Sprintf("site-%0*d.hcl", fileWidth, f), Mode: 0o644, Data: []byte(w.String())})
	}
	files = append(files, secrets...)
	sortFiles(files)
	return files, st, nil
}

func sortFiles(files []File) {
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
}

func (l *layout) writeRouter(w *strings.Builder, i int) {
	outside, gw := routerOutside(i)
	fmt.Fprintf(w, "\nrouter %q {\n", l.routerName(i))
	attrs(w, "  ",
		"asn", fmt.Sprint(4200000000+uint64(i)),
		"outside", quote(outside.String()),
		"gateway", quote(gw.String()),
		"announce", fmt.Sprintf("[%q]", fmt.Sprintf("10.%d.%d.0/24", i>>8, i&255)))
	w.WriteString("}\n")
}

// writeTunnels writes the AWS peers of router i and every tunnel it starts,
// and returns their key files.
func (l *layout) writeTunnels(w *strings.Builder, i int, st *Stats) []File {
	var secrets []File
	me := l.routerName(i)
	for d := 1; d <= l.mesh; d++ {
		t := i*l.mesh + d - 1
		j := (i + d) % l.Routers
		name := me + "-" + l.routerName(j)
		r := l.rng(kindMesh, uint64(t))
		a, b := meshInside(t)
		tn := tunnel{
			name:  name,
			mark:  l.markTop + uint64(t),
			mtu:   pick(r, 2, 1400),
			psk:   psk(r),
			desc:  fmt.Sprintf("%s to %s, mesh offset %d", me, l.routerName(j), d),
			opts:  options(r, false),
			off:   r.IntN(50) == 0,
			ends:  [2]end{{me, fmt.Sprintf("vti%d", 2*d-1), a}, {l.routerName(j), fmt.Sprintf("vti%d", 2*d), b}},
			index: i*(l.mesh+l.aws) + d - 1,
		}
		secrets = append(secrets, l.writeTunnel(w, tn, 1380, st))
		st.MeshTunnels++
	}
	for k := 0; k < l.aws; k++ {
		g := i*l.aws + k
		r := l.rng(kindAWS, uint64(g))
		// Two tunnels make one AWS VPN connection: both peers share its AS
		// number and VPN id.
		vpn := l.rng(kindVPN, uint64(g-k%2))
		asn := awsASNs[vpn.IntN(len(awsASNs))]
		vpnID := vpn.Uint32()
		slot := 2*l.mesh + k + 1
		peer := fmt.Sprintf("aws-%s-%d", me, slot)
		fmt.Fprintf(w, "\npeer %q {\n", peer)
		attrs(w, "  ", "provider", `"aws"`, "outside", quote(peerOutside(g).String()), "asn", fmt.Sprint(asn))
		w.WriteString("}\n")
		st.Peers++
		ri, pi := awsInside(g)
		tn := tunnel{
			name:  fmt.Sprintf("%s-aws%d", me, slot),
			mtu:   pick(r, 2, 1436),
			psk:   psk(r),
			desc:  fmt.Sprintf("%s vpn-%08x tunnel %d", me, vpnID, k%2+1),
			opts:  options(r, true),
			off:   r.IntN(50) == 0,
			ends:  [2]end{{me, fmt.Sprintf("vti%d", slot), ri}, {peer, "", pi}},
			index: i*(l.mesh+l.aws) + l.mesh + k,
		}
		secrets = append(secrets, l.writeTunnel(w, tn, 1400, st))
		st.AWSTunnels++
	}
	return secrets
}

// pick returns v one time in n, else 0 (unset).
func pick(r *rand.Rand, n int, v uint64) uint64 {
	if r.IntN(n) == 0 {
		return v
	}
	return 0
}

type end struct {
	name, iface string
	inside      netip.Prefix
}

type tunnel struct {
	name      string
	mark, mtu uint64 // 0: unset
	psk       string
	desc      string
	opts      string
	off       bool
	ends      [2]end
	index     int // in l.changed
}

func (l *layout) writeTunnel(w *strings.Builder, t tunnel, changedMTU uint64, st *Stats) File {
	if l.changed[t.index] {
		t.desc += " (changed)"
		t.mtu = changedMTU
		st.Changed++
	}
	keyPath := "secrets/" + t.name + ".psk"
	var kv []string
	if t.mark != 0 {
		kv = append(kv, "mark", fmt.Sprint(t.mark))
	}
	if t.mtu != 0 {
		kv = append(kv, "mtu", fmt.Sprint(t.mtu))
	}
	kv = append(kv, "psk", fmt.Sprintf("file(%q)", keyPath), "description", quote(t.desc))
	if t.off {
		kv = append(kv, "enabled", "false")
	}
	if t.opts != "" {
		kv = append(kv, "options", t.opts)
	}
	fmt.Fprintf(w, "\ntunnel %q {\n", t.name)
	attrs(w, "  ", kv...)
	for _, e := range t.ends {
		fmt.Fprintf(w, "\n  end %q {\n", e.name)
		if e.iface != "" {
			attrs(w, "    ", "interface", quote(e.iface), "inside", quote(e.inside.String()))
		} else {
			attrs(w, "    ", "inside", quote(e.inside.String()))
		}
		w.WriteString("  }\n")
	}
	w.WriteString("}\n")
	st.Tunnels++
	return File{Path: keyPath, Mode: 0o600, Data: []byte(t.psk + "\n")}
}

// attrs writes key = value lines with the equals signs aligned, as hclfmt
// does.
func attrs(w *strings.Builder, indent string, kv ...string) {
	width := 0
	for i := 0; i < len(kv); i += 2 {
		width = max(width, len(kv[i]))
	}
	for i := 0; i < len(kv); i += 2 {
		fmt.Fprintf(w, "%s%-*s = %s\n", indent, width, kv[i], kv[i+1])
	}
}

func quote(s string) string { return `"` + s + `"` }
