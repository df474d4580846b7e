// Package iptables renders iptables-restore input that admits IKE and ESP
// from each peer, BGP and forwarding on the VTIs, and clamps TCP MSS on
// them. Every rule lives in a chain vtic owns (VTIC-…); the file is meant for
// `iptables-restore --noflush`, which empties only the chains it declares, so
// rules that vtic did not write survive. The jumps from the built-in chains
// into vtic's chains are added by apply, once, because a jump written here
// would be appended again on every restore.
package iptables

import (
	"fmt"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Path is where the rules go on the router.
const Path = "etc/vtic/iptables.rules"

// Chains vtic owns, by table, and the built-in chain that jumps to each.
var Chains = []Chain{
	{Table: "filter", Name: "VTIC-INPUT", From: "INPUT"},
	{Table: "filter", Name: "VTIC-FORWARD", From: "FORWARD"},
	{Table: "mangle", Name: "VTIC-MSS", From: "FORWARD"},
	{Table: "mangle", Name: "VTIC-MSS-OUT", From: "OUTPUT"},
}

// Chain is one of vtic's chains.
type Chain struct{ Table, Name, From string }

// Renderer renders the rules file.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "iptables" }

func (Renderer) Paths() []string { return []string{Path} }

func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	return []targets.File{{Path: Path, Mode: 0o644, Data: render(h)}}, nil
}

func render(h *compile.Host) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# %s", targets.Header(h))
	w("# Load with iptables-restore --noflush; the VTIC chains are jumped to from")
	for _, c := range Chains {
		w("#   %s %s -> %s", c.Table, c.From, c.Name)
	}
	var ts []*compile.Tunnel
	for _, t := range h.Tunnels {
		// The VTI is an IPv4 device only for IPv4 outer addresses; IPv6
		// tunnels would need ip6tables and are not written here.
		if t.Enabled && t.Local.Is4() {
			ts = append(ts, t)
		}
	}
	w("*filter")
	w(":VTIC-INPUT - [0:0]")
	w(":VTIC-FORWARD - [0:0]")
	for _, t := range ts {
		src := fmt.Sprintf("-s %s/32 -d %s/32", t.Remote, t.Local)
		w("-A VTIC-INPUT %s -p udp -m udp --dport 500 -m comment --comment %s -j ACCEPT", src, t.Name)
		w("-A VTIC-INPUT %s -p udp -m udp --dport 4500 -m comment --comment %s -j ACCEPT", src, t.Name)
		w("-A VTIC-INPUT %s -p esp -m comment --comment %s -j ACCEPT", src, t.Name)
		if t.BGP != nil && t.BGP.Neighbor.Is4() {
			w("-A VTIC-INPUT -i %s -s %s/32 -p tcp -m tcp --dport 179 -m comment --comment %s -j ACCEPT", t.Interface, t.BGP.Neighbor, t.Name)
			w("-A VTIC-INPUT -i %s -s %s/32 -p tcp -m tcp --sport 179 -m comment --comment %s -j ACCEPT", t.Interface, t.BGP.Neighbor, t.Name)
		}
		w("-A VTIC-INPUT -i %s -p icmp -m comment --comment %s -j ACCEPT", t.Interface, t.Name)
		w("-A VTIC-FORWARD -i %s -m comment --comment %s -j ACCEPT", t.Interface, t.Name)
		w("-A VTIC-FORWARD -o %s -m comment --comment %s -j ACCEPT", t.Interface, t.Name)
	}
	w("COMMIT")
	w("*mangle")
	w(":VTIC-MSS - [0:0]")
	w(":VTIC-MSS-OUT - [0:0]")
	for _, t := range ts {
		for _, chain := range []string{"VTIC-MSS", "VTIC-MSS-OUT"} {
			w("-A %s -o %s -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment %s -j TCPMSS --set-mss %d", chain, t.Interface, t.Name, t.MSS)
		}
	}
	w("COMMIT")
	return []byte(b.String())
}
