// Package targets defines what a renderer produces: files with the path they
// get on the router, their mode and their bytes. Each output format is one
// subpackage with one Renderer, which declares the paths it writes, and
// golden-file tests; bundle lists the renderers and puts their files
// together with a manifest. Renderers read only a compile.Host, and each
// owns its file formats and paths: nothing outside it spells them out.
//
// Adding a render-only target is one new subpackage and one line in
// bundle.Renderers; apply installs its files and review compares them.
package targets
