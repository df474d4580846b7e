package bundle_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/buildout"
	"github.com/vtic/vtic/internal/testkit/langtest"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bird"
	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/frr"
	"github.com/vtic/vtic/targets/iptables"
	"github.com/vtic/vtic/targets/libreswan"
	"github.com/vtic/vtic/targets/plan"
	"github.com/vtic/vtic/targets/swanctl"
	"github.com/vtic/vtic/targets/vtiinit"
)

// FuzzRender loads arbitrary site directories (the txtar format of lang's
// FuzzLoad, see langtest.SiteDir) and, for every site that validates without
// errors, compiles it and renders every router. Nothing may panic or fail, a
// second render must give the same bytes, and every file must hold what its
// reader expects (checkRendered), judged against the lang.Site rather than
// the compiled plan. Run it with
//
//	go test -run='^$' -fuzz=FuzzRender -fuzztime=20s ./targets/bundle/
func FuzzRender(f *testing.F) {
	langtest.FuzzSites(f, fuzzSeeds(f), func(t *testing.T, dir string, opts lang.Options, data []byte) {
		site, diags := lang.LoadDir(dir, opts)
		if diags.HasErrors() {
			return
		}
		plan, err := compile.Compile(site)
		if err != nil {
			t.Fatalf("a valid site does not compile: %v", err)
		}
		if len(plan.Hosts) != len(site.Routers) {
			t.Fatalf("%d routers compiled into %d hosts", len(site.Routers), len(plan.Hosts))
		}
		for _, h := range plan.Hosts {
			files, m, err := bundle.Render(h)
			if err != nil {
				t.Fatalf("a valid site does not render: %v", err)
			}
			again, m2, err := bundle.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			if !sameFiles(files, again) || !bytes.Equal(m.Encode(), m2.Encode()) {
				t.Fatalf("%s: a second render differs", h.Name)
			}
			checkRendered(t, site, h.Name, files, m)
			checkPlan(t, h, files)
		}
		checkBuildout(t, plan.Hosts, fuzzHash(string(data)))
	})
}

// checkBuildout writes hosts as `vtic build` does and reads each router
// back as `vtic apply --from` does: the reader must accept what the writer
// wrote, giving back the rendered files and the plan, and must refuse the
// build once one byte of any one file is changed. The plan is the one
// exception: changed into another valid plan, it is another build, which
// the reader accepts only when every file is what that plan renders.
// Every file of each router gets its turn; which byte, and which bit of
// it, comes from seed.
func checkBuildout(t *testing.T, hosts []*compile.Host, seed uint64) {
	t.Helper()
	if len(hosts) == 0 {
		return
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, _, err := buildout.Write(out, hosts); err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, h := range hosts {
		dir := filepath.Join(out, h.Name)
		r, err := buildout.ReadRouter(dir, h.Name)
		if err != nil {
			t.Fatalf("%s: the reader refuses what the writer wrote: %v", h.Name, err)
		}
		files, _, err := bundle.Render(h)
		if err != nil {
			t.Fatal(err)
		}
		if !sameFiles(files, r.Files) {
			t.Fatalf("%s: the build reads back as other files", h.Name)
		}
		if d := cmp.Diff(h, r.Host, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})); d != "" {
			t.Fatalf("%s: the build's plan reads back as another host (-compiled +read):\n%s", h.Name, d)
		}
		for _, f := range files {
			seed = seed*6364136223846793005 + 1442695040888963407
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			at, bit := int(seed>>33)%len(f.Data), byte(1)<<(seed>>8%8)
			flipped := append([]byte(nil), f.Data...)
			flipped[at] ^= bit
			if err := os.WriteFile(p, flipped, f.Mode); err != nil {
				t.Fatal(err)
			}
			r2, err := buildout.ReadRouter(dir, h.Name)
			switch {
			case err != nil:
			case f.Path != plan.Path:
				t.Fatalf("%s: the reader accepts %s with byte %d changed from %q to %q", h.Name, f.Path, at, f.Data[at], flipped[at])
			default:
				// A plan that still decodes, to another host, is another
				// build: accepted as long as it renders every file of it
				// (docs/security.md).
				again, _, rerr := bundle.Render(r2.Host)
				if cmp.Diff(h, r2.Host, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})) == "" || rerr != nil || !sameFiles(again, r2.Files) {
					t.Fatalf("%s: the reader accepts the plan with byte %d changed from %q to %q, as the same host or at odds with the files",
						h.Name, at, f.Data[at], flipped[at])
				}
			}
			if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// fuzzHash is a seed for checkBuildout that differs between inputs.
func fuzzHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// checkPlan checks that the plan file reads back as the host it was
// rendered from.
func checkPlan(t *testing.T, h *compile.Host, files []targets.File) {
	t.Helper()
	for _, f := range files {
		if f.Path != plan.Path {
			continue
		}
		got, err := plan.Decode(f.Data)
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		if d := cmp.Diff(h, got, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})); d != "" {
			t.Errorf("%s: the plan file reads back as another host (-compiled +decoded):\n%s", h.Name, d)
		}
		return
	}
	t.Errorf("%s: no %s", h.Name, plan.Path)
}

func sameFiles(a, b []targets.File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path || a[i].Mode != b[i].Mode || a[i].Secret != b[i].Secret || a[i].Internal != b[i].Internal || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

// view is what the site says one router's files must hold.
type view struct {
	router  *lang.Router
	tunnels []*lang.Tunnel // every tunnel with an end on the router
	enabled map[string]bool
	bgp     map[string]bool // tunnels with a BGP session on this router
	v4      map[string]bool // tunnels whose outside addresses are IPv4
}

func siteView(site *lang.Site, host string) view {
	v := view{router: site.Router(host), enabled: map[string]bool{}, bgp: map[string]bool{}, v4: map[string]bool{}}
	for _, t := range site.Tunnels {
		for i, e := range t.Ends {
			if e.Name != host {
				continue
			}
			v.tunnels = append(v.tunnels, t)
			v.enabled[t.Name] = t.IsEnabled()
			v.v4[t.Name] = v.router.Outside.Addr.Is4()
			far := t.Ends[1-i].Name
			var farASN lang.Num
			if r := site.Router(far); r != nil {
				farASN = r.ASN
			} else if p := site.Peer(far); p != nil {
				farASN = p.ASN
			}
			v.bgp[t.Name] = v.router.ASN.Set && farASN.Set
		}
	}
	return v
}

var (
	confName  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	confValue = regexp.MustCompile(`^[A-Za-z0-9.,:/@_|-]+$`)
	confKey   = regexp.MustCompile(`^[a-z][a-z_-]*$`)
)

// checkRendered checks one router's files.
func checkRendered(t *testing.T, site *lang.Site, host string, files []targets.File, m *bundle.Manifest) {
	t.Helper()
	v := siteView(site, host)
	byPath := map[string]targets.File{}
	for i, f := range files {
		byPath[f.Path] = f
		switch {
		case f.Path == "" || path.IsAbs(f.Path) || path.Clean(f.Path) != f.Path || strings.HasPrefix(f.Path, "../") || f.Path == bundle.ManifestName:
			t.Errorf("%s: file path %q is not a clean relative path", host, f.Path)
		case bytes.IndexByte(f.Data, 0) >= 0:
			t.Errorf("%s: %s contains a NUL byte", host, f.Path)
		case !utf8.Valid(f.Data):
			t.Errorf("%s: %s is not UTF-8", host, f.Path)
		case bytes.IndexByte(f.Data, '\r') >= 0:
			t.Errorf("%s: %s contains a carriage return", host, f.Path)
		case len(f.Data) == 0 || f.Data[len(f.Data)-1] != '\n':
			t.Errorf("%s: %s does not end with a newline", host, f.Path)
		}
		if f.Secret != (f.Path == swanctl.SecretsPath || f.Path == libreswan.SecretsPath || f.Path == plan.Path) {
			t.Errorf("%s: %s has Secret = %v", host, f.Path, f.Secret)
		}
		if f.Secret && f.Mode.Perm() != 0o600 {
			t.Errorf("%s: secret file %s has mode %04o", host, f.Path, f.Mode.Perm())
		}
		if !f.Secret {
			for _, key := range []string{langtest.FileKey, langtest.EnvKey} {
				if bytes.Contains(f.Data, []byte(key)) || bytes.Contains(f.Data, []byte(hex.EncodeToString([]byte(key)))) {
					t.Errorf("%s: %s shows a pre-shared key", host, f.Path)
				}
			}
		}
		if f.Internal != (f.Path == plan.Path) {
			t.Errorf("%s: %s has Internal = %v", host, f.Path, f.Internal)
		}
		if i >= len(m.Files) || m.Files[i].Path != f.Path || m.Files[i].Secret != f.Secret || m.Files[i].Mode != f.Mode || m.Files[i].Internal != f.Internal {
			t.Errorf("%s: manifest entry %d does not describe %s", host, i, f.Path)
		}
	}
	if len(m.Files) != len(files) || m.Host != host {
		t.Errorf("%s: manifest for %q lists %d entries for %d files", host, m.Host, len(m.Files), len(files))
	}
	// The files of the router's daemons: strongSwan's three or libreswan's
	// two, FRR's three or BIRD's one, then iptables and the plan.
	libreswanHost := v.router.IKEDaemon() == lang.IKELibreswan
	birdHost := v.router.RoutingDaemon() == lang.RoutingBIRD
	paths := []string{swanctl.ConnsPath, swanctl.SecretsPath, swanctl.SettingsPath}
	if libreswanHost {
		paths = []string{libreswan.ConnsPath, libreswan.SecretsPath}
	}
	if birdHost {
		paths = append(paths, bird.Path)
	} else {
		paths = append(paths, frr.BGPPath, frr.StaticPath, frr.IntegratedPath)
	}
	paths = append(paths, iptables.Path, plan.Path)
	for _, path := range paths {
		if _, ok := byPath[path]; !ok {
			t.Fatalf("%s: no %s", host, path)
		}
	}
	if want := len(paths) + len(v.tunnels); len(files) != want {
		t.Errorf("%s: %d files, want %d (%d + one vti.init for each of %d tunnels)", host, len(files), want, len(paths), len(v.tunnels))
	}
	for _, tn := range v.tunnels {
		f, ok := byPath[vtiinit.Path(tn.Name)]
		if !ok {
			t.Errorf("%s: no vti.init for tunnel %s", host, tn.Name)
			continue
		}
		checkVTIInit(t, v, tn, f.Data)
	}
	checkIptables(t, v, byPath[iptables.Path].Data)
	if !birdHost {
		checkBGP(t, v, byPath[frr.BGPPath].Data)
		checkStatic(t, byPath[frr.StaticPath].Data)
		checkIntegrated(t, host, byPath[frr.IntegratedPath].Data, byPath[frr.BGPPath].Data, byPath[frr.StaticPath].Data)
	}
	if libreswanHost {
		return
	}
	checkConns(t, v, byPath[swanctl.ConnsPath].Data)
	checkSecrets(t, v, byPath[swanctl.SecretsPath].Data)
	if _, err := parseConf(byPath[swanctl.SettingsPath].Data); err != nil {
		t.Errorf("%s: %s: %v", host, swanctl.SettingsPath, err)
	}
}

// confNode is a section of a strongswan.conf-style file.
type confNode struct {
	name     string
	keys     map[string]string
	comments []string
	children []*confNode
}

func (n *confNode) child(name string) *confNode {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// parseConf reads the strongswan.conf subset vtic writes: four spaces of
// indentation per level, and on each line a comment, "NAME {", "}" or
// "key = value" with a value that needs no quoting. Anything else, such as
// text that broke out of a comment, is an error.
func parseConf(data []byte) (*confNode, error) {
	root := &confNode{keys: map[string]string{}}
	stack := []*confNode{root}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		depth := len(stack) - 1
		content := strings.TrimLeft(line, " ")
		indent := len(line) - len(content)
		top := stack[len(stack)-1]
		switch {
		case content == "}":
			if depth == 0 || indent != 4*(depth-1) {
				return nil, fmt.Errorf("line %d: unexpected or misindented }: %q", i+1, line)
			}
			stack = stack[:len(stack)-1]
			continue
		case indent != 4*depth:
			return nil, fmt.Errorf("line %d: indentation %d at depth %d: %q", i+1, indent, depth, line)
		case strings.HasPrefix(content, "#"):
			top.comments = append(top.comments, strings.TrimPrefix(content, "# "))
		case strings.HasSuffix(content, " {") && confName.MatchString(strings.TrimSuffix(content, " {")):
			n := &confNode{name: strings.TrimSuffix(content, " {"), keys: map[string]string{}}
			top.children = append(top.children, n)
			stack = append(stack, n)
		default:
			k, val, ok := strings.Cut(content, " = ")
			if !ok || !confKey.MatchString(k) || !confValue.MatchString(val) {
				return nil, fmt.Errorf("line %d: not a comment, section or plain key = value: %q", i+1, line)
			}
			if _, dup := top.keys[k]; dup {
				return nil, fmt.Errorf("line %d: key %s repeated", i+1, k)
			}
			top.keys[k] = val
		}
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%d sections left open", len(stack)-1)
	}
	return root, nil
}

func checkConns(t *testing.T, v view, data []byte) {
	t.Helper()
	root, err := parseConf(data)
	if err != nil {
		t.Errorf("%s: %s: %v\n%s", v.router.Name, swanctl.ConnsPath, err, data)
		return
	}
	if len(root.children) != 1 || root.children[0].name != "connections" {
		t.Errorf("%s: %s: top level is not one connections section", v.router.Name, swanctl.ConnsPath)
		return
	}
	conns := root.children[0]
	want := map[string]bool{}
	for _, tn := range v.tunnels {
		if tn.IsEnabled() {
			want[tn.Name] = true
		}
	}
	seen := map[string]bool{}
	for _, c := range conns.children {
		if !want[c.name] || seen[c.name] {
			t.Errorf("%s: connection %q is not an enabled tunnel of the router, or repeated", v.router.Name, c.name)
		}
		seen[c.name] = true
		children := c.child("children")
		if children == nil || len(children.children) != 1 || children.children[0].name != c.name {
			t.Errorf("%s: connection %s lacks its one child", v.router.Name, c.name)
		}
		for _, side := range []string{"local", "remote"} {
			if s := c.child(side); s == nil || s.keys["auth"] != "psk" {
				t.Errorf("%s: connection %s: no %s section with auth = psk", v.router.Name, c.name, side)
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%s: %d connections for %d enabled tunnels", v.router.Name, len(seen), len(want))
	}
	for _, tn := range v.tunnels {
		c := conns.child(tn.Name)
		if c == nil {
			continue
		}
		if d := tn.Description; d.Set && d.Value != "" {
			if len(c.comments) == 0 || c.comments[0] != d.Value {
				t.Errorf("%s: connection %s: description comment %q, want %q", v.router.Name, tn.Name, c.comments, d.Value)
			}
		}
	}
}

func checkSecrets(t *testing.T, v view, data []byte) {
	t.Helper()
	root, err := parseConf(data)
	if err != nil {
		t.Errorf("%s: %s: %v", v.router.Name, swanctl.SecretsPath, err)
		return
	}
	if len(root.children) != 1 || root.children[0].name != "secrets" {
		t.Errorf("%s: %s: top level is not one secrets section", v.router.Name, swanctl.SecretsPath)
		return
	}
	secrets := root.children[0]
	n := 0
	for _, tn := range v.tunnels {
		s := secrets.child("ike-" + tn.Name)
		switch {
		case !tn.IsEnabled() || !tn.PSK.Resolved:
			if s != nil {
				t.Errorf("%s: secret for tunnel %s, which is disabled or has no key", v.router.Name, tn.Name)
			}
			continue
		case s == nil:
			t.Errorf("%s: no secret for tunnel %s", v.router.Name, tn.Name)
			continue
		}
		n++
		got, err := hex.DecodeString(strings.TrimPrefix(s.keys["secret"], "0x"))
		if err != nil || !strings.HasPrefix(s.keys["secret"], "0x") || !bytes.Equal(got, tn.PSK.Value) {
			t.Errorf("%s: secret of %s does not decode to its key", v.router.Name, tn.Name)
		}
	}
	if len(secrets.children) != n {
		t.Errorf("%s: %d secrets for %d enabled tunnels with keys", v.router.Name, len(secrets.children), n)
	}
}

// unquoteShell reads back one value written by vtiinit.Quote: single-quoted
// runs joined by \' escapes, nothing else.
func unquoteShell(s string) (string, error) {
	var b strings.Builder
	for s != "" {
		switch {
		case strings.HasPrefix(s, `\'`):
			b.WriteByte('\'')
			s = s[2:]
		case s[0] == '\'':
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				return "", fmt.Errorf("unterminated quote")
			}
			b.WriteString(s[1 : 1+end])
			s = s[2+end:]
		default:
			return "", fmt.Errorf("unquoted text %q", s)
		}
	}
	return b.String(), nil
}

var shellAssign = regexp.MustCompile(`^([A-Z][A-Z0-9_]*)=('.*)$`)

func checkVTIInit(t *testing.T, v view, tn *lang.Tunnel, data []byte) {
	t.Helper()
	vars := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "# ") {
			continue
		}
		m := shellAssign.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s: vti.init of %s line %d is neither a comment nor an assignment: %q", v.router.Name, tn.Name, i+1, line)
			continue
		}
		val, err := unquoteShell(m[2])
		if err != nil {
			t.Errorf("%s: vti.init of %s line %d: %v", v.router.Name, tn.Name, i+1, err)
		}
		vars[m[1]] = val
	}
	enabled := "no"
	if tn.IsEnabled() {
		enabled = "yes"
	}
	var iface string
	for _, e := range tn.Ends {
		if e.Name == v.router.Name {
			iface = e.Interface.Value
		}
	}
	for k, want := range map[string]string{"VTI_NAME": tn.Name, "VTI_DESCRIPTION": tn.Description.Value, "VTI_INTERFACE": iface, "VTI_ENABLED": enabled} {
		if got, ok := vars[k]; !ok || got != want {
			t.Errorf("%s: vti.init of %s: %s = %q, want %q", v.router.Name, tn.Name, k, got, want)
		}
	}
}

