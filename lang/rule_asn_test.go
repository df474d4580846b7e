package lang

import "testing"

func TestRuleASN(t *testing.T) {
	runCases(t, "asn", []ruleCase{
		{name: "zero", col: 13, detail: "AS 0 is reserved (RFC 7607)"},
		{name: "as-trans", col: 13, detail: "AS_TRANS"},
		{name: "last-16-bit", col: 13, detail: "AS 65535 is reserved (RFC 7300)"},
		{name: "last-32-bit", col: 13, detail: "AS 4294967295 is reserved (RFC 7300)"},
		{name: "too-large", col: 13, detail: `The argument "asn" must be a whole number from 1 to 4294967294.`},
		{name: "negative", col: 13, detail: "from 1 to 4294967294"},
		{name: "leading-zero", col: 13, detail: "Write it without the leading zero: 65001."},
		{name: "ok-bounds"},
	})
}
