package lang

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// maxDescription is FRR's limit for a neighbor description, the tightest of
// the places a description is written.
const maxDescription = 80

// checkDescription keeps the description to one line of printable text, so
// it cannot break out of the comment or the FRR line it is written into.
func checkDescription(t *Tunnel) hcl.Diagnostics {
	d := t.Description
	if !d.Set {
		return nil
	}
	if !utf8.ValidString(d.Value) {
		return hcl.Diagnostics{errorAt(d.Range, "Invalid description", "The description is not valid UTF-8 text.")}
	}
	if len(d.Value) > maxDescription {
		return hcl.Diagnostics{errorAt(d.Range, "Description too long",
			"The description is %d bytes; FRR accepts at most %d. Shorten it.", len(d.Value), maxDescription)}
	}
	for _, r := range d.Value {
		if !unicode.IsPrint(r) {
			return hcl.Diagnostics{errorAt(d.Range, "Invalid description",
				"The description contains the control character %U; it must be a single line of printable text.", r)}
		}
	}
	return nil
}

func checkMTU(t *Tunnel, eps []endpoint) hcl.Diagnostics {
	if !t.MTU.Set {
		return nil
	}
	ipv4 := false
	for _, ep := range eps {
		if ep.end.Inside.Set() && ep.end.Inside.Prefix.Addr().Is4() {
			ipv4 = true
		}
	}
	if !ValidMTU(t.MTU.Value, ipv4) {
		detail := "The MTU must be from 1280 to 9000 (576 to 9000 when the inside addresses are IPv4); %d is not."
		return hcl.Diagnostics{errorAt(t.MTU.Range, "MTU out of range", detail, t.MTU.Value)}
	}
	return nil
}

// checkPSK applies the rules every IKE implementation can live with, and
// AWS's stricter ones for AWS peers. The key itself never appears in a
// diagnostic, nor, for a key from env(), its length or a byte offset: a
// pull request could name any variable of a CI runner and measure it.
func checkPSK(t *Tunnel, provider string) hcl.Diagnostics {
	diags := checkPSKValue(t, provider)
	if s := t.PSK; s != nil && s.Source == SecretEnv {
		for _, d := range diags {
			d.Detail = fmt.Sprintf("The pre-shared key from %s breaks a rule for keys; vtic does not say which part, since the key comes from the environment. %s", s, pskRules(provider))
		}
	}
	return diags
}

// pskRules states every rule checkPSKValue applies, for a detail that must
// not say which part of the key broke one.
func pskRules(provider string) string {
	if provider == ProviderAWS {
		return "AWS accepts 8 to 64 characters, letters, digits, '.' and '_' only, not starting with 0."
	}
	return "Use at least 8 bytes of printable ASCII."
}

func checkPSKValue(t *Tunnel, provider string) hcl.Diagnostics {
	s := t.PSK
	if s == nil || !s.Resolved {
		return nil
	}
	v := s.Value
	if len(v) < MinPSKLen {
		return hcl.Diagnostics{errorAt(s.Range, "Pre-shared key too short",
			"The pre-shared key from %s is %d bytes; use at least 8 (AWS: 8 to 64).", s, len(v))}
	}
	for i, c := range v {
		if !PSKByteOK(c) {
			return hcl.Diagnostics{errorAt(s.Range, "Invalid pre-shared key",
				"The pre-shared key from %s has a non-printable byte at offset %d; use printable ASCII only.", s, i)}
		}
	}
	if provider != ProviderAWS {
		return nil
	}
	if len(v) > MaxAWSPSKLen {
		return hcl.Diagnostics{errorAt(s.Range, "Pre-shared key too long for AWS",
			"AWS accepts pre-shared keys of 8 to 64 characters; the key from %s has %d.", s, len(v))}
	}
	if !AWSPSKFirstByteOK(v[0]) {
		return hcl.Diagnostics{errorAt(s.Range, "Invalid pre-shared key for AWS",
			"AWS pre-shared keys cannot start with 0; the key from %s does.", s)}
	}
	for i, c := range v {
		if !AWSPSKByteOK(c) {
			return hcl.Diagnostics{errorAt(s.Range, "Invalid pre-shared key for AWS",
				"AWS pre-shared keys may hold only letters, digits, '.' and '_'; the key from %s has another character at offset %d.", s, i)}
		}
	}
	return nil
}