// bgpLine lists the line shapes bgpd.conf may hold; a description is the
// only free text and must be the last thing on its line.
var bgpLine = regexp.MustCompile(`^(!.*|router bgp [0-9]+| bgp router-id \S+| no bgp default ipv4-unicast| neighbor \S+ (remote-as [0-9]+|description \S.*|update-source \S+|timers [0-9]+ [0-9]+|shutdown)| !| address-family ipv[46] unicast|  network \S+|  neighbor \S+ (activate|route-map VTIC-IN(-[A-Za-z0-9._-]+-IPV[46])? in|route-map VTIC-OUT(-[A-Za-z0-9._-]+)?-IPV[46] out|maximum-prefix [0-9]+)| exit-address-family|exit|ipv?6? ?prefix-list VTIC-(ANNOUNCE|ACCEPT)(-[A-Za-z0-9._-]+)?-IPV[46] seq [0-9]+ (permit \S+( ge [0-9]+)?( le [0-9]+)?|deny \S+ le [0-9]+)|route-map VTIC-(OUT-IPV[46]|IN|(IN|OUT)-[A-Za-z0-9._-]+-IPV[46]) permit 10| match ipv?6? ?address prefix-list \S+| set local-preference [0-9]+| set as-path prepend [0-9]+( [0-9]+)*| set metric [0-9]+)$`)

