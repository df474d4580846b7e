package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// MarkOf returns the tunnel's XFRM mark: the mark attribute, or the mark
// derived from the interface of its first router end.
func (s *Site) MarkOf(t *Tunnel) (uint32, bool) {
	if t.Mark.Set {
		return uint32(t.Mark.Value), t.Mark.Value >= 1 && t.Mark.Value <= maxUint32
	}
	if e := s.markEnd(t); e != nil {
		return DerivedMark(e.Interface.Value)
	}
	return 0, false
}

// markEnd returns the end whose interface an omitted mark is derived from:
// the tunnel's first router end. Between two routers both use that mark.
func (s *Site) markEnd(t *Tunnel) *End {
	for _, e := range t.Ends {
		if s.Router(e.Name) != nil {
			return e
		}
	}
	return nil
}

// checkLeadingZero rejects integer literals such as 012. HCL reads them as
// decimal 12, but the shell appliance and C's strtoul(…, 0) read them as
// octal 10; a number that means two things is refused outright. what names
// the number in the detail; summary is the caller's whole summary, written
// out so that it can be found by grep.
func checkLeadingZero(n Num, what, summary string) *hcl.Diagnostic {
	if len(n.Raw) > 1 && n.Raw[0] == '0' {
		return errorAt(n.Range, summary,
			"The %s %s starts with 0, which some tools read as octal (%s would be %s there). Write it without the leading zero: %d.",
			what, n.Raw, n.Raw, octalReading(n.Raw), n.Value)
	}
	// 1e3 or 12.0 are the same number to HCL, but not to a person
	// grepping router files for the mark: only plain digits are accepted.
	for i := 0; i < len(n.Raw); i++ {
		if n.Raw[i] < '0' || n.Raw[i] > '9' {
			return errorAt(n.Range, summary,
				"The %s %s is not written as plain decimal digits; write it as %d.", what, n.Raw, n.Value)
		}
	}
	return nil
}

// octalReading says what strtoul with base 0 would make of a literal.
func octalReading(raw string) string {
	var v uint64
	for i := 1; i < len(raw); i++ {
		c := raw[i]
		if c < '0' || c > '7' {
			return "invalid"
		}
		v = v*8 + uint64(c-'0')
	}
	return itoa(v)
}

func itoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

func checkMark(t *Tunnel, eps []endpoint) hcl.Diagnostics {
	if t.Mark.Set {
		if t.Mark.Value < 1 || t.Mark.Value > maxUint32 {
			return hcl.Diagnostics{errorAt(t.Mark.Range, "Mark out of range",
				"The mark must be from 1 to 4294967295; %d is not.", t.Mark.Value)}
		}
		if d := checkLeadingZero(t.Mark, "mark", "Ambiguous mark"); d != nil {
			return hcl.Diagnostics{d}
		}
		return nil
	}
	for _, ep := range eps {
		if ep.router == nil || !ep.end.Interface.Set {
			continue
		}
		if _, ok := DerivedMark(ep.end.Interface.Value); !ok {
			return hcl.Diagnostics{errorAt(ep.end.Interface.Range, "Cannot derive mark",
				"The tunnel %q has no mark, and one can be derived only from an interface named vtiN (N from 1). Set mark = NUMBER on the tunnel.", t.Name)}
		}
		return nil
	}
	return nil
}
