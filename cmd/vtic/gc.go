package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
)

// Collection settings. Parsing HCL allocates about 150 bytes of short-lived
// tokens and syntax nodes per byte of site text, so with Go's default
// (collect each time the heap doubles) a large site spends a sixth of its
// CPU collecting. vtic collects less often instead, and bounds the heap by
// a soft limit in proportion to the site: a 3 MB site (1,000 routers of 10
// tunnels) stays under 256 MiB of RSS, and a site whose live data outgrows
// the floor still gets room to run without collecting continuously.
const (
	gcPercent      = 400
	gcLimitFloor   = 210 << 20
	gcLimitPerByte = 64
)

// tuneGC applies the settings for a run that reads siteBytes of HCL, unless
// the user chose their own with GOGC or GOMEMLIMIT.
func tuneGC(siteBytes int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(gcLimitFloor, gcLimitPerByte*siteBytes))
	debug.SetGCPercent(gcPercent)
}

// siteSize is the size of the *.hcl files directly in dir; 0 when it
// cannot be read (loading reports that).
func siteSize(dir string) int64 {
	names, _ := filepath.Glob(filepath.Join(dir, "*.hcl"))
	var n int64
	for _, name := range names {
		if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() {
			n += st.Size()
		}
	}
	return n
}