var remoteAS = regexp.MustCompile(`(?m)^ neighbor \S+ remote-as [0-9]+$`)

func checkBGP(t *testing.T, v view, data []byte) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !bgpLine.MatchString(line) {
			t.Errorf("%s: bgpd.conf line %d has an unexpected shape: %q", v.router.Name, i+1, line)
		}
	}
	want := 0
	for _, tn := range v.tunnels {
		if v.bgp[tn.Name] {
			want++
		}
	}
	if got := len(remoteAS.FindAll(data, -1)); got != want {
		t.Errorf("%s: bgpd.conf has %d neighbors, want %d", v.router.Name, got, want)
	}
}

var staticLine = regexp.MustCompile(`^(!.*|ipv?6? route \S+ \S+( [0-9]+)?)$`)

func checkStatic(t *testing.T, data []byte) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !staticLine.MatchString(line) {
			t.Errorf("staticd.conf line %d has an unexpected shape: %q", i+1, line)
		}
	}
}

// checkIntegrated checks that frr.conf configures exactly what bgpd.conf
// and staticd.conf do, after Debian's two settings.
func checkIntegrated(t *testing.T, host string, integrated, bgp, static []byte) {
	t.Helper()
	config := func(data []byte) string {
		var b strings.Builder
		for _, l := range strings.SplitAfter(string(data), "\n") {
			if s := strings.TrimSpace(l); s != "" && !strings.HasPrefix(s, "!") {
				b.WriteString(l)
			}
		}
		return b.String()
	}
	want := "log syslog informational\nservice integrated-vtysh-config\n" + config(bgp) + config(static)
	if got := config(integrated); got != want {
		t.Errorf("%s: frr.conf configures\n%s\nwant\n%s", host, got, want)
	}
}

