//go:build !unix

package buildout

import "io/fs"

// umask: there is no file mode creation mask here; files get the modes
// vtic gives them (which Windows mostly ignores).
func umask() fs.FileMode { return 0 }
