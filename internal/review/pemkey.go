package review

import (
	"bytes"
	"strings"
)

// isPEMKey reports whether a secret file is a PEM private key (the
// swanctl target's etc/swanctl/private/vtic.key), which review compares
// only as changed or not.
func isPEMKey(data []byte) bool {
	return bytes.Contains(data, []byte("-----BEGIN ")) && bytes.Contains(data, []byte("PRIVATE KEY-----"))
}

// pemKeyLines are the base64 lines of a PEM key: any of them in other
// output would be part of the key.
func pemKeyLines(data []byte) [][]byte {
	var out [][]byte
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); len(l) >= 16 && !strings.HasPrefix(l, "-----") {
			out = append(out, []byte(l))
		}
	}
	return out
}
