package review

import (
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/graph"
)

// changeGraph is the part of the network a change touches: every router
// that was added, removed or changed, every tunnel that was, and the
// routers and peers at the ends of those tunnels. Tunnels come from the
// head, a removed one from the base. nil when tunnels were not compared or
// nothing changed.
func changeGraph(r *Report, base, head Side) *graph.Graph {
	if !r.TunnelsCompared {
		return nil
	}
	baseG, headG := sideGraph(base), sideGraph(head)
	g := &graph.Graph{}
	nodes := map[string]*graph.Node{}
	addNode := func(name string, router bool, status Status) {
		n := nodes[name]
		if n == nil {
			n = &graph.Node{Name: name, Router: router}
			nodes[name] = n
			g.Nodes = append(g.Nodes, n)
		}
		if status != Unchanged && status != "" {
			n.Status = string(status)
		}
	}
	seen := map[string]bool{}
	for _, rc := range r.Routers {
		if rc.Status == Unchanged {
			continue
		}
		addNode(rc.Name, true, rc.Status)
		for _, tc := range rc.Tunnels {
			if tc.Status == Unchanged || seen[tc.Name] {
				continue
			}
			seen[tc.Name] = true
			from := headG
			if tc.Status == Removed {
				from = baseG
			}
			e := from.edges[tc.Name]
			if e == nil {
				continue
			}
			edge := *e
			edge.Status = string(tc.Status)
			g.Edges = append(g.Edges, &edge)
			for _, end := range edge.Ends {
				addNode(end.Node, from.routers[end.Node], "")
			}
		}
	}
	if len(g.Nodes) == 0 {
		return nil
	}
	return graph.Sorted(g)
}

// indexedGraph is a side's graph with its edges by tunnel name.
type indexedGraph struct {
	edges   map[string]*graph.Edge
	routers map[string]bool
}

func sideGraph(s Side) indexedGraph {
	hosts := make([]*compile.Host, len(s.Routers))
	for i, r := range s.Routers {
		hosts[i] = &compile.Host{Name: r.Name, Tunnels: r.Tunnels}
	}
	g := graph.FromHosts(hosts)
	ix := indexedGraph{edges: map[string]*graph.Edge{}, routers: map[string]bool{}}
	for _, e := range g.Edges {
		ix.edges[e.Tunnel] = e
	}
	for _, n := range g.Nodes {
		ix.routers[n.Name] = n.Router
	}
	return ix
}
