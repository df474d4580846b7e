// Package plan writes the compiled plan of a router (compile.EncodeHost) as
// one file of the router's output. apply installs it with the other files
// and reads it, never the rendered text, to learn which devices, routes and
// charon connections to converge; status and check read the installed one,
// and the next apply reads it to know what a rollback must put back. It
// holds the pre-shared keys, so it is secret.
package plan

import (
	"fmt"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Path is where the plan goes on the router.
const Path = "etc/vtic/plan.json"

// Renderer writes the plan file.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "plan" }

func (Renderer) Paths() []string { return []string{Path} }

func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	return []targets.File{{Path: Path, Mode: 0o600, Data: compile.EncodeHost(h), Secret: true, Internal: true}}, nil
}

// Decode reads a plan file, as FromBuild and the installed-plan readers
// find it among a router's files.
func Decode(data []byte) (*compile.Host, error) {
	h, err := compile.DecodeHost(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Path, err)
	}
	return h, nil
}
