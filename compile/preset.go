package compile

import "github.com/vtic/vtic/lang"

// Preset holds the IKE/ESP and BGP settings a provider expects. Values come
// from the providers' published VPN configurations and the shell appliance's
// proven settings.
type Preset struct {
	Provider     string
	IKEVersion   int
	IKEProposals string
	ESPProposals string
	IKELifetime  int // seconds: rekey (IKEv2) or reauthentication (IKEv1)
	ESPLifetime  int // seconds
	DPDDelay     int // seconds
	DPDTimeout   int // seconds; used by IKEv1 only
	MTU          int
	MSS          int
	BGPKeepalive int
	BGPHold      int
}

var presets = map[string]Preset{
	// AWS: IKEv1 main mode as its download describes; AES256/SHA256/DH14 is
	// offered first and AWS's minimum AES128/SHA1/DH2 kept as fallback. DPD
	// 10 s, 3 retries; BGP hold time 30 s.
	lang.ProviderAWS: {
		Provider:     lang.ProviderAWS,
		IKEVersion:   lang.PresetIKEVersion(lang.ProviderAWS),
		IKELifetime:  28800,
		ESPLifetime:  3600,
		DPDDelay:     10,
		DPDTimeout:   30,
		MTU:          1436,
		MSS:          1387,
		BGPKeepalive: 10,
		BGPHold:      30,
	},
	// Azure: IKEv2 with the policy-free defaults of its VPN gateway.
	lang.ProviderAzure: {
		Provider:     lang.ProviderAzure,
		IKEVersion:   lang.PresetIKEVersion(lang.ProviderAzure),
		IKELifetime:  10800,
		ESPLifetime:  3600,
		DPDDelay:     10,
		DPDTimeout:   30,
		MTU:          1400,
		MSS:          1350,
		BGPKeepalive: 60,
		BGPHold:      180,
	},
	// Generic: IKEv2, for peers we run ourselves. MODP-2048 comes first:
	// charon needs the openssl plugin for ECP groups and GCM, which a
	// minimal install lacks, and the initiator's first proposal decides the
	// key exchange it sends. The AEAD suites remain on offer.
	lang.ProviderGeneric: {
		Provider:     lang.ProviderGeneric,
		IKEVersion:   lang.PresetIKEVersion(lang.ProviderGeneric),
		IKELifetime:  14400,
		ESPLifetime:  3600,
		DPDDelay:     10,
		DPDTimeout:   30,
		MTU:          1400,
		MSS:          1360,
		BGPKeepalive: 10,
		BGPHold:      30,
	},
}

// PresetFor returns the preset of a provider name.
func PresetFor(provider string) Preset {
	p, ok := presets[provider]
	if !ok {
		p = presets[lang.ProviderGeneric]
	}
	p.IKEProposals, p.ESPProposals = lang.PresetProposals(p.Provider)
	return p
}
