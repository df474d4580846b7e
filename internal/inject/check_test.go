package inject

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/frr"
	"github.com/vtic/vtic/targets/iptables"
	"github.com/vtic/vtic/targets/swanctl"
	"github.com/vtic/vtic/targets/vtiinit"
)

// expect is what one router's files must make the real programs read,
// worked out from the lang.Site, not from the compiled plan.
type expect struct {
	conns     []string          // connections charon loads, sorted
	secrets   map[string][]byte // secret section → key bytes
	neighbors map[string]string // BGP neighbor address → description line text
	rules     int               // iptables rules
	shell     map[string]map[string]string
}

func expectFor(site *lang.Site, host string) expect {
	r := site.Router(host)
	x := expect{secrets: map[string][]byte{}, neighbors: map[string]string{}, shell: map[string]map[string]string{}}
	for _, t := range site.Tunnels {
		for i, e := range t.Ends {
			if e.Name != host {
				continue
			}
			far := t.Ends[1-i]
			var farOutside lang.Addr
			var farASN lang.Num
			provider := lang.ProviderGeneric
			if fr := site.Router(far.Name); fr != nil {
				farOutside, farASN = fr.Outside, fr.ASN
			} else {
				p := site.Peer(far.Name)
				farOutside, farASN, provider = p.Outside, p.ASN, p.ProviderName()
			}
			bgp := r.ASN.Set && farASN.Set
			if t.IsEnabled() {
				x.conns = append(x.conns, t.Name)
				if t.PSK.Resolved {
					x.secrets["ike-"+t.Name] = t.PSK.Value
				}
				if r.Outside.Addr.Is4() {
					x.rules += 8
					if bgp && far.Inside.Prefix.Addr().Is4() {
						x.rules += 2
					}
				}
			}
			if bgp {
				desc := strings.Join(strings.Fields(t.Description.Value), " ")
				if desc == "" {
					desc = t.Name
				}
				x.neighbors[far.Inside.Prefix.Addr().String()] = desc
			}
			mark, _ := site.MarkOf(t)
			enabled := "yes"
			if !t.IsEnabled() {
				enabled = "no"
			}
			x.shell[t.Name] = map[string]string{
				"VTI_NAME":        t.Name,
				"VTI_DESCRIPTION": t.Description.Value,
				"VTI_INTERFACE":   e.Interface.Value,
				"VTI_ENABLED":     enabled,
				"VTI_MARK":        fmt.Sprint(mark),
				"VTI_OIP_LOCAL":   r.Outside.Addr.String(),
				"VTI_OIP_REMOTE":  farOutside.Addr.String(),
				"VTI_LOCALADDR":   e.Inside.Prefix.String(),
				"VTI_PROVIDER":    provider,
			}
		}
	}
	slices.Sort(x.conns)
	return x
}

var (
	secretSection = regexp.MustCompile(`(?m)^    (ike-\S+) \{\n        id-local = \S+\n        id-remote = \S+\n        secret = 0x([0-9a-f]+)\n    \}$`)
	remoteAS      = regexp.MustCompile(`(?m)^ neighbor (\S+) remote-as [0-9]+$`)
	neighborDesc  = regexp.MustCompile(`(?m)^ neighbor (\S+) description (.*)$`)
)