var iptablesLine = regexp.MustCompile(`^(#.*|\*(filter|mangle)|:VTIC-[A-Z-]+ - \[0:0\]|COMMIT|-A VTIC-[A-Z-]+( [-!A-Za-z0-9.,:/_]+)+)$`)

func checkIptables(t *testing.T, v view, data []byte) {
	t.Helper()
	rules := 0
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !iptablesLine.MatchString(line) {
			t.Errorf("%s: iptables.rules line %d has an unexpected shape: %q", v.router.Name, i+1, line)
		}
		if strings.HasPrefix(line, "-A ") {
			rules++
		}
	}
	want := 0
	for _, tn := range v.tunnels {
		if !tn.IsEnabled() || !v.v4[tn.Name] {
			continue
		}
		want += 3 + 1 + 2 + 2 // IKE, NAT-T, ESP; ICMP; forward in and out; MSS twice
		if v.bgp[tn.Name] && bgpNeighbor4(tn, v.router.Name) {
			want += 2
		}
	}
	if rules != want {
		t.Errorf("%s: iptables.rules has %d rules, want %d", v.router.Name, rules, want)
	}
}

// bgpNeighbor4 reports whether the far end's inside address is IPv4.
func bgpNeighbor4(tn *lang.Tunnel, host string) bool {
	for _, e := range tn.Ends {
		if e.Name != host {
			return e.Inside.Prefix.Addr().Is4()
		}
	}
	return false
}

