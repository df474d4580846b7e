package lang

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// SecretSource says where a pre-shared key comes from.
type SecretSource int

const (
	SecretInline SecretSource = iota // written in the site file (warned against)
	SecretEnv                        // env("NAME")
	SecretFile                       // file("path"), relative to the site directory
)

// Secret is a pre-shared key reference and, when it could be read, its value.
// The value never appears in diagnostics.
type Secret struct {
	Source SecretSource
	Ref    string // the variable name or the path as written
	Value  []byte
	// Resolved is false when the reference could not be read and the load
	// allowed it (diff mode). Renderers must never write such a secret as
	// an empty string.
	Resolved bool
	Range    hcl.Range
}

// String describes the reference without its value, for diffs and logs.
func (s *Secret) String() string {
	switch s.Source {
	case SecretEnv:
		return fmt.Sprintf("env(%q)", s.Ref)
	case SecretFile:
		return fmt.Sprintf("file(%q)", s.Ref)
	}
	return "inline"
}

// maxSecretFile bounds what file() reads; a PSK is at most a few hundred bytes.
const maxSecretFile = 64 << 10

func (d *decoder) secret(attr *hcl.Attribute) (*Secret, hcl.Diagnostics) {
	rng := attr.Expr.Range()
	if call, diags := hcl.ExprCall(attr.Expr); !diags.HasErrors() {
		return d.secretCall(call, rng)
	}
	s, diags := d.str(attr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorAt(rng, "Invalid pre-shared key",
			"The psk must be file(\"path\"), env(\"NAME\") or a string.")}
	}
	// Parse has already masked the key in the text diagnostics quote
	// (redactKeys).
	return &Secret{Source: SecretInline, Value: []byte(s.Value), Resolved: true, Range: rng},
		hcl.Diagnostics{warningAt(rng, "Pre-shared key written in the site file",
			"Anyone who can read the site repository can read this key. Move it to a file outside version control and use psk = file(\"secrets/NAME.psk\"), or use env(\"NAME\").")}
}

func (d *decoder) secretCall(call *hcl.StaticCall, rng hcl.Range) (*Secret, hcl.Diagnostics) {
	if call.Name != "env" && call.Name != "file" {
		return nil, hcl.Diagnostics{errorAt(call.NameRange, "Unknown function",
			"The psk may use only file(\"path\") or env(\"NAME\"); there is no function %q.", call.Name)}
	}
	if len(call.Arguments) != 1 {
		return nil, hcl.Diagnostics{errorAt(call.ArgsRange, "Wrong number of arguments",
			"%s() takes exactly one string argument.", call.Name)}
	}
	arg, diags := evalConstant(call.Arguments[0])
	if diags.HasErrors() || arg.IsNull() || arg.Type() != cty.String {
		return nil, hcl.Diagnostics{errorAt(call.Arguments[0].Range(), "Invalid function argument",
			"%s() takes a literal string.", call.Name)}
	}
	return d.resolveSecret(call.Name, arg.AsString(), call.Arguments[0].Range(), rng)
}

// resolveSecret reads the key that env(ref) or file(ref) names (fn is the
// function's name); argRange is where ref was written, rng the whole psk.
func (d *decoder) resolveSecret(fn, ref string, argRange, rng hcl.Range) (*Secret, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	s := &Secret{Ref: ref, Range: rng}
	var problem *hcl.Diagnostic
	switch fn {
	case "env":
		s.Source = SecretEnv
		lookup := d.opts.LookupEnv
		if lookup == nil {
			lookup = os.LookupEnv
		}
		if v, ok := lookup(ref); ok && v != "" {
			s.Value, s.Resolved = []byte(v), true
		} else {
			problem = errorAt(argRange, "Environment variable not set",
				"The pre-shared key comes from the environment variable %s, which is not set or empty. Export it before running vtic.", ref)
		}
	case "file":
		s.Source = SecretFile
		var ds hcl.Diagnostics
		s.Value, problem, ds = d.readSecretFile(ref, argRange)
		diags = append(diags, ds...)
		s.Resolved = problem == nil && s.Value != nil
	}
	if problem != nil {
		// A path that escapes the site is never allowed, not even in diff mode.
		if d.opts.AllowUnresolvedSecrets && problem.Summary != "Secret file outside the site" {
			return s, diags
		}
		diags = append(diags, problem)
	}
	return s, diags
}

// readSecretFile reads a file() secret. The path must stay inside the site
// directory after symlinks are followed, so that a site cannot be made to
// publish an arbitrary file of the machine that builds it.
func (d *decoder) readSecretFile(ref string, rng hcl.Range) ([]byte, *hcl.Diagnostic, hcl.Diagnostics) {
	return d.readSiteFile(ref, rng, pskFile)
}

// fileKind words the diagnostics of a file() reference for what the file
// holds.
type fileKind struct {
	create string // how to create a missing file
	holds  string // what one file holds, for "too large"
	secret bool   // warn when others can read it
}

var pskFile = fileKind{create: "Create it (mode 0600) with the pre-shared key on one line.",
	holds: "a pre-shared key file holds one key", secret: true}

