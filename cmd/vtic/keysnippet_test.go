package main

import (
	"strings"
	"testing"
)

// TestKeySnippetRedacted: a private key written into the site instead of
// file("path") never shows in a snippet, however it is malformed.
func TestKeySnippetRedacted(t *testing.T) {
	bin := vticPath(t)
	const secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
	for _, key := range []string{
		`"-----BEGIN PRIVATE KEY-----\n` + secret + `\n-----END PRIVATE KEY-----"`,
		"<<EOT\n-----BEGIN PRIVATE KEY-----\n" + secret + "\nEOT",
		`["` + secret + `"]`,
		`"` + secret + `\q"`,
	} {
		src := strings.Replace(validSite, "  outside = \"192.0.2.1\"\n", "  outside = \"192.0.2.1\"\n  key     = "+key+"\n", 1)
		dir := writeSite(t, src)
		for _, format := range []string{"text", "json", "github"} {
			res := runVtic(t, bin, dir, baseEnv(t), "validate", "--format", format, "site")
			out := res.stdout + res.stderr
			if res.code != 1 {
				t.Errorf("key = %s, %s: exit %d, want 1\n%s", key, format, res.code, out)
			}
			if strings.Contains(out, secret[4:20]) {
				t.Errorf("key = %s, %s: the key shows:\n%s", key, format, out)
			}
		}
	}
}