// fuzzSeeds returns the examples, lang's base site with each rule fixture
// that loads without errors laid over it, and sites that exercise the hidden
// keys, disabled tunnels and descriptions full of syntax.
func fuzzSeeds(t testing.TB) [][]byte {
	t.Helper()
	root := filepath.Join("..", "..")
	var seeds [][]byte
	examples, _ := filepath.Glob(filepath.Join(root, "examples", "*"))
	for _, dir := range examples {
		if ar := langtest.DirArchive(t, dir); len(ar.Files) > 0 {
			seeds = append(seeds, txtar.Format(ar))
		}
	}
	base := langtest.DirArchive(t, filepath.Join(root, "lang", "testdata", "base"))
	seeds = append(seeds, txtar.Format(base))
	fixtures, _ := filepath.Glob(filepath.Join(root, "lang", "testdata", "rules", "*", "ok-*.txtar"))
	for _, name := range fixtures {
		fx, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, txtar.Format(langtest.Overlay(fx, base)))
	}
	seeds = append(seeds, []byte(`-- site.hcl --
router "a" {
  asn      = 65001
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.1.0.0/16", "2001:db8:1::/48"]
}
router "c" {
  asn     = 65003
  outside = "192.0.2.3"
}
peer "b" {
  provider = "aws"
  asn      = 64512
  outside  = "198.51.100.2"
}
peer "z" {
  provider = "azure"
  asn      = 65515
  outside  = "198.51.100.9"
}
tunnel "t" {
  psk         = file("secrets/fixed.psk")
  description = "a {b} # \"c\" \\ ; $(d) `+"`e`"+` 'f' !g"
  options     = { dpd_delay = "20s", esp_proposals = "aes128-sha1", local_id = "me@example.com" }
  end "a" {
    interface = "vti1"
    inside    = "169.254.1.1/30"
  }
  end "b" {
    inside = "169.254.1.2/30"
  }
}
tunnel "u.v_w-x" {
  psk     = env("FUZZ_PSK")
  enabled = false
  mark    = 77
  end "a" {
    interface = "vti2"
    inside    = "fd00::1/127"
  }
  end "c" {
    interface = "wg-x.1"
    inside    = "fd00::0/127"
  }
}
tunnel "z1" {
  psk = env("PSK")
  mtu = 1400
  end "c" {
    interface = "vti9"
    inside    = "169.254.7.1/30"
  }
  end "z" {
    inside = "169.254.7.2/30"
  }
}
`), []byte(`allow-unresolved
-- site.hcl --
router "a" {
  asn       = 65001
  router_id = "10.0.0.1"
  outside   = "2001:db8::1"
}
peer "b" {
  asn     = 65002
  outside = "2001:db8::2"
}
tunnel "t" {
  psk         = env("NOT_SET")
  description = " "
  end "a" {
    interface = "vti1"
    inside    = "169.254.1.1/31"
  }
  end "b" {
    inside = "169.254.1.0/31"
  }
}
`))
	return seeds
}

