package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
)

// SVG lays the graph out with Graphviz's dot program and returns the SVG
// it draws. dot must be installed (Debian's graphviz package).
func SVG(ctx context.Context, g *Graph) ([]byte, error) {
	path, err := exec.LookPath("dot")
	if err != nil {
		return nil, fmt.Errorf("render svg: graphviz's dot program is not installed (apt-get install graphviz): %w", err)
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, "-Tsvg")
	cmd.Stdin = bytes.NewReader(DOT(g))
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := bytes.TrimSpace(stderr.Bytes())
		if len(msg) > 0 {
			err = errors.Join(err, errors.New(string(msg)))
		}
		return nil, fmt.Errorf("render svg with %s: %w", path, err)
	}
	return out.Bytes(), nil
}
