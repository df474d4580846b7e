package bird_test

import (
	"path/filepath"
	"testing"

	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/bird"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, bird.Renderer{})
}

// TestBirdParses checks every rendered bird.conf with `bird -p -c`.
func TestBirdParses(t *testing.T) {
	n := 0
	for ex, hosts := range targettest.Golden(t, bird.Renderer{}) {
		for host, files := range hosts {
			for _, f := range files {
				n++
				t.Run(ex+"/"+host, func(t *testing.T) {
					dir := t.TempDir()
					targettest.WriteTree(t, dir, files)
					realcheck.Bird(t, filepath.Join(dir, filepath.FromSlash(f.Path)))
				})
			}
		}
	}
	if n == 0 {
		t.Fatal("no example has a BIRD router")
	}
}
