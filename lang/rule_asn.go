package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// reservedASN lists AS numbers that must never be configured: 0 (RFC 7607),
// 23456 (AS_TRANS, RFC 6793), 65535 and 4294967295 (RFC 7300).
var reservedASN = map[uint64]string{
	0:          "AS 0 is reserved (RFC 7607)",
	23456:      "AS 23456 is AS_TRANS, reserved for 2-byte compatibility (RFC 6793)",
	65535:      "AS 65535 is reserved (RFC 7300)",
	4294967295: "AS 4294967295 is reserved (RFC 7300)",
}

// asnRange is the range of AS numbers that can be configured, for messages.
const asnRange = "from 1 to 4294967294"

func checkASN(n Num) hcl.Diagnostics {
	if !n.Set {
		return nil
	}
	if why, bad := reservedASN[n.Value]; bad {
		return hcl.Diagnostics{errorAt(n.Range, "Reserved AS number",
			"%s. Use an AS number from 1 to 4294967294 that is not reserved; private ones are 64512-65534 and 4200000000-4294967294.", why)}
	}
	if d := checkLeadingZero(n, "AS number", "Ambiguous AS number"); d != nil {
		return hcl.Diagnostics{d}
	}
	return nil
}
