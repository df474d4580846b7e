package awsimport

import (
	"path"
	"strings"

	"github.com/vtic/vtic/lang"
)

// Names of peers and tunnels become file names (the key files) and section
// names in other generated configs, so they are held to the site language's
// rule, lang.ValidName, and compared by lang.NameKey.

// prefixFromID turns "vpn-05e0fe17" into a name prefix by lowercasing it
// and replacing anything outside the characters names allow with '-'. The
// result still goes through lang.ValidName.
func prefixFromID(id string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(id) {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimLeft(b.String(), "-._")
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".-")
	}
	if len(s) > lang.MaxNameLen-5 { // room for "-t" and a three-digit tunnel number
		s = s[:lang.MaxNameLen-5]
	}
	return strings.TrimRight(s, "-._")
}

// cleanSecretsDir returns the secrets directory as a clean slash path, or
// false when it leaves the site directory: the HCL refers to keys by paths
// relative to the site, and lang refuses any other (lang.LocalSecretPath).
func cleanSecretsDir(dir string) (string, bool) {
	if dir == "" {
		return "secrets", true
	}
	clean := path.Clean(dir)
	return clean, lang.LocalSecretPath(clean)
}
