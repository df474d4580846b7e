package inject

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets/swanctl"
)

// Silent loss of intent: an option that validates must reach the swanctl
// file, at its place and with the user's value, and an option strongSwan
// would ignore there must be refused at the option. The tables below are
// written from swanctl.conf(5) of strongSwan 5.9.8, apart from lang's table
// and the renderer, so that they can disagree with both.

// optionPlace says where swanctl.conf holds an option: the subsection of
// connections.<conn> ("" for the connection itself, "child" for
// children.<child>, "local" or "remote" for the authentication rounds) and
// the key there.
var optionPlace = map[string][2]string{
	"version":        {"", "version"},
	"proposals":      {"", "proposals"},
	"rekey_time":     {"", "rekey_time"},
	"reauth_time":    {"", "reauth_time"},
	"over_time":      {"", "over_time"},
	"rand_time":      {"", "rand_time"},
	"dpd_delay":      {"", "dpd_delay"},
	"dpd_timeout":    {"", "dpd_timeout"},
	"mobike":         {"", "mobike"},
	"aggressive":     {"", "aggressive"},
	"encap":          {"", "encap"},
	"fragmentation":  {"", "fragmentation"},
	"keyingtries":    {"", "keyingtries"},
	"local_id":       {"local", "id"},
	"remote_id":      {"remote", "id"},
	"esp_proposals":  {"child", "esp_proposals"},
	"esp_rekey_time": {"child", "rekey_time"},
	"esp_life_time":  {"child", "life_time"},
	"replay_window":  {"child", "replay_window"},
	"dpd_action":     {"child", "dpd_action"},
	"close_action":   {"child", "close_action"},
	"start_action":   {"child", "start_action"},
}

// optionSamples are values to try for each option: every choice of an
// enumerated option, and otherwise a value no preset uses, so that a
// preset default written in place of the user's value shows.
var optionSamples = map[string][]string{
	"version":        {"0", "1", "2"},
	"proposals":      {"aes128-sha256-modp3072"},
	"rekey_time":     {"8h"},
	"reauth_time":    {"13h"},
	"over_time":      {"7m"},
	"rand_time":      {"3m"},
	"dpd_delay":      {"11s"},
	"dpd_timeout":    {"45s"},
	"mobike":         {"yes", "no"},
	"aggressive":     {"yes", "no"},
	"encap":          {"yes", "no"},
	"fragmentation":  {"yes", "accept", "force", "no"},
	"keyingtries":    {"7"},
	"local_id":       {"r1.example.net"},
	"remote_id":      {"far.example.net"},
	"esp_proposals":  {"aes128-sha256-modp3072"},
	"esp_rekey_time": {"50m"},
	"esp_life_time":  {"66m"},
	"replay_window":  {"1024"},
	"dpd_action":     {"clear", "trap", "restart"},
	"close_action":   {"none", "trap", "start"},
	"start_action":   {"none", "trap", "start"},
}

// onlyWithIKE names the option values strongSwan uses with one IKE version
// only ("KEY" for every value, "KEY=VALUE" for one): dpd_timeout "has no
// effect on connections using IKE2", aggressive mode is IKEv1's, MOBIKE is
// an IKEv2 extension, IKE rekeying "is supported in IKEv2 only, IKEv1
// performs a reauthentication procedure instead", and fragmentation =
// force is "only supported for IKEv1". A connection of version 0 speaks
// either, so it may carry both kinds.
var onlyWithIKE = map[string]string{
	"dpd_timeout":         "1",
	"aggressive":          "1",
	"fragmentation=force": "1",
	"mobike":              "2",
	"rekey_time":          "2",
}

// ikeOnly returns the one IKE version ("1" or "2") that uses an option
// value, if there is one.
func ikeOnly(key, value string) (string, bool) {
	if only, ok := onlyWithIKE[key]; ok {
		return only, true
	}
	only, ok := onlyWithIKE[key+"="+value]
	return only, ok
}

