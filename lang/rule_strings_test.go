package lang

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestRuleStrings(t *testing.T) {
	const mtu = "The MTU must be from 1280 to 9000 (576 to 9000 when the inside addresses are IPv4)"
	psks := map[string]string{
		"SHORT_PSK": "Ab3$x",
		"PSK8":      "8.chars!",
		"UTF8_PSK":  "pässwörter.key",
		"PSK64":     strings.Repeat("k", 63) + "4",
		"PSK65":     strings.Repeat("k", 64) + "5",
		"ZERO_PSK":  "0pen.sesame.key",
	}
	crlf := func(t *testing.T, dir string) {
		writeFile(t, filepath.Join(dir, "secrets", "crlf.psk"), []byte("crlf.line.key\r\n"))
	}
	runCases(t, "strings", []ruleCase{
		{name: "description-too-long", col: 17, detail: "The description is 81 bytes; FRR accepts at most 80."},
		{name: "description-bytes", col: 17, detail: "The description is 81 bytes"},
		{name: "ok-description-longest"},
		{name: "ok-description-unicode"},
		{name: "description-newline", col: 17, detail: "the control character U+000A; it must be a single line of printable text"},
		{name: "description-tab", col: 17, detail: "U+0009"},
		{name: "description-line-separator", col: 17, detail: "U+2028"},
		{name: "description-escape", col: 17, detail: "U+001B"},
		{name: "mtu-too-small-ipv6", col: 17, detail: mtu + "; 1279 is not."},
		{name: "ok-mtu-ipv6-min"},
		{name: "mtu-too-small-ipv4", col: 17, detail: "575 is not"},
		{name: "ok-mtu-ipv4-min"},
		{name: "mtu-too-large", col: 17, detail: "9001 is not"},
		{name: "ok-mtu-max"},
		{name: "mtu-zero", col: 17, detail: "0 is not"},
		{name: "mtu-huge", col: 17, detail: `The argument "mtu" must be a whole number from 1280 to 9000`},
		{name: "psk-too-short", col: 9, detail: `The pre-shared key from env("SHORT_PSK") breaks a rule for keys; vtic does not say which part, since the key comes from the environment. Use at least 8 bytes`, env: psks},
		{name: "ok-psk-shortest", env: psks},
		{name: "psk-control-character", col: 9, detail: `The pre-shared key from file("secrets/tab.psk") has a non-printable byte at offset 3`},
		{name: "psk-two-lines", col: 9, detail: "non-printable byte at offset 17"},
		{name: "ok-psk-crlf", setup: crlf},
		{name: "psk-non-ascii", col: 9, detail: `env("UTF8_PSK") breaks a rule for keys`, env: psks},
		{name: "aws-psk-too-long", col: 9, detail: `env("PSK65") breaks a rule for keys; vtic does not say which part, since the key comes from the environment. AWS accepts 8 to 64 characters`, env: psks},
		{name: "ok-aws-psk-longest", env: psks},
		{name: "ok-generic-psk-long", env: psks},
		{name: "aws-psk-leading-zero", col: 9, detail: "not starting with 0", env: psks},
		{name: "ok-generic-psk-leading-zero", env: psks},
		{name: "aws-psk-dash", col: 9, detail: "only letters, digits, '.' and '_'; the key from file(\"secrets/dash.psk\") has another character at offset 7"},
		{name: "ok-generic-psk-dash"},
	})
}
