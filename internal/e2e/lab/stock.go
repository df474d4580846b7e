package lab

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// A stock router runs with the configuration files its Debian packages
// ship, not with whatever this machine's /etc holds: a person or an earlier
// test may have edited /etc/frr here. dpkg records every file a package
// ships under /etc (its conffiles) with the MD5 digest of the file as
// shipped, which tells a pristine copy from an edited one, and the
// package's .deb holds the shipped file.

// Conffile is one configuration file a package ships, as dpkg records it.
type Conffile struct {
	Package, Version, Arch string
	Path                   string // absolute, under /etc
	MD5                    string // of the file as the package ships it
}

// StockFile says where StockEtc took one file from.
type StockFile struct {
	Path string // absolute path on a router, /etc/frr/daemons
	// FromDeb is true when this machine's copy differed from the package's
	// (or was missing) and the file came out of the .deb.
	FromDeb bool
}

// StockEtc writes into dst the configuration files the installed Debian
// packages ship under the given paths of /etc ("frr", "strongswan.conf",
// "swanctl", …), laid out as under /etc: dst/frr/daemons,
// dst/strongswan.conf. Each file is the one the package ships: this
// machine's copy when its MD5 is the one dpkg recorded, else the file from
// the package's .deb (apt's cache, else `apt-get download` into cacheDir),
// checked against the same digest. The directories the packages ship under
// the paths are made too. Modes and owners are this machine's, which the
// packages' maintainer scripts set (FRR's makes /etc/frr frr:frr), or the
// .deb's for a file missing here. It returns the files written, sorted.
func StockEtc(dst, cacheDir string, paths ...string) ([]StockFile, error) {
	out, err := exec.Command("dpkg-query", "-W", "-f",
		"${Package}\t${Version}\t${Architecture}\t${db:Status-Status}\n${Conffiles}\n").Output()
	if err != nil {
		return nil, fmt.Errorf("list conffiles with dpkg-query: %w", err)
	}
	var want []Conffile
	for _, c := range ParseConffiles(out) {
		if underAny(c.Path, paths) {
			want = append(want, c)
		}
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("no installed package ships a conffile under /etc/{%s}", strings.Join(paths, ","))
	}
	s := stocker{root: "/", dst: dst, cacheDir: cacheDir, extracted: map[string]string{}}
	defer s.cleanup()
	return s.write(want, paths)
}

// RouterPaths are the parts of /etc whose packaged files a stock lab
// router starts with: FRR's and strongSwan's configuration.
var RouterPaths = []string{"frr", "strongswan.conf", "strongswan.d", "swanctl"}

// WriteStockShare writes the configuration files of a stock router
// (StockEtc of RouterPaths) into shareDir/stock, which a guest script
// hands to `lab-router add --stock /share/stock` (or a copy of it). The
// .debs of files edited on this machine are kept in the user's cache
// directory, so that a second run needs no download. It replaces what an
// earlier run left there.
func WriteStockShare(shareDir string) ([]StockFile, error) {
	dst := filepath.Join(shareDir, "stock")
	if err := os.RemoveAll(dst); err != nil {
		return nil, fmt.Errorf("remove old stock files %s: %w", dst, err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	return StockEtc(dst, filepath.Join(cache, "vtic-lab", "debs"), RouterPaths...)
}

// ParseConffiles reads the output of
//
//	dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\t${db:Status-Status}\n${Conffiles}\n'
//
// keeping the conffiles of installed packages that are not obsolete.
func ParseConffiles(out []byte) []Conffile {
	var list []Conffile
	var pkg []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, " ") {
			pkg = strings.Split(line, "\t")
			continue
		}
		if len(pkg) != 4 || pkg[3] != "installed" {
			continue
		}
		f := strings.Fields(line)
		// " /etc/x <md5>", possibly followed by "obsolete" or
		// "remove-on-upgrade".
		if len(f) != 2 || !strings.HasPrefix(f[0], "/etc/") || len(f[1]) != 32 {
			continue
		}
		list = append(list, Conffile{Package: pkg[0], Version: pkg[1], Arch: pkg[2], Path: f[0], MD5: f[1]})
	}
	return list
}

