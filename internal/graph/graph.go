package graph

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vtic/vtic/compile"
)

// Graph is a site's routers and peers (Nodes, sorted by name) and its
// tunnels (Edges, sorted by tunnel name).
type Graph struct {
	Nodes []*Node
	Edges []*Edge
}

// Node is a router vtic manages or a peer it does not.
type Node struct {
	Name     string
	Router   bool
	ASN      uint32 // 0: none known
	Announce []netip.Prefix
	// Status is empty in a site's graph; in a diff's it says how the
	// router changed ("added", "removed", "changed").
	Status string
}

// Edge is one tunnel. Ends[0] is the end whose node sorts first.
type Edge struct {
	Tunnel  string
	Ends    [2]End
	Enabled bool
	Status  string // as Node.Status
}

// End is one side of a tunnel.
type End struct {
	Node      string
	Interface string       // empty on a peer
	Inside    netip.Prefix // the end's inside address with its prefix length
}

// FromHosts builds the graph of compiled routers. A tunnel between two
// routers appears in both of their hosts and becomes one edge.
func FromHosts(hosts []*compile.Host) *Graph {
	g := &Graph{}
	nodes := map[string]*Node{}
	edges := map[string]*Edge{}
	node := func(name string) *Node {
		n := nodes[name]
		if n == nil {
			n = &Node{Name: name}
			nodes[name] = n
			g.Nodes = append(g.Nodes, n)
		}
		return n
	}
	for _, h := range hosts {
		n := node(h.Name)
		n.Router, n.ASN, n.Announce = true, h.ASN, slices.Clone(h.Announce)
		for _, t := range h.Tunnels {
			local := End{Node: h.Name, Interface: t.Interface, Inside: t.Inside}
			remote := End{Node: t.RemoteName}
			if t.RemoteInside.IsValid() && t.Inside.IsValid() {
				remote.Inside = netip.PrefixFrom(t.RemoteInside, t.Inside.Bits())
			}
			if !t.RemoteIsRouter {
				p := node(t.RemoteName)
				if t.BGP != nil {
					p.ASN = t.BGP.RemoteASN
				}
			}
			e := edges[t.Name]
			if e == nil {
				e = &Edge{Tunnel: t.Name, Ends: [2]End{local, remote}, Enabled: t.Enabled}
				edges[t.Name] = e
				g.Edges = append(g.Edges, e)
			} else {
				// The other router's view: its own end is the one it knows.
				for i := range e.Ends {
					if e.Ends[i].Node == h.Name {
						e.Ends[i] = local
					}
				}
				e.Enabled = e.Enabled && t.Enabled
			}
			if strings.Compare(e.Ends[0].Node, e.Ends[1].Node) > 0 {
				e.Ends[0], e.Ends[1] = e.Ends[1], e.Ends[0]
			}
		}
	}
	return Sorted(g)
}

// Sorted sorts a graph built by hand (vtic diff's part of one) the way
// FromHosts does, nodes by name and edges by tunnel, and returns it.
func Sorted(g *Graph) *Graph {
	slices.SortFunc(g.Nodes, func(a, b *Node) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(g.Edges, func(a, b *Edge) int { return strings.Compare(a.Tunnel, b.Tunnel) })
	return g
}

// Routers returns the names of the graph's routers, sorted.
func (g *Graph) Routers() []string {
	var out []string
	for _, n := range g.Nodes {
		if n.Router {
			out = append(out, n.Name)
		}
	}
	return out
}