// readSiteFile reads a file() reference: a pre-shared key, a certificate
// or a private key.
func (d *decoder) readSiteFile(ref string, rng hcl.Range, k fileKind) ([]byte, *hcl.Diagnostic, hcl.Diagnostics) {
	if !LocalSecretPath(ref) {
		return nil, errorAt(rng, "Secret file outside the site",
			"The path %q must be relative to the site directory and stay inside it.", ref), nil
	}
	if d.opts.ReadSecret != nil {
		b, err := d.opts.ReadSecret(filepath.Clean(ref))
		switch {
		case errors.Is(err, ErrSecretOnDisk):
			return d.readSecretFromDisk(ref, rng, k)
		case errors.Is(err, fs.ErrNotExist):
			return nil, errorAt(rng, "Secret file not found",
				"The file %q does not exist in the site directory. %s", ref, k.create), nil
		case err != nil:
			return nil, errorAt(rng, "Cannot read secret file", "%s.", plainErr(err)), nil
		case len(b) > maxSecretFile:
			return nil, errorAt(rng, "Secret file too large", "%q is %d bytes; %s.", ref, len(b), k.holds), nil
		}
		return trimKey(b), nil, nil
	}
	return d.readSecretFromDisk(ref, rng, k)
}

// readSecretFromDisk reads a file() key, already known to be a local path,
// from the site directory.
func (d *decoder) readSecretFromDisk(ref string, rng hcl.Range, k fileKind) ([]byte, *hcl.Diagnostic, hcl.Diagnostics) {
	if !d.rootDone {
		d.root, d.rootErr = filepath.EvalSymlinks(d.dir)
		d.rootDone = true
		d.realDirs = map[string]bool{}
	}
	root, err := d.root, d.rootErr
	if err != nil {
		return nil, errorAt(rng, "Cannot read secret file", "The site directory cannot be resolved: %s.", plainErr(err)), nil
	}
	full, st, err := resolveInRoot(root, ref, d.realDirs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errorAt(rng, "Secret file not found",
				"The file %q does not exist in the site directory. %s", ref, k.create), nil
		}
		return nil, errorAt(rng, "Cannot read secret file", "%s.", plainErr(err)), nil
	}
	if rel, err := filepath.Rel(root, full); err != nil || !filepath.IsLocal(rel) {
		return nil, errorAt(rng, "Secret file outside the site",
			"The path %q leads outside the site directory through a symbolic link; secrets must live inside the site.", ref), nil
	}
	if st == nil {
		if st, err = os.Stat(full); err != nil {
			return nil, errorAt(rng, "Cannot read secret file", "%s.", plainErr(err)), nil
		}
	}
	if !st.Mode().IsRegular() {
		return nil, errorAt(rng, "Cannot read secret file", "%q is not a regular file.", ref), nil
	}
	if st.Size() > maxSecretFile {
		return nil, errorAt(rng, "Secret file too large", "%q is %d bytes; %s.", ref, st.Size(), k.holds), nil
	}
	var warn hcl.Diagnostics
	if k.secret && st.Mode().Perm()&0o077 != 0 {
		warn = append(warn, warningAt(rng, "Secret file readable by others",
			"%q has mode %04o; other users of this machine can read the key. Run chmod 600 on it.", ref, st.Mode().Perm()))
	}
	b, err := readSecretBytes(full, st.Size())
	if err != nil {
		return nil, errorAt(rng, "Cannot read secret file", "%s.", plainErr(err)), warn
	}
	if len(b) > maxSecretFile {
		return nil, errorAt(rng, "Secret file too large", "%q is %d bytes; %s.", ref, len(b), k.holds), warn
	}
	return trimKey(b), nil, warn
}

// readSecretBytes is os.ReadFile for a file whose size is already known
// (it skips ReadFile's fstat), reading at most one byte more than
// maxSecretFile should the file have grown since.
func readSecretBytes(name string, size int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := bytes.NewBuffer(make([]byte, 0, size+1))
	_, err = buf.ReadFrom(io.LimitReader(f, maxSecretFile+1))
	return buf.Bytes(), err
}

// trimKey drops one trailing line break: it is how editors save a one-line
// file, not part of the key.
func trimKey(b []byte) []byte {
	return []byte(strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r"))
}

// resolveInRoot is filepath.EvalSymlinks(filepath.Join(root, ref)) for a
// root that has no symbolic links and a local ref. When no component of ref
// is a link, it lstats only ref's components (a site has thousands of key
// files, and EvalSymlinks would walk root's components for each) and also
// returns the file's information. A link or an error takes EvalSymlinks,
// so results and errors are the same; info is nil then.
// Directories found real are remembered in realDirs (when not nil) and not
// looked at again.
func resolveInRoot(root, ref string, realDirs map[string]bool) (full string, info fs.FileInfo, err error) {
	path := root
	parts := strings.Split(filepath.Clean(ref), string(filepath.Separator))
	for i, c := range parts {
		path = filepath.Join(path, c)
		last := i == len(parts)-1
		if !last && realDirs[path] {
			continue
		}
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink != 0 {
			full, err := filepath.EvalSymlinks(filepath.Join(root, ref))
			return full, nil, err
		}
		if !last && fi.IsDir() && realDirs != nil {
			realDirs[path] = true
		}
		info = fi
	}
	return filepath.Join(root, ref), info, nil
}
