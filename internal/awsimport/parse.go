package awsimport

import (
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Parse reads an AWS "Generic" VPN configuration text. filename names the
// text in diagnostic ranges (give the path the user gave) and, without its
// directory, in the header of the generated file.
//
// Parse returns what it could read even when there are problems, with one
// diagnostic per problem, ordered by position. Problems are malformed
// values, missing required values (Pre-Shared Key, Virtual Private Gateway
// outside address, both inside addresses), values the site language would
// refuse (keys, AS numbers, inside addresses, MTU), and contradictions: a
// neighbor address that is not the peer's inside address, inside addresses
// that do not share one network, a tunnel number used twice, tunnels that
// disagree on ASNs, routing mode or customer gateway.
func Parse(filename string, src []byte) (*Config, hcl.Diagnostics) {
	p := &parser{
		cfg:  &Config{Name: filename},
		seen: map[string]hcl.Range{},
	}
	redacted := append([]byte(nil), src...)
	lines := splitLines(filename, src)
	for i, l := range lines {
		t := strings.TrimSpace(l.text)
		switch {
		case t == "" || isRule(t):
		case tunnelHeaderRE.MatchString(t):
			p.startTunnel(tunnelHeaderRE.FindStringSubmatch(t)[1], l.trimmed())
		case i+1 < len(lines) && isRule(strings.TrimSpace(lines[i+1].text)):
			// Any other underlined header ("Additional Notes and
			// Questions") ends the tunnel section before it.
			p.cur = nil
		case subsectionRE.MatchString(t):
			p.startSubsection(subsectionRE.FindStringSubmatch(t)[1], l.trimmed())
		case addressGroupRE.MatchString(t):
			if p.cur != nil {
				p.cur.group = strings.ToLower(addressGroupRE.FindStringSubmatch(t)[1])
			}
		default:
			if pr, ok := splitPair(l); ok {
				if pr.label == "pre-shared key" {
					redact(redacted, pr.valueRange)
				}
				p.pair(pr)
			}
		}
	}
	p.cfg.File = &hcl.File{Bytes: redacted}

	slices.SortStableFunc(p.tunnels, func(a, b *tunnelState) int { return cmp.Compare(a.t.Number, b.t.Number) })
	for _, ts := range p.tunnels {
		p.cfg.Tunnels = append(p.cfg.Tunnels, ts.t)
	}
	check(p.cfg, p.tunnels, &p.diags)
	sortDiags(p.diags)
	return p.cfg, p.diags
}

// redact overwrites a key in the copy of the text that diagnostics quote.
func redact(b []byte, rng hcl.Range) {
	for i := rng.Start.Byte; i < rng.End.Byte && i < len(b); i++ {
		b[i] = '*'
	}
}

type parser struct {
	cfg     *Config
	diags   hcl.Diagnostics
	seen    map[string]hcl.Range // top-level label -> first label
	tunnels []*tunnelState       // kept tunnels, in text order
	cur     *tunnelState         // tunnel section being read, nil outside one
}

// tunnelState is what the parser knows about a tunnel beyond its values:
// where things were, so that problems can point at the right line.
type tunnelState struct {
	t        *Tunnel
	section  int                  // current "#N:" subsection, 0 before the first
	group    string               // "outside" or "inside" within section #3
	sections map[int]hcl.Range    // subsection number -> header
	seen     map[string]hcl.Range // field name -> first label, malformed or not
}

func (p *parser) startTunnel(num string, rng hcl.Range) {
	n, _ := strconv.Atoi(num) // the pattern allows only up to three digits
	ts := &tunnelState{
		t:        &Tunnel{Number: n, Range: rng},
		sections: map[int]hcl.Range{},
		seen:     map[string]hcl.Range{},
	}
	p.cur = ts
	if n == 0 {
		p.diags = append(p.diags, errorAt(rng, "Invalid tunnel number",
			"AWS numbers tunnels from 1; IPSec Tunnel #0 cannot come from AWS. Download the configuration again."))
		return
	}
	for _, other := range p.tunnels {
		if other.t.Number == n {
			// Read the duplicate into a scratch tunnel so its values
			// neither overwrite the first one nor raise more errors.
			p.diags = append(p.diags, errorAt(rng, "Duplicate tunnel",
				"IPSec Tunnel #%d was already described at %s. Import one AWS configuration per file; remove the second copy.", n, where(other.t.Range)))
			return
		}
	}
	p.tunnels = append(p.tunnels, ts)
}

func (p *parser) startSubsection(num string, rng hcl.Range) {
	if p.cur == nil {
		return
	}
	n, _ := strconv.Atoi(num)
	p.cur.section, p.cur.group = n, ""
	if _, dup := p.cur.sections[n]; !dup {
		p.cur.sections[n] = rng
	}
}

func (p *parser) pair(pr pair) {
	if p.topLevel(pr) || p.cur == nil {
		return
	}
	f, ok := tunnelField(pr.label, p.cur.section, p.cur.group)
	if !ok {
		return
	}
	if first, dup := p.cur.seen[f.name]; dup {
		p.diags = append(p.diags, errorAt(pr.labelRange, "Duplicate value",
			"%s is given twice in IPSec Tunnel #%d; the first is at %s. Remove one of them.", f.name, p.cur.t.Number, where(first)))
		return
	}
	p.cur.seen[f.name] = pr.labelRange
	if d := f.set(p.cur.t, pr); d != nil {
		p.diags = append(p.diags, d)
		return
	}
	if b := p.cur.t.BGP; b != nil && !present(b.Range) {
		b.Range = p.cur.sections[4]
		if !present(b.Range) {
			b.Range = pr.labelRange
		}
	}
}

// topLevel stores the connection and gateway identifiers, which are unique
// labels and so are accepted wherever they appear.
func (p *parser) topLevel(pr pair) bool {
	var dst *Text
	name := ""
	switch strings.TrimPrefix(pr.label, "your ") {
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
		p.diags = append(p.diags, errorAt(pr.labelRange, "Duplicate value",
			"%s is given twice; the first is at %s. Import one AWS configuration per file.", name, where(first)))
		return true
	}
	p.seen[name] = pr.labelRange
	if pr.value == "" {
		p.diags = append(p.diags, emptyValue(name, pr))
		return true
	}
	*dst = Text{Value: pr.value, Range: pr.valueRange}
	return true
}

// baseName is the file name without its directory, for the generated header.
func baseName(name string) string { return filepath.Base(name) }