// ends of the tunnel under test, by the preset it gets.
var optionEnds = []struct {
	name     string
	provider string // "" for a router
}{
	{"aws", lang.ProviderAWS},
	{"azure", lang.ProviderAzure},
	{"generic", lang.ProviderGeneric},
	{"router", ""},
}

// optionCase is one site: a tunnel from r1 to an end, with options.
type optionCase struct {
	end     int         // index into optionEnds
	version string      // the version option, "" for the preset's
	key     string      // the option under test
	value   string      // its value
	options [][2]string // everything the tunnel sets, version included
}

func (c optionCase) String() string {
	v := c.version
	if v == "" {
		v = "preset"
	}
	return fmt.Sprintf("%s/v%s/%s=%s", optionEnds[c.end].name, v, c.key, c.value)
}

// optionCases lists every option value of optionSamples on every end, with
// the version left to the preset and set to each value lang accepts.
func optionCases(t *testing.T) []optionCase {
	t.Helper()
	var cases []optionCase
	for _, spec := range lang.OptionSpecs {
		samples, ok := optionSamples[spec.Key]
		place, placed := optionPlace[spec.Key]
		if !ok || !placed {
			t.Fatalf("option %q has no samples or no place in this test; add it to optionSamples and optionPlace", spec.Key)
		}
		if (place[0] == "child") != (spec.Section == lang.SectionChild) {
			t.Errorf("option %q: lang puts it in section %q, swanctl.conf(5) in %q", spec.Key, spec.Section, place[0])
		}
		for _, v := range samples {
			if !spec.Pattern.MatchString(v) {
				t.Fatalf("sample %s = %q does not match lang's pattern; the test would only probe refusals", spec.Key, v)
			}
			for end := range optionEnds {
				versions := []string{"", "0", "1", "2"}
				if spec.Key == "version" {
					versions = []string{v}
				}
				for _, ver := range versions {
					c := optionCase{end: end, version: ver, key: spec.Key, value: v}
					if ver != "" && spec.Key != "version" {
						c.options = append(c.options, [2]string{"version", ver})
					}
					c.options = append(c.options, [2]string{spec.Key, v})
					cases = append(cases, c)
				}
			}
		}
	}
	if len(optionSamples) != len(lang.OptionSpecs) || len(optionPlace) != len(lang.OptionSpecs) {
		t.Errorf("the test knows %d/%d options, lang %d: remove the ones lang dropped", len(optionSamples), len(optionPlace), len(lang.OptionSpecs))
	}
	return cases
}

// optionSpec builds the site of cases, one tunnel each (x0, x1, …) from r1
// to an end of its own, so that a whole group can go to charon at once.
func optionSpec(cases []optionCase) *spec {
	s := &spec{
		routers: []router{{name: "r1", asn: 65001, outside: "192.0.2.1", gateway: "192.0.2.254"}},
		files:   map[string][]byte{},
		env:     map[string]string{},
	}
	for j, c := range cases {
		far := fmt.Sprintf("e%d", j)
		outside := fmt.Sprintf("198.51.%d.%d", 100+j/250, 1+j%250)
		if p := optionEnds[c.end].provider; p == "" {
			s.routers = append(s.routers, router{name: far, asn: 65002, outside: outside})
		} else {
			s.peers = append(s.peers, peer{name: far, provider: p, asn: 64512, outside: outside})
		}
		farIface := ""
		if optionEnds[c.end].provider == "" {
			farIface = "vti1"
		}
		// The j-th /30 of 169.254.10.0 and up: clear of AWS's reserved ones.
		inside := func(host int) string { return fmt.Sprintf("169.254.%d.%d/30", 10+j/64, j%64*4+host) }
		psk := fmt.Sprintf("K3y.x%d.from.env", j)
		s.env[fmt.Sprintf("X%d_PSK", j)] = psk
		s.tunnels = append(s.tunnels, tunnel{
			name: fmt.Sprintf("x%d", j), psk: fmt.Sprintf(`env("X%d_PSK")`, j), mark: uint32(100 + j),
			options: c.options,
			ends:    [2]end{{"r1", fmt.Sprintf("vti%d", 100+j), inside(1)}, {far, farIface, inside(2)}},
		})
	}
	return s
}

