package graph_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/graph"
	"github.com/vtic/vtic/internal/testkit/targettest"
)

// sites are the golden cases: every shipped example and testdata/site
// (a /31, a disabled tunnel, peers with and without BGP).
func sites(t *testing.T) map[string]*compile.Plan {
	out := map[string]*compile.Plan{"site": targettest.Compile(t, filepath.Join("testdata", "site"))}
	for _, ex := range targettest.Examples(t) {
		out["example-"+ex.Name] = ex.Plan
	}
	return out
}

// TestGolden writes each site's DOT and Mermaid text, twice, to prove the
// output is byte-stable, and compares it with the golden files.
func TestGolden(t *testing.T) {
	for name, plan := range sites(t) {
		t.Run(name, func(t *testing.T) {
			g := graph.FromHosts(plan.Hosts)
			for ext, render := range map[string]func(*graph.Graph) []byte{"dot": graph.DOT, "mermaid": graph.Mermaid} {
				got := render(g)
				if again := render(graph.FromHosts(plan.Hosts)); !bytes.Equal(got, again) {
					t.Errorf("%s: two renders differ", ext)
				}
				targettest.CompareGolden(t, filepath.Join("testdata", name+"."+ext), got)
				for _, r := range g.Routers() {
					if !bytes.Contains(got, []byte(`"`+r)) {
						t.Errorf("%s lacks the router %s", ext, r)
					}
				}
			}
		})
	}
}

// TestModel checks the model itself on testdata/site: one edge per
// tunnel, a router pair's two views merged, peers and their AS numbers.
func TestModel(t *testing.T) {
	g := graph.FromHosts(targettest.Compile(t, filepath.Join("testdata", "site")).Hosts)
	var names []string
	for _, n := range g.Nodes {
		kind := "peer"
		if n.Router {
			kind = "router"
		}
		names = append(names, n.Name+"/"+kind)
	}
	if got, want := strings.Join(names, " "), "aws-t1/peer hub/router spoke/router static-far/peer"; got != want {
		t.Errorf("nodes %s, want %s", got, want)
	}
	if len(g.Edges) != 3 {
		t.Fatalf("%d edges, want 3", len(g.Edges))
	}
	for _, e := range g.Edges {
		switch e.Tunnel {
		case "hub-spoke":
			if e.Ends[0].Node != "hub" || e.Ends[0].Interface != "vti1" || e.Ends[1].Inside.String() != "169.254.50.1/31" || !e.Enabled {
				t.Errorf("hub-spoke = %+v", e)
			}
		case "hub-far":
			if e.Enabled || e.Ends[1].Node != "static-far" || e.Ends[1].Inside.String() != "169.254.51.1/30" {
				t.Errorf("hub-far = %+v", e)
			}
		case "spoke-aws":
			if e.Ends[0].Node != "aws-t1" || e.Ends[1].Interface != "vti2" {
				t.Errorf("spoke-aws = %+v", e)
			}
		}
	}
	for _, n := range g.Nodes {
		if n.Name == "aws-t1" && n.ASN != 64512 {
			t.Errorf("aws-t1 ASN %d, want 64512", n.ASN)
		}
	}
}
