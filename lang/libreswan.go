package lang

import (
	"fmt"
	"net/netip"
	"strings"
)

// LibreswanOption says how a tunnel option (options = { … }, written in
// strongSwan's terms) is written in a libreswan 4 conn: the ipsec.conf
// keyword and how a value translates. Keyword is empty for an option
// libreswan has no equivalent for; Why then says so.
type LibreswanOption struct {
	Keyword string
	// Values maps a value to libreswan's; a value missing from a non-nil
	// map has no equivalent. A nil map keeps the value as written.
	Values map[string]string
	Why    string
}

// libreswanOptions covers every key of OptionSpecs (a test checks it).
var libreswanOptions = map[string]LibreswanOption{
	"version":        {Keyword: "ikev2", Values: map[string]string{"1": "no", "2": "yes"}},
	"proposals":      {Keyword: "ike"},
	"esp_proposals":  {Keyword: "esp"},
	"rekey_time":     {Keyword: "ikelifetime"},
	"dpd_delay":      {Keyword: "dpddelay"},
	"dpd_timeout":    {Keyword: "dpdtimeout"},
	"mobike":         {Keyword: "mobike"},
	"aggressive":     {Keyword: "aggressive"},
	"encap":          {Keyword: "encapsulation"},
	"fragmentation":  {Keyword: "fragmentation", Values: map[string]string{"yes": "yes", "no": "no", "force": "force"}},
	"keyingtries":    {Keyword: "keyingtries"},
	"local_id":       {Keyword: "leftid"},
	"remote_id":      {Keyword: "rightid"},
	"esp_rekey_time": {Keyword: "salifetime"},
	"replay_window":  {Keyword: "replay-window"},
	"dpd_action":     {Keyword: "dpdaction", Values: map[string]string{"clear": "clear", "trap": "hold", "restart": "restart"}},
	"start_action":   {Keyword: "auto", Values: map[string]string{"none": "add", "trap": "route", "start": "start"}},
	"reauth_time": {Why: "libreswan has no separate reauthentication interval: its ikelifetime, which vtic sets " +
		"from rekey_time or the preset, bounds the IKE SA"},
	"over_time":     {Why: "libreswan has no hard end after a failed rekey; it rekeys rekeymargin before ikelifetime"},
	"rand_time":     {Why: "libreswan randomizes rekeying by rekeyfuzz, a percentage, not by a duration"},
	"esp_life_time": {Why: "libreswan has one CHILD SA lifetime, salifetime, which vtic sets from esp_rekey_time or the preset"},
	"close_action":  {Why: "libreswan has no action for a CHILD SA the peer closes"},
}

// LookupLibreswanOption returns how an option key is written for libreswan.
func LookupLibreswanOption(key string) (LibreswanOption, bool) {
	o, ok := libreswanOptions[key]
	return o, ok
}

// LibreswanID writes an IKE identity as libreswan reads it: an address as
// it is, anything else with a leading "@" so that pluto takes it as a name
// and never resolves it in DNS.
func LibreswanID(id string) string {
	if strings.HasPrefix(id, "@") || isAddr(id) {
		return id
	}
	return "@" + id
}

// LibreswanProposals translates a strongSwan proposal list, such as
// "aes256-sha256-modp2048,aes256gcm16-prfsha256-ecp256", into libreswan 4's
// syntax ("aes256-sha2_256-modp2048,aes_gcm256-sha2_256-dh19"). ike selects
// IKE proposals (the second word of an AEAD proposal is its PRF) over ESP
// ones (an AEAD proposal has no integrity: "null"). It fails on the first
// proposal libreswan cannot express, naming it.
func LibreswanProposals(list string, ike bool) (string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		q, err := libreswanProposal(p, ike)
		if err != nil {
			return "", fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, q)
	}
	return strings.Join(out, ","), nil
}

var (
	lsCiphers = map[string]string{
		"aes128": "aes128", "aes192": "aes192", "aes256": "aes256",
		"aes128gcm16": "aes_gcm128", "aes192gcm16": "aes_gcm192", "aes256gcm16": "aes_gcm256",
		"aes128gcm128": "aes_gcm128", "aes192gcm128": "aes_gcm192", "aes256gcm128": "aes_gcm256",
		"chacha20poly1305": "chacha20_poly1305",
	}
	lsIntegrity = map[string]string{
		"sha1": "sha1", "sha256": "sha2_256", "sha384": "sha2_384", "sha512": "sha2_512",
	}
	lsPRF = map[string]string{
		"prfsha1": "sha1", "prfsha256": "sha2_256", "prfsha384": "sha2_384", "prfsha512": "sha2_512",
	}
	// Libreswan 4 refuses MODP-1024 and MODP-1536 (RFC 8247).
	lsGroups = map[string]string{
		"modp2048": "modp2048", "modp3072": "modp3072", "modp4096": "modp4096",
		"modp6144": "modp6144", "modp8192": "modp8192",
		"ecp256": "dh19", "ecp384": "dh20", "ecp521": "dh21", "curve25519": "dh31", "x25519": "dh31",
	}
)

