package inject

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// spec is a site to write as HCL. Strings are the values to end up in the
// site after HCL decoding; hclString escapes them on the way out.
type spec struct {
	routers []router
	peers   []peer
	tunnels []tunnel
	files   map[string][]byte // other files of the site directory, such as secrets/x.psk
	env     map[string]string // what env() sees
	opts    lang.Options      // AllowUnresolvedSecrets
}

type router struct {
	name, outside, routerID, gateway string
	asn                              uint32 // 0: none
	announce                         []string
}

type peer struct {
	name, provider, outside string
	asn                     uint32
}

type tunnel struct {
	name     string
	psk      string // an HCL expression, such as file("secrets/x.psk")
	desc     *string
	disabled bool
	mark     uint32 // 0: derived from the interface
	mtu      int
	options  [][2]string
	ends     [2]end
}

type end struct {
	name, iface, inside string // iface "" on a peer end
}

func strp(s string) *string { return &s }

// hclString quotes s as an HCL string literal that decodes to s. Bytes that
// are not UTF-8 are written raw, so HCL sees them as the user's file would
// hold them.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(s[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r) // $${ and %%{ are a literal ${ and %{
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// hcl renders the site's one file.
func (s *spec) hcl() []byte {
	var b strings.Builder
	attr := func(k, v string) { fmt.Fprintf(&b, "  %s = %s\n", k, v) }
	for _, r := range s.routers {
		fmt.Fprintf(&b, "router %s {\n", hclString(r.name))
		if r.asn != 0 {
			attr("asn", fmt.Sprint(r.asn))
		}
		attr("outside", hclString(r.outside))
		if r.routerID != "" {
			attr("router_id", hclString(r.routerID))
		}
		if r.gateway != "" {
			attr("gateway", hclString(r.gateway))
		}
		if len(r.announce) > 0 {
			q := make([]string, len(r.announce))
			for i, p := range r.announce {
				q[i] = hclString(p)
			}
			attr("announce", "["+strings.Join(q, ", ")+"]")
		}
		b.WriteString("}\n\n")
	}
	for _, p := range s.peers {
		fmt.Fprintf(&b, "peer %s {\n", hclString(p.name))
		if p.provider != "" {
			attr("provider", hclString(p.provider))
		}
		attr("outside", hclString(p.outside))
		if p.asn != 0 {
			attr("asn", fmt.Sprint(p.asn))
		}
		b.WriteString("}\n\n")
	}
	for _, t := range s.tunnels {
		fmt.Fprintf(&b, "tunnel %s {\n", hclString(t.name))
		attr("psk", t.psk)
		if t.desc != nil {
			attr("description", hclString(*t.desc))
		}
		if t.disabled {
			attr("enabled", "false")
		}
		if t.mark != 0 {
			attr("mark", fmt.Sprint(t.mark))
		}
		if t.mtu != 0 {
			attr("mtu", fmt.Sprint(t.mtu))
		}
		if len(t.options) > 0 {
			b.WriteString("  options = {\n")
			for _, o := range t.options {
				fmt.Fprintf(&b, "    %s = %s\n", o[0], hclString(o[1]))
			}
			b.WriteString("  }\n")
		}
		for _, e := range t.ends {
			fmt.Fprintf(&b, "  end %s {\n", hclString(e.name))
			if e.iface != "" {
				fmt.Fprintf(&b, "    interface = %s\n", hclString(e.iface))
			}
			fmt.Fprintf(&b, "    inside    = %s\n", hclString(e.inside))
			b.WriteString("  }\n")
		}
		b.WriteString("}\n\n")
	}
	return []byte(b.String())
}

// write puts the site into a new directory and returns it.
func (s *spec) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{"site.hcl": s.hcl()}
	for name, data := range s.files {
		files[name] = data
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// load writes and loads the site.
func (s *spec) load(t *testing.T) (*lang.Site, hcl.Diagnostics) {
	t.Helper()
	opts := s.opts
	opts.LookupEnv = func(name string) (string, bool) {
		v, ok := s.env[name]
		return v, ok
	}
	return lang.LoadDir(s.write(t), opts)
}

// compileValid loads a site that must be valid and compiles it.
func (s *spec) compileValid(t *testing.T) (*lang.Site, *compile.Plan) {
	t.Helper()
	site, diags := s.load(t)
	if diags.HasErrors() {
		t.Fatalf("the site has errors:\n%s\n--- site.hcl\n%s", diags.Error(), s.hcl())
	}
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatal(err)
	}
	return site, plan
}
