package pki

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/vtic/vtic/internal/atomicfile"
)

// Dir is where a site keeps its authority and router certificates,
// relative to the site directory.
const Dir = "pki"

// The files of the site's authority under Dir.
const (
	CACert = "ca.crt"
	CAKey  = "ca.key"
)

// Router is a router to make a certificate for.
type Router struct {
	Name       string
	Identities []string // subjectAltNames: its id and its outside address
}

// Plan is what WriteSite makes.
type Plan struct {
	SiteDir string
	CAName  string
	Routers []Router
	Now     time.Time
	Days    int // validity of the router certificates; the authority's is ten times longer
}

// WriteSite makes what is missing under SiteDir/pki: the authority (when
// ca.crt and ca.key are absent) and a certificate and key for each router
// that has none. It never replaces a file, so running it again after
// adding a router issues only that router's certificate. It returns the
// files it wrote, relative to the site directory.
func WriteSite(p Plan) ([]string, error) {
	dir := filepath.Join(p.SiteDir, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("pki directory: %w", err)
	}
	var written []string
	write := func(name string, data []byte, mode fs.FileMode) error {
		if err := atomicfile.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		written = append(written, filepath.ToSlash(filepath.Join(Dir, name)))
		return nil
	}
	ca, err := loadOrMakeCA(p, dir, write)
	if err != nil {
		return written, err
	}
	for _, r := range p.Routers {
		certName, keyName := r.Name+".crt", r.Name+".key"
		haveCert, haveKey := exists(filepath.Join(dir, certName)), exists(filepath.Join(dir, keyName))
		if haveCert && haveKey {
			continue
		}
		if haveCert != haveKey {
			return written, fmt.Errorf("router %s: only one of %s and %s exists; remove it to issue both again", r.Name, certName, keyName)
		}
		key, err := NewKey()
		if err != nil {
			return written, fmt.Errorf("router %s: key: %w", r.Name, err)
		}
		cert, err := ca.Issue(Request{CommonName: r.Name, Identities: r.Identities,
			NotBefore: p.Now.Add(-time.Hour), NotAfter: p.Now.AddDate(0, 0, p.Days)}, key.Public())
		if err != nil {
			return written, fmt.Errorf("router %s: %w", r.Name, err)
		}
		kp, err := KeyPEM(key)
		if err != nil {
			return written, fmt.Errorf("router %s: %w", r.Name, err)
		}
		// The key first: a certificate without its key would stop the
		// next run.
		if err := write(keyName, kp, 0o600); err != nil {
			return written, err
		}
		if err := write(certName, CertPEM(cert), 0o644); err != nil {
			return written, err
		}
	}
	return written, nil
}

func loadOrMakeCA(p Plan, dir string, write func(string, []byte, fs.FileMode) error) (*Authority, error) {
	certPath, keyPath := filepath.Join(dir, CACert), filepath.Join(dir, CAKey)
	haveCert, haveKey := exists(certPath), exists(keyPath)
	switch {
	case haveCert && haveKey:
		cb, err := os.ReadFile(certPath)
		if err != nil {
			return nil, fmt.Errorf("authority: %w", err)
		}
		kb, err := os.ReadFile(keyPath)
		if err != nil {
			return nil, fmt.Errorf("authority: %w", err)
		}
		return ParseAuthority(cb, kb)
	case haveCert || haveKey:
		return nil, errors.New("authority: only one of pki/ca.crt and pki/ca.key exists; give both, or remove it to make a new authority")
	}
	ca, err := NewAuthority(p.CAName, p.Now.Add(-time.Hour), p.Now.AddDate(0, 0, 10*p.Days))
	if err != nil {
		return nil, err
	}
	kp, err := KeyPEM(ca.Key)
	if err != nil {
		return nil, fmt.Errorf("authority: %w", err)
	}
	if err := write(CAKey, kp, 0o600); err != nil {
		return nil, err
	}
	if err := write(CACert, CertPEM(ca.Cert), 0o644); err != nil {
		return nil, err
	}
	return ca, nil
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}
