package lang

// Daemons a router may run. A router names its IKE daemon with ike = "…"
// and its BGP daemon with routing = "…"; each defaults to the first, which
// is what vtic rendered before the choice existed.
const (
	IKEStrongswan = "strongswan"
	IKELibreswan  = "libreswan"
	RoutingFRR    = "frr"
	RoutingBIRD   = "bird"
)

// IKEDaemon returns the router's IKE daemon, defaulting to strongSwan.
func (r *Router) IKEDaemon() string {
	if r.IKE.Set {
		return r.IKE.Value
	}
	return IKEStrongswan
}

// RoutingDaemon returns the router's BGP daemon, defaulting to FRR.
func (r *Router) RoutingDaemon() string {
	if r.Routing.Set {
		return r.Routing.Value
	}
	return RoutingFRR
}

// PresetProposals returns the IKE and ESP proposal lists (strongSwan's
// syntax) of a provider's preset. compile's presets take them from here,
// so that validation can check them against a router's IKE daemon.
func PresetProposals(provider string) (ike, esp string) {
	switch provider {
	case ProviderAWS:
		// AWS's download: AES256/SHA256/DH14 first, AWS's minimum
		// AES128/SHA1/DH2 kept as a fallback.
		return "aes256-sha256-modp2048,aes128-sha1-modp1024", "aes256-sha256-modp2048,aes128-sha1-modp1024"
	case ProviderAzure:
		// The policy-free defaults of Azure's VPN gateway.
		return "aes256-sha1-modp1024", "aes128-sha1,aes256-sha1"
	default:
		// MODP-2048 first: charon needs the openssl plugin for ECP groups
		// and GCM, which a minimal install lacks, and the initiator's first
		// proposal decides the key exchange it sends. The AEAD suites
		// remain on offer.
		return "aes256-sha256-modp2048,aes256gcm16-prfsha256-ecp256", "aes256-sha256-modp2048,aes256gcm16-ecp256"
	}
}