// FuzzRenderValues puts fuzzed text straight into the values a user
// writes, in a site that is otherwise valid, so that the fuzzer spends its
// time on what reaches the files rather than on HCL syntax: the tunnel
// name, description, interface name, local_id and the key (from the
// environment, so any bytes). Sites that validate must render and pass
// checkRendered.
func FuzzRenderValues(f *testing.F) {
	f.Add("t1", "a {b} # \"c\" \\ ; $(d) `e` 'f'", "vti1", "me@example.net", []byte("K3y.secret.value"))
	f.Add("x.y_z-0", "   ", "eth0.100", "-", []byte("        "))
	f.Add("t", "Zürich — 東京", "vti9", "a:b", []byte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"))
	f.Fuzz(func(t *testing.T, name, desc, iface, localID string, key []byte) {
		src := fmt.Sprintf(`router "r1" {
  asn     = 65001
  outside = "192.0.2.1"
}
peer "p1" {
  asn     = 65002
  outside = "198.51.100.1"
}
tunnel %s {
  psk         = env("KEY")
  description = %s
  mark        = 7
  options     = { local_id = %s }
  end "r1" {
    interface = %s
    inside    = "169.254.1.1/30"
  }
  end "p1" {
    inside = "169.254.1.2/30"
  }
}
`, hclQuote(name), hclQuote(desc), hclQuote(localID), hclQuote(iface))
		dir := t.TempDir()
		site, diags := lang.LoadDir(dir, lang.Options{
			Sources:   map[string][]byte{filepath.Join(dir, "site.hcl"): []byte(src)},
			LookupEnv: func(string) (string, bool) { return string(key), true },
		})
		if diags.HasErrors() {
			return
		}
		// HCL normalizes strings to NFC, so the description may differ
		// from desc; checkRendered compares the files with the decoded one.
		if len(site.Tunnels) != 1 || site.Tunnels[0].Name != name {
			t.Fatalf("the site did not decode to the values written:\n%s", src)
		}
		plan, err := compile.Compile(site)
		if err != nil {
			t.Fatalf("a valid site does not compile: %v", err)
		}
		for _, h := range plan.Hosts {
			files, m, err := bundle.Render(h)
			if err != nil {
				t.Fatalf("a valid site does not render: %v", err)
			}
			checkRendered(t, site, h.Name, files, m)
			checkPlan(t, h, files)
		}
		checkBuildout(t, plan.Hosts, fuzzHash(src+string(key)))
	})
}

// hclQuote writes s as an HCL string literal that decodes to s, or to an
// error when s is not UTF-8.
func hclQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteByte(s[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