// optionLine is the line of site.hcl that sets key in the tunnel.
func optionLine(t *testing.T, s *spec, key string) int {
	t.Helper()
	re := regexp.MustCompile(`^    ` + regexp.QuoteMeta(key) + ` = `)
	for i, line := range strings.Split(string(s.hcl()), "\n") {
		if re.MatchString(line) {
			return i + 1
		}
	}
	t.Fatalf("site.hcl does not set %s", key)
	return 0
}

// TestOptionsReachTheFile: for every option lang knows, with every sample
// value, on every preset and with every IKE version, validation either
// refuses the option with an error at its line, or the swanctl section
// tree (what the file shows and what apply loads over VICI) holds the
// user's value exactly once at the option's place, on a connection of an
// IKE version that uses it.
func TestOptionsReachTheFile(t *testing.T) {
	refused, accepted := 0, 0
	for _, c := range optionCases(t) {
		t.Run(c.String(), func(t *testing.T) {
			s := optionSpec([]optionCase{c})
			site, diags := s.load(t)
			if diags.HasErrors() {
				refused++
				checkRefusedAt(t, s, diags, c.key)
				return
			}
			accepted++
			plan, err := compile.Compile(site)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range plan.Hosts {
				checkOptionPlaced(t, h, "x0", c)
			}
		})
	}
	t.Logf("%d cases refused, %d accepted", refused, accepted)
	if refused == 0 || accepted == 0 {
		t.Errorf("%d refused, %d accepted: the cases probe only one side", refused, accepted)
	}
}

// checkRefusedAt wants every error to be about the option key: on its
// line of site.hcl.
func checkRefusedAt(t *testing.T, s *spec, diags hcl.Diagnostics, key string) {
	t.Helper()
	line := optionLine(t, s, key)
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject == nil || !strings.HasSuffix(d.Subject.Filename, "site.hcl") || d.Subject.Start.Line != line {
			t.Errorf("error not at the option %s (site.hcl:%d): %s\n--- site.hcl\n%s", key, line, d.Error(), s.hcl())
		}
		if strings.TrimSpace(d.Detail) == "" {
			t.Errorf("error without a detail saying why: %s", d.Error())
		}
	}
}

// checkOptionPlaced finds the option of case c in host h's connection
// conn and checks its value, that it is there once, and that the
// connection's IKE version uses it.
func checkOptionPlaced(t *testing.T, h *compile.Host, conn string, c optionCase) {
	t.Helper()
	conns := swanctl.Connections(h)
	sec := conns.Sub(conn)
	if sec == nil {
		t.Fatalf("%s: no connection %s in\n%s", h.Name, conn, dump(conns))
	}
	place := optionPlace[c.key]
	at := sec
	switch place[0] {
	case "child":
		at = sec.Sub("children")
		if at != nil {
			at = at.Sub(conn)
		}
	case "local", "remote":
		at = sec.Sub(place[0])
	}
	if at == nil {
		t.Fatalf("%s: connection %s has no %s section:\n%s", h.Name, conn, place[0], dump(sec))
	}
	n := 0
	for _, e := range at.Entries {
		if e.Section == nil && e.Key == place[1] {
			n++
			if e.Value != c.value {
				t.Errorf("%s: %s = %q, want the user's %q:\n%s", h.Name, place[1], e.Value, c.value, dump(sec))
			}
		}
	}
	if n != 1 {
		t.Errorf("%s: %s appears %d times in %s, want once:\n%s", h.Name, place[1], n, at.Name, dump(sec))
	}
	version, _ := sec.Value("version")
	if only, ok := ikeOnly(c.key, c.value); ok && version != "0" && version != only {
		t.Errorf("%s: %s = %s is accepted on an IKEv%s connection, but strongSwan uses it with IKEv%s only", h.Name, c.key, c.value, version, only)
	}
}

