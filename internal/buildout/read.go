package buildout

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/plan"
)

// maxFile bounds a file read from a build; vtic writes configuration files
// of a few kilobytes per tunnel.
const maxFile = 64 << 20

// ErrNoManifest is the error of ReadRouter for a directory without a
// manifest, which is not a router's directory.
var ErrNoManifest = errors.New("no " + bundle.ManifestName)

// Router is one router's directory of a build.
type Router struct {
	Manifest *bundle.Manifest
	// Host is the router's plan, decoded from the build's plan file.
	Host  *compile.Host
	Files []targets.File // in manifest order
}

// ReadRouter reads one router's directory of a build (OUT/NAME): its
// manifest, which must be host's, and every file it lists, nothing else.
//
// A build is input from elsewhere, and nothing in it decides how a file is
// installed: ReadRouter renders the router again from the build's plan
// with this vtic's renderers (bundle.Render) and requires the manifest to
// list exactly the files they make, with their modes and Secret and
// Internal flags. Every file must be byte for byte what the renderers make
// from the plan, so that apply never installs files at odds with the plan
// it acts on; a file that is not secret must also have the SHA-256 the
// manifest gives it. The manifest holds no digest of a secret file (anyone
// may read it), so a plan changed into another valid plan that renders
// the same files is accepted as that plan. The files returned carry the
// renderers' modes and flags.
//
// A build by an older vtic has no plan: its files are checked by the
// digests its manifest holds for every file, and Host is nil.
func ReadRouter(dir, host string) (*Router, error) {
	fail := func(err error) (*Router, error) { return nil, fmt.Errorf("build output %s: %w", dir, err) }
	data, err := os.ReadFile(filepath.Join(dir, bundle.ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return fail(ErrNoManifest)
	}
	if err != nil {
		return fail(err)
	}
	m, err := bundle.DecodeManifest(data)
	if err != nil {
		return nil, fmt.Errorf("build output %s: %s: %w", dir, bundle.ManifestName, err)
	}
	if m.Host != host {
		return nil, fmt.Errorf("build output %s is for router %q, not %q", dir, m.Host, host)
	}
	r := &Router{Manifest: m}
	listed := map[string]bool{}
	var planData []byte
	for _, e := range m.Files {
		if err := bundle.CheckPath(e.Path); err != nil {
			return fail(err)
		}
		if listed[e.Path] {
			return fail(fmt.Errorf("%s lists %s twice", bundle.ManifestName, e.Path))
		}
		listed[e.Path] = true
		data, err := readFile(dir, e.Path)
		if err != nil {
			return fail(err)
		}
		if e.Path == plan.Path {
			planData = data
		}
		r.Files = append(r.Files, targets.File{Path: e.Path, Mode: e.Mode, Data: data, Secret: e.Secret, Internal: e.Internal, Repeats: e.Repeats})
	}
	if planData == nil {
		// An older vtic's build: nothing to render again, so only the
		// digests check the files, and Host stays nil (apply refuses
		// such a build; vtic diff still reads it).
		if err := checkDigests(r); err != nil {
			return fail(err)
		}
		return r, nil
	}
	if r.Host, err = plan.Decode(planData); err != nil {
		return fail(err)
	}
	if r.Host.Name != host {
		return fail(fmt.Errorf("%s is for router %q, not %q", plan.Path, r.Host.Name, host))
	}
	if err := checkAgainstRenderers(r); err != nil {
		return fail(err)
	}
	return r, nil
}

// readFile reads one file of a router's directory: a regular file (not a
// link, a FIFO or a device) of bounded size.
func readFile(dir, rel string) ([]byte, error) {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	st, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > maxFile {
		return nil, fmt.Errorf("%s is not a regular file of at most %d bytes", rel, maxFile)
	}
	return os.ReadFile(p)
}

// checkDigests checks every file of a build without a plan against the
// manifest's SHA-256. Such a build comes from a vtic that still wrote the
// digests of secret files; one without is refused, as it cannot be
// checked.
func checkDigests(r *Router) error {
	for i, f := range r.Files {
		e := r.Manifest.Files[i]
		if e.SHA256 == "" {
			return fmt.Errorf("%s has no plan (%s) and no digest of %s to check it by; rebuild it with this vtic", bundle.ManifestName, plan.Path, f.Path)
		}
		if err := checkDigest(f, e); err != nil {
			return err
		}
	}
	return nil
}

// checkDigest checks a file against its manifest entry's SHA-256.
func checkDigest(f targets.File, e bundle.Entry) error {
	sum := sha256.Sum256(f.Data)
	if got := hex.EncodeToString(sum[:]); got != e.SHA256 {
		return fmt.Errorf("%s has sha256 %s, the manifest says %s; rebuild it", f.Path, got, e.SHA256)
	}
	return nil
}

// checkAgainstRenderers renders r.Host with this vtic and compares the
// build with it, as ReadRouter describes, then gives r.Files the
// renderers' modes and flags.
func checkAgainstRenderers(r *Router) error {
	rendered, _, err := bundle.Render(r.Host)
	if err != nil {
		return err
	}
	want := make(map[string]targets.File, len(rendered))
	for _, f := range rendered {
		want[f.Path] = f
	}
	inBuild := map[string]bool{}
	for i, f := range r.Files {
		e := r.Manifest.Files[i]
		w, ok := want[f.Path]
		if !ok {
			return fmt.Errorf("%s is not among the files this vtic renders from the build's plan; rebuild it with this vtic", f.Path)
		}
		inBuild[f.Path] = true
		switch {
		case e.Mode.Perm() != w.Mode.Perm():
			return fmt.Errorf("%s gives %s mode %04o; vtic installs it with mode %04o; refusing the build",
				bundle.ManifestName, f.Path, uint32(e.Mode.Perm()), uint32(w.Mode.Perm()))
		case e.Secret != w.Secret:
			return fmt.Errorf("%s marks %s as %s; it is %s; refusing the build", bundle.ManifestName, f.Path, notIf(e.Secret, "secret"), notIf(w.Secret, "secret"))
		case e.Internal != w.Internal:
			return fmt.Errorf("%s marks %s as %s; it is %s; refusing the build", bundle.ManifestName, f.Path, notIf(e.Internal, "internal"), notIf(w.Internal, "internal"))
		}
		if !w.Secret {
			if err := checkDigest(f, e); err != nil {
				return err
			}
		}
		if !bytes.Equal(f.Data, w.Data) {
			return fmt.Errorf("%s is not what this vtic renders from the build's plan; rebuild it with this vtic", f.Path)
		}
		// Repeats only tells review where a change is shown; a build
		// whose manifest predates it takes the renderers' word.
		r.Files[i].Mode, r.Files[i].Secret, r.Files[i].Internal, r.Files[i].Repeats = w.Mode, w.Secret, w.Internal, w.Repeats
	}
	for _, f := range rendered {
		if !inBuild[f.Path] {
			return fmt.Errorf("the build lacks %s, which this vtic renders from its plan; rebuild it with this vtic", f.Path)
		}
	}
	return nil
}

// notIf is "name" when b holds, else "not name".
func notIf(b bool, name string) string {
	if b {
		return name
	}
	return "not " + name
}
