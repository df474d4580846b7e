package awsimport

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// Names of peers and tunnels become file names (the key files) and section
// names in other generated configs. They are held to the site language's
// rule (at most 63 bytes, no "..") and, more strictly, to lower case, since
// the site compares names ignoring case.
var safeNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

const maxNameLen = 63

func checkSafeName(what, name string) error {
	if len(name) > maxNameLen || !safeNameRE.MatchString(name) || strings.Contains(name, "..") {
		return fmt.Errorf("%s %q is not a safe name: use 1 to %d of a-z 0-9 . _ - starting with a letter or digit, without \"..\"", what, name, maxNameLen)
	}
	return nil
}

// prefixFromID turns "vpn-05e0fe17" into a safe name prefix by lowercasing
// it and replacing anything outside the safe set with '-'.
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
	if len(s) > maxNameLen-5 { // room for "-t" and a three-digit tunnel number
		s = s[:maxNameLen-5]
	}
	return strings.TrimRight(s, "-._")
}

// checkInterface accepts Linux interface names: at most 15 bytes, and no
// '/', ':' or white space, which the kernel or iproute2 treat specially.
var ifaceRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,15}$`)

func checkInterface(name string) error {
	if !ifaceRE.MatchString(name) || name == "." || name == ".." {
		return fmt.Errorf("interface name %q is not valid: use 1 to 15 of A-Z a-z 0-9 . _ -", name)
	}
	return nil
}

// cleanSecretsDir returns the secrets directory as a clean slash path that
// stays inside the site directory, because the HCL refers to keys by paths
// relative to the site.
func cleanSecretsDir(dir string) (string, error) {
	if dir == "" {
		return "secrets", nil
	}
	clean := path.Clean(dir)
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.ContainsAny(clean, "\\\"\x00\n") {
		return "", fmt.Errorf("secrets directory %q is not inside the site directory", dir)
	}
	return clean, nil
}
