package labtest

import (
	"bufio"
	"fmt"
	"sort"
	"strings"
)

// IKESA is one IKE SA of `swanctl --list-sas`, as in
//
//	gw1-gw2: #3, ESTABLISHED, IKEv2, 8c1e2f0a6b3d4e5f_i* 1a2b3c4d5e6f7a8b_r
//	  ...
//	  gw1-gw2: #4, reqid 1, INSTALLED, TUNNEL, ESP:AES_CBC-256/HMAC_SHA2_256_128
//	    installed 12s ago, rekeying in 3300s, expires in 3948s
//	    in  c8a6b3a1 (0x0000000c),      0 bytes,     0 packets
//	    out c1d8c2e2 (0x0000000c),      0 bytes,     0 packets
type IKESA struct {
	Name, ID, State string
	SPIs            string // the IKE SPIs: "<initiator's>_i <responder's>_r", * marking ours
	Children        []ChildSA
}

// ChildSA is one CHILD SA of an IKE SA.
type ChildSA struct {
	Name, ID, State string
	InSPI, OutSPI   string
}

// ParseSAs reads the output of `swanctl --list-sas`.
func ParseSAs(out string) []IKESA {
	var sas []IKESA
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		indent := len(line) - len(strings.TrimLeft(line, " "))
		text := strings.TrimSpace(line)
		name, rest, isSA := strings.Cut(text, ": #")
		switch {
		case isSA && indent == 0:
			f := strings.Split(rest, ", ")
			sa := IKESA{Name: name, ID: f[0]}
			if len(f) > 1 {
				sa.State = f[1]
			}
			if len(f) > 3 {
				sa.SPIs = f[3]
			}
			sas = append(sas, sa)
		case isSA && len(sas) > 0:
			f := strings.Split(rest, ", ")
			c := ChildSA{Name: name, ID: f[0]}
			if len(f) > 2 {
				c.State = f[2]
			}
			ike := &sas[len(sas)-1]
			ike.Children = append(ike.Children, c)
		case len(sas) > 0 && len(sas[len(sas)-1].Children) > 0:
			ike := &sas[len(sas)-1]
			c := &ike.Children[len(ike.Children)-1]
			if f := strings.Fields(text); len(f) >= 2 {
				switch f[0] {
				case "in":
					c.InSPI = f[1]
				case "out":
					c.OutSPI = f[1]
				}
			}
		}
	}
	return sas
}

// SAsNamed returns the IKE SAs of connection name.
func SAsNamed(sas []IKESA, name string) []IKESA {
	var out []IKESA
	for _, sa := range sas {
		if sa.Name == name {
			out = append(out, sa)
		}
	}
	return out
}

// Established checks that connection name has an ESTABLISHED IKE SA with
// an INSTALLED CHILD SA of the same name.
func Established(sas []IKESA, name string) error {
	var seen []string
	for _, sa := range SAsNamed(sas, name) {
		seen = append(seen, sa.String())
		if sa.State != "ESTABLISHED" {
			continue
		}
		for _, c := range sa.Children {
			if c.Name == name && c.State == "INSTALLED" {
				return nil
			}
		}
	}
	if len(seen) == 0 {
		return fmt.Errorf("no SA of connection %s", name)
	}
	return fmt.Errorf("connection %s has no ESTABLISHED IKE SA with an INSTALLED CHILD SA: %s", name, strings.Join(seen, "; "))
}

// Identities lists the established IKE SAs and installed CHILD SAs by
// what a re-establishment or rekeying changes (unique id and SPIs),
// sorted. Two equal lists mean no SA was replaced in between.
func Identities(sas []IKESA) []string {
	var out []string
	for _, sa := range sas {
		if sa.State != "ESTABLISHED" {
			continue
		}
		out = append(out, fmt.Sprintf("ike %s #%s %s", sa.Name, sa.ID, sa.SPIs))
		for _, c := range sa.Children {
			if c.State == "INSTALLED" {
				out = append(out, fmt.Sprintf("child %s/%s #%s in %s out %s", sa.Name, c.Name, c.ID, c.InSPI, c.OutSPI))
			}
		}
	}
	sort.Strings(out)
	return out
}

func (sa IKESA) String() string {
	s := fmt.Sprintf("IKE SA #%s %s", sa.ID, sa.State)
	for _, c := range sa.Children {
		s += fmt.Sprintf(", CHILD SA %s #%s %s", c.Name, c.ID, c.State)
	}
	return s
}