// underAny reports whether the absolute path p is /etc/X or beneath it for
// an X of paths.
func underAny(p string, paths []string) bool {
	for _, x := range paths {
		base := "/etc/" + strings.Trim(x, "/")
		if p == base || strings.HasPrefix(p, base+"/") {
			return true
		}
	}
	return false
}

// stocker does StockEtc's work; root is this machine's root, a variable for
// tests.
type stocker struct {
	root, dst, cacheDir string
	extracted           map[string]string // package → directory its .deb was extracted to
	// download fetches a .deb into dir; nil means apt-get download.
	download func(dir, pkg, version string) error
}

func (s *stocker) cleanup() {
	for _, d := range s.extracted {
		os.RemoveAll(d)
	}
}

func (s *stocker) write(want []Conffile, paths []string) ([]StockFile, error) {
	var written []StockFile
	pkgs := map[string]bool{}
	for _, c := range want {
		pkgs[c.Package] = true
		fromDeb, err := s.writeFile(c)
		if err != nil {
			return nil, err
		}
		written = append(written, StockFile{Path: c.Path, FromDeb: fromDeb})
	}
	if err := s.writeDirs(pkgs, paths); err != nil {
		return nil, err
	}
	sort.Slice(written, func(i, j int) bool { return written[i].Path < written[j].Path })
	return written, nil
}

// writeFile writes one conffile into dst and reports whether it came from
// the .deb.
func (s *stocker) writeFile(c Conffile) (bool, error) {
	here := filepath.Join(s.root, c.Path)
	target := filepath.Join(s.dst, strings.TrimPrefix(c.Path, "/etc/"))
	fi, statErr := os.Lstat(here)
	if statErr == nil && fi.Mode().IsRegular() {
		if sum, err := md5File(here); err == nil && sum == c.MD5 {
			return false, copyFile(here, target, fi)
		}
	}
	dir, err := s.extract(c)
	if err != nil {
		return false, err
	}
	shipped := filepath.Join(dir, c.Path)
	sum, err := md5File(shipped)
	if err != nil {
		return false, fmt.Errorf("stock %s: the .deb of %s %s: %w", c.Path, c.Package, c.Version, err)
	}
	if sum != c.MD5 {
		return false, fmt.Errorf("stock %s: the .deb of %s %s holds a file with MD5 %s, dpkg recorded %s", c.Path, c.Package, c.Version, sum, c.MD5)
	}
	// The mode and owner the maintainer scripts gave this machine's copy,
	// if there is one.
	if statErr != nil || !fi.Mode().IsRegular() {
		if fi, err = os.Lstat(shipped); err != nil {
			return false, fmt.Errorf("stock %s: %w", c.Path, err)
		}
	}
	return true, copyFile(shipped, target, fi)
}

// extract unpacks the .deb of c's package once and returns the directory.
func (s *stocker) extract(c Conffile) (string, error) {
	if d, ok := s.extracted[c.Package]; ok {
		return d, nil
	}
	deb, err := s.findDeb(c)
	if err != nil {
		return "", err
	}
	d, err := os.MkdirTemp("", "vtic-stock-"+c.Package+"-*")
	if err != nil {
		return "", fmt.Errorf("stock %s: %w", c.Path, err)
	}
	if out, err := exec.Command("dpkg-deb", "-x", deb, d).CombinedOutput(); err != nil {
		os.RemoveAll(d)
		return "", fmt.Errorf("stock %s: dpkg-deb -x %s: %w: %s", c.Path, deb, err, bytes.TrimSpace(out))
	}
	s.extracted[c.Package] = d
	return d, nil
}

// debName is the file name apt gives a package's .deb: the epoch's colon
// is written %3a.
func debName(c Conffile) string {
	return c.Package + "_" + strings.ReplaceAll(c.Version, ":", "%3a") + "_" + c.Arch + ".deb"
}

