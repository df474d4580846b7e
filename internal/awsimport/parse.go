package awsimport

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Parse reads an AWS "Generic" VPN configuration text. name is used in
// messages ("NAME:LINE: msg") and in the header of the generated file.
//
// On problems Parse still returns what it could read, with an error that
// joins one *Error per problem in line order (see Errors). Problems are
// malformed values, missing required values (Pre-Shared Key, Virtual
// Private Gateway outside address, both inside addresses), and
// contradictions: a neighbor address that is not the peer's inside address,
// inside addresses that do not share one /30, a tunnel number used twice,
// tunnels that disagree on ASNs, routing mode or customer gateway.
func Parse(name string, src []byte) (*Config, error) {
	p := &parser{
		cfg:  &Config{Name: name},
		errs: errorList{name: name},
		seen: map[string]int{},
	}
	lines := splitLines(src)
	for i, raw := range lines {
		n := i + 1
		t := strings.TrimSpace(raw)
		switch {
		case t == "" || isRule(t):
		case tunnelHeaderRE.MatchString(t):
			p.startTunnel(tunnelHeaderRE.FindStringSubmatch(t)[1], n)
		case i+1 < len(lines) && isRule(strings.TrimSpace(lines[i+1])):
			// Any other underlined header ("Additional Notes and
			// Questions") ends the tunnel section before it.
			p.cur = nil
		case subsectionRE.MatchString(t):
			p.startSubsection(subsectionRE.FindStringSubmatch(t)[1], n)
		case addressGroupRE.MatchString(t):
			if p.cur != nil {
				p.cur.group = strings.ToLower(addressGroupRE.FindStringSubmatch(t)[1])
			}
		default:
			if label, value, ok := splitPair(t); ok {
				p.pair(label, value, n)
			}
		}
	}

	slices.SortStableFunc(p.tunnels, func(a, b *tunnelState) int { return cmp.Compare(a.t.Number, b.t.Number) })
	for _, ts := range p.tunnels {
		p.cfg.Tunnels = append(p.cfg.Tunnels, ts.t)
	}
	check(p.tunnels, &p.errs)
	return p.cfg, p.errs.err()
}

type parser struct {
	cfg     *Config
	errs    errorList
	seen    map[string]int // top-level label -> first line
	tunnels []*tunnelState // kept tunnels, in text order
	cur     *tunnelState   // tunnel section being read, nil outside one
}

// tunnelState is what the parser knows about a tunnel beyond its values:
// where things were, so that problems can point at the right line.
type tunnelState struct {
	t        *Tunnel
	section  int            // current "#N:" subsection, 0 before the first
	group    string         // "outside" or "inside" within section #3
	sections map[int]int    // subsection number -> header line
	seen     map[string]int // field name -> first line, malformed or not
}

func (p *parser) startTunnel(num string, line int) {
	n, _ := strconv.Atoi(num) // the pattern allows only up to three digits
	ts := &tunnelState{
		t:        &Tunnel{Number: n, Line: line},
		sections: map[int]int{},
		seen:     map[string]int{},
	}
	p.cur = ts
	if n == 0 {
		p.errs.add(line, "tunnel number 0 is not valid; AWS numbers tunnels from 1")
		return
	}
	for _, other := range p.tunnels {
		if other.t.Number == n {
			// Read the duplicate into a scratch tunnel so its values
			// neither overwrite the first one nor raise more errors.
			p.errs.add(line, "IPSec Tunnel #%d appears twice (first at line %d)", n, other.t.Line)
			return
		}
	}
	p.tunnels = append(p.tunnels, ts)
}

func (p *parser) startSubsection(num string, line int) {
	if p.cur == nil {
		return
	}
	n, _ := strconv.Atoi(num)
	p.cur.section, p.cur.group = n, ""
	if _, dup := p.cur.sections[n]; !dup {
		p.cur.sections[n] = line
	}
}

func (p *parser) pair(label, value string, line int) {
	if p.topLevel(label, value, line) || p.cur == nil {
		return
	}
	f, ok := tunnelField(label, p.cur.section, p.cur.group)
	if !ok {
		return
	}
	if first, dup := p.cur.seen[f.name]; dup {
		p.errs.add(line, "%s appears twice in IPSec Tunnel #%d (first at line %d)", f.name, p.cur.t.Number, first)
		return
	}
	p.cur.seen[f.name] = line
	if msg := f.set(p.cur.t, value, line); msg != "" {
		p.errs.add(line, "%s", msg)
		return
	}
	if b := p.cur.t.BGP; b != nil && b.Line == 0 {
		b.Line = p.cur.sections[4]
		if b.Line == 0 {
			b.Line = line
		}
	}
}

// topLevel stores the connection and gateway identifiers, which are unique
// labels and so are accepted wherever they appear.
func (p *parser) topLevel(label, value string, line int) bool {
	var dst *Text
	name := ""
	switch strings.TrimPrefix(label, "your ") {
	case "vpn connection id":
		dst, name = &p.cfg.VPNConnectionID, "VPN Connection ID"
	case "virtual private gateway id":
		dst, name = &p.cfg.VPNGatewayID, "Virtual Private Gateway ID"
	case "customer gateway id":
		dst, name = &p.cfg.CustomerGatewayID, "Customer Gateway ID"
	default:
		return false
	}
	if first, dup := p.seen[name]; dup {
		p.errs.add(line, "%s appears twice (first at line %d)", name, first)
		return true
	}
	p.seen[name] = line
	if value == "" {
		p.errs.add(line, "%s is empty", name)
		return true
	}
	*dst = Text{Value: value, Line: line}
	return true
}
