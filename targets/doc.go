// Package targets defines what a renderer produces: files with the path they
// get on the router, their mode and their bytes. Each output format is one
// subpackage with one Render function and golden-file tests; bundle puts
// them together with a manifest. Renderers read only a compile.Host.
package targets
