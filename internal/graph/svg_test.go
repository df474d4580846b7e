package graph_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/graph"
	"github.com/vtic/vtic/internal/testkit/require"
)

// svgTexts parses an SVG document as XML and returns the content of its
// <text> elements; a document that is not well-formed XML, or not SVG,
// fails the test.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	// Graphviz declares the SVG 1.1 DTD; the decoder need not fetch it.
	dec.Strict = true
	var texts []string
	var root string
	inText := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
			}
			if el.Name.Local == "text" {
				inText++
				texts = append(texts, "")
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText--
			}
		case xml.CharData:
			if inText > 0 {
				texts[len(texts)-1] += string(el)
			}
		}
	}
	if root != "svg" {
		t.Fatalf("the document's root element is <%s>, not <svg>", root)
	}
	return texts
}

// TestSVG lays every golden site out with the real dot program and finds
// every router's name in a <text> element of the SVG.
func TestSVG(t *testing.T) {
	require.Programs(t, "dot")
	for name, plan := range sites(t) {
		t.Run(name, func(t *testing.T) {
			g := graph.FromHosts(plan.Hosts)
			svg, err := graph.SVG(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			texts := svgTexts(t, svg)
			for _, r := range g.Routers() {
				found := false
				for _, tx := range texts {
					found = found || strings.TrimSpace(tx) == r
				}
				if !found {
					t.Errorf("no <text> of the SVG names the router %s; texts: %q", r, texts)
				}
			}
		})
	}
}
