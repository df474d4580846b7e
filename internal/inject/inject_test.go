package inject

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/compile"
)

// payload is hostile text. The value goes into a field as "a"+s+"b" unless
// bare is set.
type payload struct {
	name string
	s    string
	bare bool
}

var payloads = []payload{
	{name: "newline", s: "\nexit 0\n"},
	{name: "carriage-return", s: "\r"},
	{name: "close-brace", s: " }"},
	{name: "open-brace", s: " { x"},
	{name: "hash", s: " # x"},
	{name: "quote", s: `"x"`},
	{name: "backslash", s: `\`},
	{name: "semicolon", s: "; reboot"},
	{name: "subshell", s: "$(touch /tmp/vtic-pwned)"},
	{name: "backtick", s: "`touch /tmp/vtic-pwned`"},
	{name: "single-quote", s: "'x'"},
	{name: "interpolation", s: "${x}%{y}"},
	{name: "bang", s: "! x"},
	{name: "spaces", s: "   ", bare: true},
	{name: "leading-dash", s: "-x", bare: true},
	{name: "nul", s: "\x00"},
	{name: "not-utf8", s: "\xff\xfe"},
	{name: "overlong", s: strings.Repeat("o", 300), bare: true},
}

func (p payload) value() string {
	if p.bare {
		return p.s
	}
	return "a" + p.s + "b"
}

// Summaries of the diagnostics that refuse an injection.
const (
	badEncoding    = "Invalid character encoding" // HCL itself, for a site file that is not UTF-8
	badName        = "Invalid name"
	badDescription = "Invalid description"
	longDesc       = "Description too long"
	badInterface   = "Invalid interface name"
	badOption      = "Invalid option value"
	badKey         = "Invalid pre-shared key"
	unreadableKey  = "Cannot read secret file"
)

// field is a place in the site that a payload can go.
type field struct {
	name string
	// set puts v into the tunnel s.tunnels[i] (a tunnel of specWith), or
	// into what it names.
	set func(s *spec, i int, v string)
	// want returns the summary that refuses payload p, or "" when the
	// site is valid and every program must read the value back.
	want func(p payload) string
}

// specWith returns a site with n tunnels to inject into: s.tunnels[1+j]
// joins router r1 and peer p<j>, with its key in $X<j>_PSK. The tunnel ok
// joins r1 and r2 and keeps its key in a file.
func specWith(n int) *spec {
	s := &spec{
		routers: []router{
			{name: "r1", asn: 65001, outside: "192.0.2.1", gateway: "192.0.2.254", announce: []string{"10.1.0.0/16"}},
			{name: "r2", asn: 65002, outside: "192.0.2.2"},
		},
		tunnels: []tunnel{
			{name: "ok", psk: `file("secrets/ok.psk")`, ends: [2]end{{"r1", "vti1", "169.254.10.1/30"}, {"r2", "vti1", "169.254.10.2/30"}}},
		},
		files: map[string][]byte{"secrets/ok.psk": []byte("K3y.ok.from.file.1\n")},
		env:   map[string]string{},
	}
	for j := 0; j < n; j++ {
		name := fmt.Sprintf("p%d", j)
		s.peers = append(s.peers, peer{name: name, asn: 65003, outside: fmt.Sprintf("198.51.100.%d", j+1)})
		s.env[fmt.Sprintf("X%d_PSK", j)] = fmt.Sprintf("K3y.x%d.from.env", j)
		s.tunnels = append(s.tunnels, tunnel{
			name: fmt.Sprintf("x%d", j), psk: fmt.Sprintf(`env("X%d_PSK")`, j), desc: strp("tunnel x"), mark: uint32(50 + j),
			options: [][2]string{{"local_id", "r1.example.net"}, {"dpd_delay", "20s"}, {"esp_proposals", "aes256-sha256"}},
			ends:    [2]end{{"r1", fmt.Sprintf("vti%d", 10+j), fmt.Sprintf("169.254.%d.1/30", 20+j)}, {name, "", fmt.Sprintf("169.254.%d.2/30", 20+j)}},
		})
	}
	return s
}

// sameExcept returns a want function: def for every payload, except those
// listed.
func sameExcept(def string, except map[string]string) func(payload) string {
	return func(p payload) string {
		if w, ok := except[p.name]; ok {
			return w
		}
		return def
	}
}

// printable lists the payloads that are printable text.
var printable = []string{"close-brace", "open-brace", "hash", "quote", "backslash", "semicolon", "subshell",
	"backtick", "single-quote", "interpolation", "bang", "spaces", "leading-dash", "overlong"}

func accepting(names []string, rest string, except map[string]string) func(payload) string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = ""
	}
	for k, v := range except {
		m[k] = v
	}
	return sameExcept(rest, m)
}

var fields = []field{
	{name: "router-name", want: sameExcept(badName, map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) { renameEndpoint(s, "r1", v) }},
	{name: "peer-name", want: sameExcept(badName, map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) { renameEndpoint(s, s.tunnels[i].ends[1].name, v) }},
	{name: "tunnel-name", want: sameExcept(badName, map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) { s.tunnels[i].name = v }},
	{name: "description", want: accepting(printable, badDescription, map[string]string{"not-utf8": badEncoding, "overlong": longDesc}),
		set: func(s *spec, i int, v string) { s.tunnels[i].desc = &v }},
	{name: "interface", want: sameExcept(badInterface, map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) { s.tunnels[i].ends[0].iface = v }},
	// An identity may start with '-': it is a value, never an option.
	{name: "option-local_id", want: sameExcept(badOption, map[string]string{"not-utf8": badEncoding, "leading-dash": ""}),
		set: func(s *spec, i int, v string) { s.tunnels[i].options[0][1] = v }},
	{name: "option-dpd_delay", want: sameExcept(badOption, map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) { s.tunnels[i].options[1][1] = v }},
	{name: "option-esp_proposals", want: sameExcept(badOption, map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) { s.tunnels[i].options[2][1] = v }},
	{name: "psk-file", want: accepting(printable, badKey, nil),
		set: func(s *spec, i int, v string) {
			path := fmt.Sprintf("secrets/x%d.psk", i)
			s.files[path] = []byte("K3y.secret." + v)
			s.tunnels[i].psk = "file(" + hclString(path) + ")"
		}},
	{name: "psk-env", want: accepting(printable, badKey, nil),
		set: func(s *spec, i int, v string) { s.env[fmt.Sprintf("X%d_PSK", i-1)] = "K3y.secret." + v }},
	{name: "psk-inline", want: accepting(printable, badKey, map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) { s.tunnels[i].psk = hclString("K3y.secret." + v) }},
	// The key file exists (where a file of that name can exist): the path
	// only has to find it.
	{name: "file-path", want: accepting(printable, "", map[string]string{"not-utf8": badEncoding, "nul": unreadableKey, "overlong": unreadableKey}),
		set: func(s *spec, i int, v string) {
			path := "secrets/x" + v + ".psk"
			if !strings.Contains(v, "\x00") && len(v) < 200 {
				s.files[path] = []byte(fmt.Sprintf("K3y.x%d.path", i))
			}
			s.tunnels[i].psk = "file(" + hclString(path) + ")"
		}},
	// Unresolved keys (vtic diff): the path or variable name is written
	// into the secrets file's comment in place of the key.
	{name: "file-path-unresolved", want: sameExcept("", map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) {
			s.opts.AllowUnresolvedSecrets = true
			s.tunnels[i].psk = "file(" + hclString("secrets/missing"+v) + ")"
		}},
	{name: "env-name-unresolved", want: sameExcept("", map[string]string{"not-utf8": badEncoding}),
		set: func(s *spec, i int, v string) {
			s.opts.AllowUnresolvedSecrets = true
			s.tunnels[i].psk = "env(" + hclString("MISSING"+v) + ")"
		}},
}

func renameEndpoint(s *spec, from, to string) {
	for i := range s.routers {
		if s.routers[i].name == from {
			s.routers[i].name = to
		}
	}
	for i := range s.peers {
		if s.peers[i].name == from {
			s.peers[i].name = to
		}
	}
	for i := range s.tunnels {
		for j := range s.tunnels[i].ends {
			if s.tunnels[i].ends[j].name == from {
				s.tunnels[i].ends[j].name = to
			}
		}
	}
}

// TestInjection puts every payload into every field. A refused value must
// draw the expected error and compile nothing. The accepted values of a
// field go into one site, a tunnel each, which must be valid and reach the
// real programs intact (checkReal): exactly the connections, secrets,
// neighbors and rules the site declares, and each value read back as
// written.
func TestInjection(t *testing.T) {
	for _, f := range fields {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			var accepted []payload
			for _, p := range payloads {
				want := f.want(p)
				if want == "" {
					accepted = append(accepted, p)
				}
				t.Run(p.name, func(t *testing.T) {
					s := specWith(1)
					f.set(s, 1, p.value())
					site, diags := s.load(t)
					checkNoKeys(t, s, diags)
					switch {
					case want != "" && !hasError(diags, want):
						t.Errorf("want the error %q, got:\n%s\n--- site.hcl\n%s", want, describe(diags), s.hcl())
					case want != "":
						if _, err := compile.Compile(site); err == nil {
							t.Error("a site with errors compiled")
						}
					case diags.HasErrors():
						t.Errorf("want the site accepted, got:\n%s\n--- site.hcl\n%s", describe(diags), s.hcl())
					}
				})
			}
			if len(accepted) == 0 || t.Failed() {
				return
			}
			s := specWith(len(accepted))
			for j, p := range accepted {
				f.set(s, 1+j, p.value())
			}
			site, plan := s.compileValid(t)
			// Only r1 has the injected tunnels.
			checkReal(t, site, []*compile.Host{plan.Host("r1")})
		})
	}
}

func hasError(diags hcl.Diagnostics, summary string) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Summary == summary {
			return true
		}
	}
	return false
}

func describe(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "  %s\n", d.Error())
	}
	return b.String()
}

// checkNoKeys checks that no diagnostic shows a key of the site.
func checkNoKeys(t *testing.T, s *spec, diags hcl.Diagnostics) {
	t.Helper()
	var keys []string
	for _, v := range s.env {
		keys = append(keys, v)
	}
	for name, b := range s.files {
		if strings.HasPrefix(name, "secrets/") {
			keys = append(keys, strings.TrimSpace(string(b)))
		}
	}
	for _, d := range diags {
		for _, k := range keys {
			if strings.Contains(d.Summary+d.Detail, k) {
				t.Errorf("diagnostic %q shows a key", d.Error())
			}
		}
	}
}

// baseSpec is a valid site with one tunnel to inject into, x0.
func baseSpec() *spec { return specWith(1) }
