package lang

import (
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Option sections: where in a swanctl connection an option belongs.
const (
	SectionConn  = "connection" // connections.<name>
	SectionChild = "child"      // connections.<name>.children.<name>
)

// OptionSpec describes one strongSwan option a tunnel may set through
// options = { … }. This is the checked replacement for the shell appliance's
// free-form VTI_O1..O5: only these keys, only values matching their pattern,
// so nothing can break out of the swanctl file.
type OptionSpec struct {
	Key     string // the name users write
	Section string
	Swanctl string // the swanctl.conf key
	Pattern *regexp.Regexp
	Hint    string
}

var (
	reDuration  = regexp.MustCompile(`^[0-9]{1,7}[smhd]?$`)
	reProposals = regexp.MustCompile(`^[a-z0-9_]+(-[a-z0-9_]+)*(,[a-z0-9_]+(-[a-z0-9_]+)*){0,15}$`)
	reCount     = regexp.MustCompile(`^[0-9]{1,6}$`)
	reID        = regexp.MustCompile(`^[A-Za-z0-9.:@_-]{1,128}$`)
)

func yesNo(values ...string) *regexp.Regexp {
	return regexp.MustCompile(`^(` + strings.Join(values, "|") + `)$`)
}

// OptionSpecs lists every option key, sorted by Key.
var OptionSpecs = sortedSpecs([]OptionSpec{
	{"version", SectionConn, "version", yesNo("0", "1", "2"), "0, 1 or 2"},
	{"proposals", SectionConn, "proposals", reProposals, "a comma-separated IKE proposal list such as aes256-sha256-modp2048"},
	{"rekey_time", SectionConn, "rekey_time", reDuration, "a duration such as 4h"},
	{"reauth_time", SectionConn, "reauth_time", reDuration, "a duration such as 8h"},
	{"over_time", SectionConn, "over_time", reDuration, "a duration"},
	{"rand_time", SectionConn, "rand_time", reDuration, "a duration"},
	{"dpd_delay", SectionConn, "dpd_delay", reDuration, "a duration such as 10s"},
	{"dpd_timeout", SectionConn, "dpd_timeout", reDuration, "a duration such as 30s"},
	{"mobike", SectionConn, "mobike", yesNo("yes", "no"), "yes or no"},
	{"aggressive", SectionConn, "aggressive", yesNo("yes", "no"), "yes or no"},
	{"encap", SectionConn, "encap", yesNo("yes", "no"), "yes or no"},
	{"fragmentation", SectionConn, "fragmentation", yesNo("yes", "accept", "force", "no"), "yes, accept, force or no"},
	{"keyingtries", SectionConn, "keyingtries", reCount, "a whole number"},
	{"local_id", SectionConn, "local_id", reID, "an IKE identity such as an address or a FQDN"},
	{"remote_id", SectionConn, "remote_id", reID, "an IKE identity such as an address or a FQDN"},
	{"esp_proposals", SectionChild, "esp_proposals", reProposals, "a comma-separated ESP proposal list such as aes256-sha256-modp2048"},
	{"esp_rekey_time", SectionChild, "rekey_time", reDuration, "a duration such as 1h"},
	{"esp_life_time", SectionChild, "life_time", reDuration, "a duration"},
	{"replay_window", SectionChild, "replay_window", reCount, "a whole number"},
	{"dpd_action", SectionChild, "dpd_action", yesNo("clear", "trap", "restart"), "clear, trap or restart"},
	{"close_action", SectionChild, "close_action", yesNo("none", "trap", "start"), "none, trap or start"},
	{"start_action", SectionChild, "start_action", yesNo("none", "trap", "start"), "none, trap or start"},
})

func sortedSpecs(s []OptionSpec) []OptionSpec {
	sort.Slice(s, func(i, j int) bool { return s[i].Key < s[j].Key })
	return s
}

// LookupOption returns the spec of an option key.
func LookupOption(key string) (OptionSpec, bool) {
	i := sort.Search(len(OptionSpecs), func(i int) bool { return OptionSpecs[i].Key >= key })
	if i < len(OptionSpecs) && OptionSpecs[i].Key == key {
		return OptionSpecs[i], true
	}
	return OptionSpec{}, false
}

func optionKeys() string {
	keys := make([]string, len(OptionSpecs))
	for i, s := range OptionSpecs {
		keys[i] = s.Key
	}
	return strings.Join(keys, ", ")
}

func checkOptions(t *Tunnel, provider string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	version, from := ikeVersion(t, provider)
	for _, kv := range t.Options {
		spec, ok := LookupOption(kv.Key)
		if !ok {
			diags = append(diags, errorAt(kv.KeyRange, "Unknown option",
				"%q is not an option vtic can pass to strongSwan. Known options: %s.", kv.Key, optionKeys()))
			continue
		}
		if first, dup := seen[kv.Key]; dup {
			diags = append(diags, errorAt(kv.KeyRange, "Duplicate option", "%q is already set at %s.", kv.Key, where(first)))
			continue
		}
		seen[kv.Key] = kv.KeyRange
		if !spec.Pattern.MatchString(kv.Value.Value) {
			diags = append(diags, errorAt(kv.Value.Range, "Invalid option value",
				"The option %q must be %s.", kv.Key, spec.Hint))
			continue
		}
		if kv.Key == "proposals" || kv.Key == "esp_proposals" {
			if why := checkProposals(kv.Value.Value, kv.Key == "proposals"); why != "" {
				diags = append(diags, errorAt(kv.Value.Range, "Invalid option value",
					"The option %q must be %s, and charon would refuse this one: %s.", kv.Key, spec.Hint, why))
			}
		}
		if d := checkOptionVersion(kv, version, from); d != nil {
			diags = append(diags, d)
		}
	}
	return diags
}