// findDeb returns the .deb of c's package at c's version: from apt's
// cache, from cacheDir, or downloaded into cacheDir.
func (s *stocker) findDeb(c Conffile) (string, error) {
	name := debName(c)
	for _, dir := range []string{filepath.Join(s.root, "var/cache/apt/archives"), s.cacheDir} {
		if dir == "" {
			continue
		}
		if p := filepath.Join(dir, name); isRegular(p) {
			return p, nil
		}
	}
	if s.cacheDir == "" {
		return "", fmt.Errorf("stock %s: this machine's copy is not the one %s %s ships and no .deb %s is cached", c.Path, c.Package, c.Version, name)
	}
	if err := os.MkdirAll(s.cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("stock %s: %w", c.Path, err)
	}
	download := s.download
	if download == nil {
		download = aptDownload
	}
	if err := download(s.cacheDir, c.Package, c.Version); err != nil {
		return "", fmt.Errorf("stock %s: this machine's copy is not the one %s %s ships: %w", c.Path, c.Package, c.Version, err)
	}
	p := filepath.Join(s.cacheDir, name)
	if !isRegular(p) {
		return "", fmt.Errorf("stock %s: apt-get download left no %s in %s", c.Path, name, s.cacheDir)
	}
	return p, nil
}

func aptDownload(dir, pkg, version string) error {
	cmd := exec.Command("apt-get", "download", "-q", pkg+"="+version)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get download %s=%s: %w: %s", pkg, version, err, bytes.TrimSpace(out))
	}
	return nil
}

// writeDirs makes the directories that pkgs ship under paths and this
// machine has, with this machine's modes and owners (/etc/swanctl/conf.d,
// /etc/swanctl/private, …).
func (s *stocker) writeDirs(pkgs map[string]bool, paths []string) error {
	names := make([]string, 0, len(pkgs))
	for p := range pkgs {
		names = append(names, p)
	}
	sort.Strings(names)
	out, err := exec.Command("dpkg-query", append([]string{"-L"}, names...)...).Output()
	if err != nil {
		return fmt.Errorf("list the files of %s with dpkg-query: %w", strings.Join(names, ", "), err)
	}
	var dirs []string
	for _, p := range strings.Split(string(out), "\n") {
		if !underAny(p, paths) {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(s.root, p)); err == nil && fi.IsDir() {
			dirs = append(dirs, p)
		}
	}
	sort.Strings(dirs) // parents first
	for _, p := range dirs {
		fi, err := os.Lstat(filepath.Join(s.root, p))
		if err != nil {
			return fmt.Errorf("stock %s: %w", p, err)
		}
		target := filepath.Join(s.dst, strings.TrimPrefix(p, "/etc/"))
		if err := os.MkdirAll(target, 0o755); err != nil {
			return fmt.Errorf("stock %s: %w", p, err)
		}
		if err := setModeOwner(target, fi); err != nil {
			return fmt.Errorf("stock %s: %w", p, err)
		}
	}
	return nil
}

func isRegular(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func md5File(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copyFile copies src to dst, giving dst the mode and owner of fi.
func copyFile(src, dst string, fi fs.FileInfo) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("stock %s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("stock %s: %w", dst, err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		return fmt.Errorf("stock %s: %w", dst, err)
	}
	if err := setModeOwner(dst, fi); err != nil {
		return fmt.Errorf("stock %s: %w", dst, err)
	}
	return nil
}

// setModeOwner gives p the permission bits of fi, and its owner where the
// system says who that is and we may set it.
func setModeOwner(p string, fi fs.FileInfo) error {
	if err := os.Chmod(p, fi.Mode().Perm()); err != nil {
		return err
	}
	uid, gid, ok := fileOwner(fi)
	if !ok || os.Geteuid() != 0 {
		return nil
	}
	if err := os.Lchown(p, uid, gid); err != nil && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}
