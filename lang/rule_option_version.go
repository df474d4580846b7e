package lang

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"
)

// PresetIKEVersion is the IKE major version a provider's preset uses: AWS
// documents IKEv1 main mode, the others IKEv2. compile's presets take it
// from here, so that validation and rendering agree on it.
func PresetIKEVersion(provider string) int {
	if provider == ProviderAWS {
		return 1
	}
	return 2
}

// ikeVersion is the IKE version a tunnel's connection will have, and where
// that comes from for details: its version option when that is valid,
// else the preset. Version 0 means either (charon initiates with IKEv2 and
// answers both).
func ikeVersion(t *Tunnel, provider string) (int, string) {
	for _, kv := range t.Options {
		if kv.Key != "version" {
			continue
		}
		spec, _ := LookupOption("version")
		if !spec.Pattern.MatchString(kv.Value.Value) {
			return -1, "" // reported by checkOptions; nothing to compare with
		}
		v, _ := strconv.Atoi(kv.Value.Value)
		return v, fmt.Sprintf("version = %q at %s", kv.Value.Value, where(kv.KeyRange))
	}
	return PresetIKEVersion(provider), fmt.Sprintf("the %s preset", provider)
}

// checkOptionVersion refuses an option that strongSwan 5.9 accepts in
// swanctl.conf but ignores at the connection's IKE version (swanctl.conf(5)),
// so that the file would carry a value without effect. A connection of
// version 0 may negotiate either version, so every option can matter there.
func checkOptionVersion(kv KeyValue, version int, from string) *hcl.Diagnostic {
	switch {
	case version == 2 && kv.Key == "dpd_timeout":
		return errorAt(kv.KeyRange, "Option ignored by IKEv2",
			"charon ignores dpd_timeout on IKEv2 connections: there a peer is declared dead when the retransmissions of a DPD check time out. This tunnel uses IKEv2 (%s). Remove the option, or use dpd_delay to set how often the peer is checked.", from)
	case version == 2 && kv.Key == "aggressive":
		return errorAt(kv.KeyRange, "Option ignored by IKEv2",
			"aggressive chooses IKEv1's Aggressive Mode, and IKEv2 has no such mode. This tunnel uses IKEv2 (%s). Remove the option.", from)
	case version == 2 && kv.Key == "fragmentation" && kv.Value.Value == "force":
		return errorAt(kv.Value.Range, "Option value ignored by IKEv2",
			"fragmentation = \"force\" is supported for IKEv1 only; with IKEv2 charon fragments only when the peer supports it, as with \"yes\". This tunnel uses IKEv2 (%s). Write \"yes\".", from)
	case version == 1 && kv.Key == "mobike":
		return errorAt(kv.KeyRange, "Option ignored by IKEv1",
			"MOBIKE is an IKEv2 extension; charon ignores mobike on IKEv1 connections. This tunnel uses IKEv1 (%s). Remove the option.", from)
	case version == 1 && kv.Key == "rekey_time":
		return errorAt(kv.KeyRange, "No IKE rekeying in IKEv1",
			"IKEv1 cannot rekey an IKE SA: charon reauthenticates it instead, on the schedule of reauth_time, which vtic sets from the preset. This tunnel uses IKEv1 (%s). Write reauth_time = %q instead.", from, kv.Value.Value)
	}
	return nil
}