// dump writes a section as text, for failure messages.
func dump(s *swanctl.Section) string {
	var b strings.Builder
	var walk func(s *swanctl.Section, indent string)
	walk = func(s *swanctl.Section, indent string) {
		fmt.Fprintf(&b, "%s%s {\n", indent, s.Name)
		for _, e := range s.Entries {
			switch {
			case e.Section != nil:
				walk(e.Section, indent+"  ")
			case e.IsComment():
			default:
				fmt.Fprintf(&b, "%s  %s = %s\n", indent, e.Key, e.Value)
			}
		}
		fmt.Fprintf(&b, "%s}\n", indent)
	}
	walk(s, "")
	return b.String()
}

// acceptedOptionCases returns the cases lang accepts, in a stable order.
func acceptedOptionCases(t *testing.T) []optionCase {
	t.Helper()
	var out []optionCase
	for _, c := range optionCases(t) {
		s := optionSpec([]optionCase{c})
		if _, diags := s.load(t); !diags.HasErrors() {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].end < out[j].end })
	return out
}

// charonReports maps the options charon shows in list-conns to the key it
// shows them under (child options below "children.<name>.") and the form
// it shows: times in seconds, the version as a name.
var charonReports = map[string]string{
	"version":        "version",
	"reauth_time":    "reauth_time",
	"rekey_time":     "rekey_time",
	"dpd_delay":      "dpd_delay",
	"dpd_timeout":    "dpd_timeout",
	"local_id":       "local-1.id",
	"remote_id":      "remote-1.id",
	"esp_rekey_time": "children.*.rekey_time",
	"dpd_action":     "children.*.dpd_action",
	"close_action":   "children.*.close_action",
}

// charonForm is how list-conns shows an option value.
func charonForm(t *testing.T, key, value string) string {
	t.Helper()
	switch {
	case key == "version":
		return map[string]string{"0": "IKEv1/2", "1": "IKEv1", "2": "IKEv2"}[value]
	case key == "dpd_action":
		// charon names its actions the same for DPD and close.
		return map[string]string{"clear": "none", "trap": "trap", "restart": "start"}[value]
	case strings.HasSuffix(key, "_time") || key == "dpd_delay" || key == "dpd_timeout":
		unit := map[byte]int{'s': 1, 'm': 60, 'h': 3600, 'd': 86400}
		n, mul := value, 1
		if u, ok := unit[value[len(value)-1]]; ok {
			n, mul = value[:len(value)-1], u
		}
		var v int
		if _, err := fmt.Sscan(n, &v); err != nil {
			t.Fatalf("%s = %q: %v", key, value, err)
		}
		return fmt.Sprint(v * mul)
	}
	return value
}

// TestOptionsReachCharon loads every option value that lang accepts, on
// every preset and IKE version, into a real charon: one site per end kind
// with a tunnel per case. Each router's files must pass checkReal (every
// connection loads, with its key), and where charon reports an option in
// list-conns it must hold the user's value.
func TestOptionsReachCharon(t *testing.T) {
	cases := acceptedOptionCases(t)
	for end := range optionEnds {
		var group []optionCase
		for _, c := range cases {
			if c.end == end {
				group = append(group, c)
			}
		}
		t.Run(optionEnds[end].name, func(t *testing.T) {
			t.Parallel()
			if len(group) == 0 {
				t.Fatal("lang accepts no option on this end")
			}
			site, plan := optionSpec(group).compileValid(t)
			loaded := checkReal(t, site, []*compile.Host{plan.Host("r1")})["r1"]
			checked := 0
			for j, c := range group {
				conn := fmt.Sprintf("x%d", j)
				key, ok := charonReports[c.key]
				if !ok {
					continue
				}
				key = strings.ReplaceAll(key, "*", conn)
				got, have := loaded.Listed[conn][key]
				if want := charonForm(t, c.key, c.value); !have || got != want {
					t.Errorf("%s: charon shows %s = %q (present %v), want %q; all it shows:\n%v", c, key, got, have, want, loaded.Listed[conn])
				}
				checked++
			}
			t.Logf("%d tunnels loaded, %d option values read back from charon", len(group), checked)
		})
	}
}