// checkReal renders the given routers of a site, writes their files and
// feeds them to the real programs. It returns what charon loaded for each
// router.
func checkReal(t *testing.T, site *lang.Site, hosts []*compile.Host) map[string]realcheck.Loaded {
	t.Helper()
	all := map[string]realcheck.Loaded{}
	for _, h := range hosts {
		files, _, err := bundle.Render(h)
		if err != nil {
			t.Fatal(err)
		}
		root := t.TempDir()
		targettest.WriteTree(t, root, files)
		want := expectFor(site, h.Name)
		path := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
		read := func(p string) []byte {
			b, err := os.ReadFile(path(p))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}

		// charon: exactly the enabled tunnels, exactly one secret for each
		// enabled tunnel with a key, and each secret decodes to the key.
		if len(want.secrets) == 0 {
			// realcheck refuses a file that declares secrets when charon
			// holds none; a router without keys to load has such a file.
			if b := read(swanctl.SecretsPath); bytes.Contains(b, []byte("secret =")) {
				t.Errorf("%s: no keys expected, but %s holds one:\n%s", h.Name, swanctl.SecretsPath, b)
			}
			if err := os.Remove(path(swanctl.SecretsPath)); err != nil {
				t.Fatal(err)
			}
		}
		loaded := realcheck.SwanctlLoad(t, path("etc/swanctl"))
		all[h.Name] = loaded
		if d := cmp.Diff(want.conns, loaded.Conns, emptyIsNil); d != "" {
			t.Errorf("%s: connections charon loaded (-want +got):\n%s", h.Name, d)
		}
		var wantSecrets []string
		for name := range want.secrets {
			wantSecrets = append(wantSecrets, name)
		}
		slices.Sort(wantSecrets)
		if d := cmp.Diff(wantSecrets, loaded.Secrets, emptyIsNil); d != "" {
			t.Errorf("%s: secrets charon loaded (-want +got):\n%s", h.Name, d)
		}
		secretsFile := files[secretsIndex(files)].Data
		got := map[string][]byte{}
		for _, m := range secretSection.FindAllSubmatch(secretsFile, -1) {
			key, err := hex.DecodeString(string(m[2]))
			if err != nil {
				t.Fatal(err)
			}
			got[string(m[1])] = key
		}
		if d := cmp.Diff(want.secrets, got, emptyIsNil); d != "" {
			t.Errorf("%s: keys in %s (-want +got):\n%s\n%s", h.Name, swanctl.SecretsPath, d, secretsFile)
		}

		// FRR: vtysh accepts both files; one neighbor per BGP tunnel, each
		// with the description FRR will store.
		realcheck.Vtysh(t, path(frr.BGPPath))
		realcheck.Vtysh(t, path(frr.StaticPath))
		bgpd := read(frr.BGPPath)
		gotDesc := map[string]string{}
		for _, m := range neighborDesc.FindAllSubmatch(bgpd, -1) {
			gotDesc[string(m[1])] = string(m[2])
		}
		if n := len(remoteAS.FindAll(bgpd, -1)); n != len(want.neighbors) {
			t.Errorf("%s: %d neighbors in bgpd.conf, want %d:\n%s", h.Name, n, len(want.neighbors), bgpd)
		}
		if d := cmp.Diff(want.neighbors, gotDesc, emptyIsNil); d != "" {
			t.Errorf("%s: neighbor descriptions (-want +got):\n%s", h.Name, d)
		}

		// iptables: the file restores, and holds one rule set per tunnel.
		saved := realcheck.IptablesApply(t, path(iptables.Path))
		if n := strings.Count(saved, "\n-A VTIC-"); n != want.rules {
			t.Errorf("%s: iptables-save shows %d VTIC rules, want %d:\n%s", h.Name, n, want.rules, saved)
		}

		// dash: every vti.init reads back exactly the intended values.
		for name, vars := range want.shell {
			keys := make([]string, 0, len(vars))
			for k := range vars {
				keys = append(keys, k)
			}
			values := realcheck.ShellSource(t, path(vtiinit.Path(name)), keys...)
			if d := cmp.Diff(vars, values); d != "" {
				t.Errorf("%s: vti.init of %s as dash reads it (-want +got):\n%s", h.Name, name, d)
			}
		}

		// Hidden keys stay in the secrets file.
		for _, f := range files {
			if f.Secret {
				continue
			}
			for name, key := range want.secrets {
				if len(key) >= 8 && (bytes.Contains(f.Data, key) || bytes.Contains(f.Data, []byte(hex.EncodeToString(key)))) {
					t.Errorf("%s: %s shows the key of %s", h.Name, f.Path, name)
				}
			}
		}
	}
	return all
}

var emptyIsNil = cmpopts.EquateEmpty()

func secretsIndex(files []targets.File) int {
	for i, f := range files {
		if f.Path == swanctl.SecretsPath {
			return i
		}
	}
	panic("no " + swanctl.SecretsPath)
}