func libreswanProposal(p string, ike bool) (string, error) {
	words := strings.Split(p, "-")
	cipher, ok := lsCiphers[words[0]]
	if !ok {
		return "", fmt.Errorf("libreswan has no encryption algorithm %q", words[0])
	}
	aead := strings.Contains(cipher, "gcm") || strings.Contains(cipher, "poly1305")
	var integ, group string
	for _, w := range words[1:] {
		switch {
		case lsIntegrity[w] != "" && integ == "" && !aead:
			integ = lsIntegrity[w]
		case lsPRF[w] != "" && integ == "" && ike:
			integ = lsPRF[w]
		case lsGroups[w] != "" && group == "":
			group = lsGroups[w]
		case strings.HasPrefix(w, "modp") || strings.HasPrefix(w, "ecp"):
			return "", fmt.Errorf("libreswan 4 does not offer the key exchange %q", w)
		default:
			return "", fmt.Errorf("libreswan has no equivalent of %q here", w)
		}
	}
	switch {
	case integ == "" && aead && !ike:
		integ = "null"
	case integ == "" && aead:
		return "", fmt.Errorf("an AEAD IKE proposal for libreswan needs its PRF, such as prfsha256")
	case integ == "":
		return "", fmt.Errorf("no integrity algorithm")
	}
	out := cipher + "-" + integ
	if group != "" {
		out += "-" + group
	}
	return out, nil
}

func isAddr(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// LibreswanPFS reports whether an ESP proposal list asks for perfect
// forward secrecy. strongSwan proposes a key exchange per proposal, while
// libreswan's pfs= holds for the whole conn and libreswan 4 takes one ESP
// key exchange only (more would need CHILD SA INVALID_KE, which it lacks),
// so the proposals must all name the same group, or all name none.
func LibreswanPFS(list string) (bool, error) {
	groups := map[string]bool{}
	without := 0
	for _, p := range strings.Split(list, ",") {
		g := espGroup(p)
		if g == "" {
			without++
		} else {
			groups[g] = true
		}
	}
	switch {
	case len(groups) > 0 && without > 0:
		return false, fmt.Errorf("some proposals have a key exchange and some do not; libreswan's pfs applies to all of them")
	case len(groups) > 1:
		return false, fmt.Errorf("the proposals name %d key exchanges; libreswan 4 takes one for ESP", len(groups))
	}
	return len(groups) > 0, nil
}

// espGroup is the key exchange a proposal names, in libreswan's terms, or "".
func espGroup(p string) string {
	for _, w := range strings.Split(p, "-")[1:] {
		if g := lsGroups[w]; g != "" {
			return g
		}
		if strings.HasPrefix(w, "modp") || strings.HasPrefix(w, "ecp") {
			return w
		}
	}
	return ""
}

// LibreswanPreset translates a preset's proposal list, keeping the
// proposals libreswan can offer and returning the others (in strongSwan's
// syntax) as dropped: a preset's fallbacks are vtic's choice, not the
// user's, and libreswan 4 refuses the weak groups some of them use. kept is
// empty when none can be offered. Of ESP proposals it keeps those with the
// first kept one's key exchange (see LibreswanPFS).
func LibreswanPreset(list string, ike bool) (kept string, dropped []string) {
	var out []string
	group := "" // ESP: the first kept proposal's key exchange (see LibreswanPFS)
	for _, p := range strings.Split(list, ",") {
		q, err := libreswanProposal(p, ike)
		if err != nil || !ike && len(out) > 0 && espGroup(p) != group {
			dropped = append(dropped, p)
			continue
		}
		if len(out) == 0 {
			group = espGroup(p)
		}
		out = append(out, q)
	}
	return strings.Join(out, ","), dropped
}

// libreswanAEAD reports whether a proposal list has an AEAD cipher, which
// libreswan 4 offers for IKE in IKEv2 only.
func libreswanAEAD(list string) bool {
	for _, p := range strings.Split(list, ",") {
		c := lsCiphers[strings.Split(p, "-")[0]]
		if strings.Contains(c, "gcm") || strings.Contains(c, "poly1305") {
			return true
		}
	}
	return false
}
