package realcheck

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

// Debian's libreswan conflicts with strongSwan's packages, so it is never
// installed here: `just setup` downloads its .deb and unpacks it (dpkg-deb
// -x) into LibreswanDir, and the tests run its programs from there. Its
// shared libraries are ordinary Debian packages that setup installs.

// LibreswanEnv names a directory to use instead of the repository's cache.
const LibreswanEnv = "VTIC_LIBRESWAN_DIR"

// LibreswanDir is where `just setup` unpacks Debian's libreswan package:
// $VTIC_LIBRESWAN_DIR, or .cache/libreswan at the top of the repository.
func LibreswanDir() string {
	if d := os.Getenv(LibreswanEnv); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", ".cache", "libreswan")
}

// Libreswan is an unpacked libreswan package.
type Libreswan struct{ Dir string }

// FindLibreswan returns the unpacked package, or skips (fails with CI=true)
// when `just setup` has not unpacked it.
func FindLibreswan(t testing.TB) Libreswan {
	t.Helper()
	l := Libreswan{Dir: LibreswanDir()}
	if _, err := os.Stat(l.Exec("pluto")); err != nil {
		require.SkipOrFail(t, "needs libreswan's programs unpacked in %s (just setup does it): %v", l.Dir, err)
	}
	return l
}

// Exec is the path of one of libreswan's programs (pluto, addconn, whack,
// algparse, _updown.xfrm…).
func (l Libreswan) Exec(name string) string {
	return filepath.Join(l.Dir, "usr", "libexec", "ipsec", name)
}

// Addconn checks a file of conns with libreswan's own configuration parser,
// `addconn --checkconfig`, the way Debian's /etc/ipsec.conf would read it:
// through an include after a config setup section.
func (l Libreswan) Addconn(t testing.TB, file string) {
	t.Helper()
	main := filepath.Join(t.TempDir(), "ipsec.conf")
	if err := os.WriteFile(main, []byte("config setup\n\tlogfile=/dev/null\n\ninclude "+file+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(nil, l.Exec("addconn"), "--checkconfig", "--config", main)
	if r.err != nil || r.code != 0 || r.stderr != "" {
		t.Fatalf("realcheck: addconn rejected %s:\n%s", file, r.output())
	}
}

// Algparse checks a proposal list (ike=… or esp=…) with libreswan's
// algorithm parser, for IKEv1 or IKEv2, with or without PFS.
func (l Libreswan) Algparse(t testing.TB, proposals string, ikev2, pfs bool) {
	t.Helper()
	args := []string{"-v1"}
	if ikev2 {
		args[0] = "-v2"
	}
	if pfs {
		args = append(args, "-pfs")
	}
	r := run(nil, l.Exec("algparse"), append(args, proposals)...)
	if r.err != nil || r.code != 0 {
		t.Errorf("realcheck: algparse rejected %s:\n%s", proposals, r.output())
	}
}
