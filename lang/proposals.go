package lang

import (
	"fmt"
	"strings"
)

// algKind is what a strongSwan proposal keyword stands for.
type algKind int

const (
	algEncr      algKind = iota + 1 // classic encryption
	algAEAD                         // combined-mode encryption
	algInteg                        // integrity, with a PRF of the same kind
	algIntegOnly                    // integrity without a matching PRF
	algPRF
	algDH
	algESN
)

// proposalKeywords is strongSwan 5.9's keyword table
// (libstrongswan/crypto/proposal/proposal_keywords_static.txt). charon
// refuses a whole connection over one keyword it does not know, so a typo
// such as aes265 must be caught here, where the user sees the line.
var proposalKeywords = func() map[string]algKind {
	m := map[string]algKind{}
	add := func(k algKind, names ...string) {
		for _, n := range names {
			m[n] = k
		}
	}
	add(algEncr, "null", "des", "3des", "aes", "aes128", "aes192", "aes256", "aes128ctr", "aes192ctr", "aes256ctr",
		"blowfish", "blowfish128", "blowfish192", "blowfish256",
		"camellia", "camellia128", "camellia192", "camellia256", "camellia128ctr", "camellia192ctr", "camellia256ctr",
		"cast128", "serpent", "serpent128", "serpent192", "serpent256", "twofish", "twofish128", "twofish192", "twofish256")
	for _, size := range []string{"128", "192", "256"} {
		add(algAEAD, "aes"+size+"gmac")
		for _, mode := range []string{"ccm", "gcm"} {
			add(algAEAD, "aes"+size+mode)
			for _, icv := range []string{"8", "64", "12", "96", "16", "128"} {
				add(algAEAD, "aes"+size+mode+icv)
				if mode == "ccm" {
					add(algAEAD, "camellia"+size+mode+icv)
				}
			}
		}
	}
	add(algAEAD, "chacha20poly1305", "chacha20poly1305compat")
	add(algInteg, "sha", "sha1", "sha1_160", "sha256", "sha2_256", "sha384", "sha2_384", "sha512", "sha2_512",
		"md5", "md5_128", "aesxcbc", "camelliaxcbc", "aescmac")
	add(algIntegOnly, "sha256_96", "sha2_256_96")
	add(algPRF, "prfsha1", "prfsha256", "prfsha384", "prfsha512", "prfmd5", "prfaesxcbc", "prfcamelliaxcbc", "prfaescmac")
	add(algDH, "modpnone", "modpnull", "modp768", "modp1024", "modp1536", "modp2048", "modp3072", "modp4096", "modp6144", "modp8192",
		"ecp192", "ecp224", "ecp256", "ecp384", "ecp521", "modp1024s160", "modp2048s224", "modp2048s256",
		"ecp224bp", "ecp256bp", "ecp384bp", "ecp512bp", "curve25519", "x25519", "curve448", "x448",
		"ntru112", "ntru128", "ntru192", "ntru256", "newhope128")
	add(algESN, "esn", "noesn")
	return m
}()

// checkProposals applies charon's rules for a proposals (ike) or
// esp_proposals value: every keyword known; encryption present and not a
// mix of classic and combined-mode; for IKE, a PRF (given, or implied by
// an integrity algorithm), integrity with classic encryption, and a DH
// group. It returns what is wrong, or "".
func checkProposals(value string, ike bool) string {
	for _, p := range strings.Split(value, ",") {
		if p == "default" {
			continue // charon's own default proposals
		}
		var encr, aead, integ, prf, dh bool
		for _, kw := range strings.Split(p, "-") {
			switch kind, ok := proposalKeywords[kw]; {
			case !ok:
				return fmt.Sprintf("%q is not an algorithm strongSwan knows", kw)
			case kind == algEncr:
				encr = true
			case kind == algAEAD:
				aead = true
			case kind == algInteg:
				integ, prf = true, prf || ike
			case kind == algIntegOnly:
				integ = true
			case kind == algPRF:
				prf = true
			case kind == algDH && kw != "modpnone":
				dh = true
			}
		}
		switch {
		case !encr && !aead:
			return fmt.Sprintf("the proposal %q has no encryption algorithm", p)
		case encr && aead:
			return fmt.Sprintf("the proposal %q mixes classic and combined-mode (AEAD) encryption", p)
		case ike && !prf:
			return fmt.Sprintf("the proposal %q has no PRF (such as prfsha256) and no integrity algorithm that implies one", p)
		case ike && encr && !integ:
			return fmt.Sprintf("the proposal %q has classic encryption but no integrity algorithm", p)
		case ike && !dh:
			return fmt.Sprintf("the proposal %q has no DH group (such as modp2048 or ecp256)", p)
		}
	}
	return ""
}
