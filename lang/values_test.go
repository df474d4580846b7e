package lang

import "testing"

func TestValues(t *testing.T) {
	const addr = `The argument "outside" must be an IPv4 or IPv6 address such as "198.51.100.1"`
	runCases(t, "values", []ruleCase{
		{name: "bad-address", col: 13, detail: addr + `; "192.0.2.300" is not one.`},
		{name: "address-with-prefix", col: 13, detail: `"192.0.2.9/24" is not one`},
		{name: "address-with-zone", col: 13, detail: `"fe80::9%eth0" is not one`},
		{name: "address-number", col: 13, detail: `"192" is not one`},
		{name: "address-list", col: 13, detail: `The argument "outside" must be a string.`},
		{name: "address-null", col: 13, detail: `The argument "outside" must be a string, not null.`},
		{name: "address-variable", col: 13, detail: "Variables may not be used here."},
		{name: "address-function", col: 13, detail: "Functions may not be called here."},
		{name: "ok-mapped-address"},
		{name: "asn-string", col: 13, detail: `The argument "asn" must be a whole number.`},
		{name: "asn-fraction", col: 13, detail: `The argument "asn" must be a whole number from 1 to 4294967294.`},
		{name: "asn-bool", col: 13, detail: `The argument "asn" must be a whole number.`},
		{name: "announce-string", col: 14, detail: `The argument "announce" must be a list of prefixes, such as ["10.20.0.0/16"].`},
		{name: "announce-bad-prefix", col: 30, detail: `"10.10.0.0/33" is not one`, more: []at{{46, `The argument "announce" must be an address with a prefix length, such as "169.254.13.22/30"; "10.11.0.0" is not one.`}}},
		{name: "inside-without-length", col: 17, detail: `The argument "inside" must be an address with a prefix length`},
		{name: "enabled-string", col: 13, detail: `The argument "enabled" must be true or false.`},
		{name: "ok-enabled-string"},
		{name: "description-list", col: 17, detail: `The argument "description" must be a string.`},
		{name: "mtu-string", col: 9, detail: `The argument "mtu" must be a whole number.`},
		{name: "mark-variable", col: 10, detail: "Variables may not be used here."},
		{name: "ok-interface-number"},
	})
}
