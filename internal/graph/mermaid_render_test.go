package graph_test

import (
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// mermaidJS is Mermaid's browser bundle, as `just setup` installs it from
// npm (the renderer GitHub uses for ```mermaid blocks); VTIC_MERMAID_JS
// names another copy.
func mermaidJS() string {
	if p := os.Getenv("VTIC_MERMAID_JS"); p != "" {
		return p
	}
	return filepath.Join("..", "..", ".cache", "mermaid", "node_modules", "mermaid", "dist", "mermaid.min.js")
}

// renderPage renders each input with Mermaid in the page and writes, per
// input, the error or the text and size of every node drawn and the number
// of edge labels, into <pre id="result">.
const renderPage = `<!doctype html>
<html><head><meta charset="utf-8"></head><body>
<pre id="result">not run</pre>
<script src="mermaid.min.js"></script>
<script>
const inputs = %INPUTS%;
(async () => {
  const out = {};
  try {
    mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
    let i = 0;
    for (const [name, text] of Object.entries(inputs)) {
      try {
        const {svg} = await mermaid.render("g" + (i++), text);
        const div = document.createElement("div");
        div.innerHTML = svg;
        document.body.appendChild(div);
        const nodes = [...div.querySelectorAll("g.node")].map(function (n) {
          const b = n.getBBox();
          return {text: n.textContent.trim(), w: b.width, h: b.height};
        });
        out[name] = {nodes: nodes, edgeLabels: div.querySelectorAll("g.edgeLabel").length};
      } catch (e) {
        out[name] = {error: String((e && e.message) || e)};
      }
    }
  } catch (e) {
    out["(page)"] = {error: String(e)};
  }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script>
</body></html>
`

type mermaidResult struct {
	Error string
	Nodes []struct {
		Text string
		W, H float64
	}
	EdgeLabels int
}

var mermaidBlock = regexp.MustCompile("(?s)```mermaid\n(.*?)```")

// TestMermaidRenders draws every golden Mermaid graph (vtic graph's, and
// the ones vtic diff's markdown goldens embed) with Mermaid itself in
// headless Chromium: each must parse, draw one node per node line with a
// non-empty box whose text starts with the node's name, and one label per
// edge.
func TestMermaidRenders(t *testing.T) {
	require.Programs(t, "chromium")
	js, err := os.ReadFile(mermaidJS())
	if err != nil {
		require.SkipOrFail(t, "Mermaid's bundle is not installed (just setup installs it): %v", err)
	}
	inputs := map[string]string{}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "*.mermaid"))
	for _, name := range goldens {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(name)] = string(b)
	}
	diffs, _ := filepath.Glob(filepath.Join("..", "review", "testdata", "*.md"))
	for _, name := range diffs {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if m := mermaidBlock.FindSubmatch(b); m != nil {
			inputs["review/"+filepath.Base(name)] = string(m[1])
		}
	}
	if len(goldens) < 3 || len(inputs) < len(goldens)+2 {
		t.Fatalf("found %d graph goldens and %d inputs in all; the test needs the graph and diff goldens", len(goldens), len(inputs))
	}

	dir := t.TempDir()
	in, err := json.Marshal(inputs)
	if err != nil {
		t.Fatal(err)
	}
	// </script> cannot occur in the JSON: json.Marshal escapes < and >.
	page := strings.Replace(renderPage, "%INPUTS%", string(in), 1)
	for file, data := range map[string][]byte{"mermaid.min.js": js, "page.html": []byte(page)} {
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-dev-shm-usage", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--allow-file-access-from-files", "--virtual-time-budget=30000",
		"--dump-dom", "file://"+filepath.Join(dir, "page.html"))
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	m := resultRE.FindSubmatch(out)
	if m == nil {
		t.Fatalf("chromium's DOM has no result:\n%s", out)
	}
	var got map[string]mermaidResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatalf("the page's script did not finish (%v): %s", err, m[1])
	}
	if e := got["(page)"].Error; e != "" {
		t.Fatalf("Mermaid did not start: %s", e)
	}
	nodeLine := regexp.MustCompile(`(?m)^  n\d+\(?\["([^<"]+)`)
	for name, text := range inputs {
		r, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: not rendered", name)
			continue
		case r.Error != "":
			t.Errorf("%s: Mermaid refused it: %s\n%s", name, r.Error, text)
			continue
		}
		want := nodeLine.FindAllStringSubmatch(text, -1)
		if len(r.Nodes) != len(want) {
			t.Errorf("%s: %d nodes drawn, want %d", name, len(r.Nodes), len(want))
		}
		for _, w := range want {
			drawn := false
			for _, n := range r.Nodes {
				drawn = drawn || (strings.HasPrefix(n.Text, w[1]) && n.W > 0 && n.H > 0)
			}
			if !drawn {
				t.Errorf("%s: node %q not drawn; nodes: %+v", name, w[1], r.Nodes)
			}
		}
		if edges := strings.Count(text, `|"`); r.EdgeLabels != edges {
			t.Errorf("%s: %d edge labels drawn, want %d", name, r.EdgeLabels, edges)
		}
	}
}
