package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/graph"
	"github.com/vtic/vtic/internal/testkit/require"
)

// page embeds the SVG twice: as a file in an <img>, which a browser draws
// only if the file is a valid SVG image, and inline, so that a script can
// ask the layout engine how large each <text> was drawn. After the load
// event the script writes what it measured into <pre id="result">, which
// --dump-dom prints.
const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>vtic graph</title></head>
<body>
<img id="img" src="graph.svg" alt="graph">
<div id="inline">%SVG%</div>
<pre id="result">not run</pre>
<script>
window.addEventListener("error", function (e) {
  document.getElementById("result").textContent = JSON.stringify({error: String(e.message)});
});
window.addEventListener("load", function () {
  var img = document.getElementById("img");
  var svg = document.querySelector("#inline svg");
  var texts = [];
  document.querySelectorAll("#inline svg text").forEach(function (t) {
    var b = t.getBBox();
    texts.push({text: t.textContent.trim(), w: b.width, h: b.height});
  });
  var box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  document.getElementById("result").textContent = JSON.stringify({
    img: {complete: img.complete, w: img.naturalWidth, h: img.naturalHeight},
    svg: {w: box.width, h: box.height},
    texts: texts
  });
});
</script>
</body></html>
`

type measured struct {
	Error string
	Img   struct {
		Complete bool
		W, H     float64
	}
	SVG   struct{ W, H float64 }
	Texts []struct {
		Text string
		W, H float64
	}
}

var resultRE = regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`)

// TestChromium draws the SVG of the mesh example and of testdata/site in
// headless Chromium: the <img> must load with a size, and every router's
// name must be drawn (a <text> with a non-empty box).
func TestChromium(t *testing.T) {
	require.Programs(t, "dot", "chromium")
	plans := sites(t)
	for _, name := range []string{"site", "example-mesh"} {
		t.Run(name, func(t *testing.T) {
			g := graph.FromHosts(plans[name].Hosts)
			svg, err := graph.SVG(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			inline := svg[bytes.Index(svg, []byte("<svg")):]
			htmlPage := bytes.Replace([]byte(page), []byte("%SVG%"), inline, 1)
			for file, data := range map[string][]byte{"graph.svg": svg, "graph.html": htmlPage} {
				if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-dev-shm-usage", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
				"--allow-file-access-from-files", "--virtual-time-budget=10000",
				"--dump-dom", "file://"+filepath.Join(dir, "graph.html"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			cmd.Env = append(os.Environ(), "HOME="+dir)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("chromium: %v\n%s", err, stderr.Bytes())
			}
			m := resultRE.FindSubmatch(out)
			if m == nil {
				t.Fatalf("chromium's DOM has no result:\n%s", out)
			}
			var got measured
			if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
				t.Fatalf("the page's script did not finish (%v): %s", err, m[1])
			}
			if got.Error != "" {
				t.Fatalf("the page raised an error: %s", got.Error)
			}
			if !got.Img.Complete || got.Img.W <= 0 || got.Img.H <= 0 {
				t.Errorf("the SVG file did not load as an image: %+v", got.Img)
			}
			if got.SVG.W <= 0 || got.SVG.H <= 0 {
				t.Errorf("the inline SVG has no size: %+v", got.SVG)
			}
			for _, r := range g.Routers() {
				drawn := false
				for _, tx := range got.Texts {
					drawn = drawn || (tx.Text == r && tx.W > 0 && tx.H > 0)
				}
				if !drawn {
					t.Errorf("the router %s is not drawn; texts: %+v", r, got.Texts)
				}
			}
		})
	}
}
