package lang_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/vtic/vtic/internal/testkit/langtest"
	"github.com/vtic/vtic/lang"
)

// FuzzLoad feeds arbitrary site directories through decoding and every rule.
// An input is a txtar archive, the format of langtest.SiteDir; bytes that
// hold no archive member are one file, site.hcl. Its comment may make site
// files symbolic links (to a file outside the site, or to a member), named
// pipes, directories or files of any size up to twice the limit, and may
// cancel the load's context. For every input:
//
//   - nothing panics, one load finishes within langtest.HangLimit and
//     allocates at most fuzzAllocLimit plus fuzzAllocPerByte per input byte;
//   - a *.hcl entry that is a symbolic link, is not a regular file or is
//     larger than lang.MaxSourceSize is refused by a diagnostic naming it,
//     is not among the parsed files, and the load has errors;
//   - the text of the file outside the site (langtest.OutsideKey) is in no
//     diagnostic and in no parsed file's bytes (which cmd quotes);
//   - a load whose context is done says "Loading interrupted", once;
//   - loading from disk and from Options.Sources gives the same
//     diagnostics;
//   - every diagnostic has a one-line summary without a final period, and
//     its subject lies inside the file it names;
//   - the keys of secrets/fixed.psk and of $FUZZ_PSK (langtest.FileKey and
//     EnvKey), which the fuzzer never sees, appear in no summary, detail
//     or parsed file's bytes;
//   - the text of every inline key decoded is masked in the parsed file;
//   - a site without errors has every tunnel with two ends and every key
//     resolved.
//
// How cmd prints the diagnostics of a site file (excerpts bounded in
// width, control characters escaped) is FuzzDiagOutput's, in cmd/vtic,
// which loads its input with lang too.
//
// Seeds: every example, the rule fixtures laid over testdata/base (those
// that make links, pipes and large files included), and the CLI scripts'
// sites. Run it with
//
//	go test -run='^$' -fuzz=FuzzLoad -fuzztime=20s ./lang/
func FuzzLoad(f *testing.F) {
	langtest.FuzzSites(f, fuzzSeeds(f), func(t *testing.T, dir string, opts lang.Options, data []byte) {
		before := fuzzAllocated()

		site, diags := lang.LoadDir(dir, opts)

		if n, limit := fuzzAllocated()-before, fuzzAllocLimit+fuzzAllocPerByte*uint64(len(data)); n > limit {
			t.Fatalf("loading %d bytes allocated %d bytes (limit %d)", len(data), n, limit)
		}
		refused, names := fuzzCheckRefused(t, dir, site, diags)
		fuzzCheckNotShown(t, site, diags)
		if refused {
			return
		}
		if opts.Context != nil && opts.Context.Err() != nil {
			n := 0
			for _, d := range diags {
				if d.Summary == "Loading interrupted" {
					n++
				}
			}
			if len(names) > 0 && n != 1 {
				t.Fatalf("a load with its context done says it was interrupted %d times:\n%s", n, fuzzDiagLines(diags))
			}
			return
		}
		sources := map[string][]byte{}
		for name, f := range site.Files {
			sources[name] = f.Bytes
		}
		// Files that failed before parsing (NUL bytes) are not in
		// site.Files; read every *.hcl file as readSources does.
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			sources[name] = b
		}
		if len(names) > 0 {
			o := opts
			o.Sources = sources
			_, again := lang.LoadDir(dir, o)
			if a, b := fuzzDiagLines(diags), fuzzDiagLines(again); a != b {
				t.Errorf("loading from disk and from Sources differ:\n--- disk\n%s--- sources\n%s", a, b)
			}
		}
		fuzzCheckDiags(t, sources, diags)
		if !diags.HasErrors() {
			fuzzCheckValidSite(t, site, opts)
		}
	})
}

// fuzzCheckRefused checks that every *.hcl entry of dir that lang must
// not read (a link, anything but a regular file, a file over the limit)
// is refused by name and not parsed. It reports whether there was one, and
// the names of the entries, which are all regular files when there was not.
func fuzzCheckRefused(t *testing.T, dir string, site *lang.Site, diags hcl.Diagnostics) (refused bool, names []string) {
	t.Helper()
	names, _ = filepath.Glob(filepath.Join(dir, "*.hcl"))
	for _, name := range names {
		st, err := os.Lstat(name)
		if err != nil {
			t.Fatal(err)
		}
		summary := ""
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			summary = "Site file is a symbolic link"
		case !st.Mode().IsRegular():
			summary = "Cannot read site file"
		case st.Size() > lang.MaxSourceSize:
			summary = "Site file too large"
		default:
			continue
		}
		refused = true
		if _, ok := site.Files[name]; ok {
			t.Fatalf("%s (%s) was parsed", name, st.Mode().Type())
		}
		found := false
		for _, d := range diags {
			found = found || d.Severity == hcl.DiagError && d.Summary == summary && strings.Contains(d.Detail, name)
		}
		if !found {
			t.Fatalf("%s (%s, %d bytes) is not refused with %q:\n%s", name, st.Mode().Type(), st.Size(), summary, fuzzDiagLines(diags))
		}
	}
	return refused, names
}

// fuzzCheckNotShown checks that no text the site may not show is in a
// diagnostic or in the bytes cmd quotes: the keys the fuzzer never sees,
// the file outside the site, and the inline keys decoded.
func fuzzCheckNotShown(t *testing.T, site *lang.Site, diags hcl.Diagnostics) {
	t.Helper()
	hidden := []string{langtest.FileKey, langtest.EnvKey, langtest.OutsideKey}
	for _, d := range diags {
		for _, s := range hidden {
			if strings.Contains(d.Summary, s) || strings.Contains(d.Detail, s) {
				t.Fatalf("diagnostic shows %q: %s: %s", s, d.Summary, d.Detail)
			}
		}
	}
	for name, f := range site.Files {
		for _, s := range hidden {
			if bytes.Contains(f.Bytes, []byte(s)) {
				t.Fatalf("%s: the bytes diagnostics quote hold %q", name, s)
			}
		}
	}
	for _, tn := range site.Tunnels {
		k := tn.PSK
		if k != nil && bytes.Contains(k.Value, []byte(langtest.OutsideKey)) {
			t.Fatalf("tunnel %q: a key was read from the file outside the site", tn.Name)
		}
		if k == nil || k.Source != lang.SecretInline || site.Files[k.Range.Filename] == nil {
			continue
		}
		b := site.Files[k.Range.Filename].Bytes
		if k.Range.Start.Byte < 0 || k.Range.End.Byte > len(b) || k.Range.Start.Byte > k.Range.End.Byte {
			t.Fatalf("tunnel %q: key range %v outside its file", tn.Name, k.Range)
		}
		if m := bytes.Trim(bytes.Map(func(r rune) rune {
			if r == '\n' || r == '\r' {
				return '*'
			}
			return r
		}, b[k.Range.Start.Byte:k.Range.End.Byte]), "*"); len(m) > 0 {
			t.Fatalf("tunnel %q: the inline key is quotable: %q", tn.Name, b[k.Range.Start.Byte:k.Range.End.Byte])
		}
	}
}

// Allocation limits of one load in FuzzLoad. A site file is at most 2
// MiB; the fuzzer's inputs are far smaller, so these only catch blow-ups.
// (A "size:" line makes a file of up to 2 MiB of NUL bytes, which lang
// reads whole before refusing it as binary: within fuzzAllocLimit.)
const (
	fuzzAllocLimit   = 64 << 20
	fuzzAllocPerByte = 4096
)

// allocated returns the bytes allocated on the heap so far by the process.
func fuzzAllocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// fuzzDiagLines renders diagnostics one per line, sorted, for comparison.
// The order of diagnostics is not part of lang's contract: HCL reports
// unsupported arguments in map order, and vtic sorts before printing.
func fuzzDiagLines(diags hcl.Diagnostics) string {
	lines := make([]string, 0, len(diags))
	for _, d := range diags {
		line := fmt.Sprintf("%d %q %q", d.Severity, d.Summary, d.Detail)
		if d.Subject != nil {
			line += fmt.Sprintf(" %s", d.Subject)
		}
		lines = append(lines, line+"\n")
	}
	sort.Strings(lines)
	return strings.Join(lines, "")
}

func fuzzCheckDiags(t *testing.T, sources map[string][]byte, diags hcl.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if d.Severity != hcl.DiagError && d.Severity != hcl.DiagWarning {
			t.Errorf("diagnostic of severity %d: %s", d.Severity, d.Summary)
		}
		if d.Summary == "" || strings.ContainsAny(d.Summary, "\r\n") || strings.HasSuffix(d.Summary, ".") {
			t.Errorf("summary %q is not a one-line phrase without a period", d.Summary)
		}
		for _, key := range []string{langtest.FileKey, langtest.EnvKey} {
			if strings.Contains(d.Summary, key) || strings.Contains(d.Detail, key) {
				t.Errorf("diagnostic shows a key: %s: %s", d.Summary, d.Detail)
			}
		}
		if s := d.Subject; s != nil {
			src, ok := sources[s.Filename]
			switch {
			case !ok:
				t.Errorf("%q: subject in unknown file %q", d.Summary, s.Filename)
			case s.Start.Byte < 0 || s.Start.Byte > s.End.Byte || s.End.Byte > len(src):
				t.Errorf("%q: subject %s (bytes %d-%d) outside the file's %d bytes", d.Summary, s, s.Start.Byte, s.End.Byte, len(src))
			case s.Start.Line < 1 || s.Start.Column < 1:
				t.Errorf("%q: subject %s starts before line 1, column 1", d.Summary, s)
			}
		}
	}
}

// fuzzCheckValidSite checks what compile relies on in a site without errors.
func fuzzCheckValidSite(t *testing.T, site *lang.Site, opts lang.Options) {
	t.Helper()
	for _, tn := range site.Tunnels {
		if len(tn.Ends) != 2 {
			t.Errorf("valid tunnel %q has %d ends", tn.Name, len(tn.Ends))
			continue
		}
		routers := 0
		for _, e := range tn.Ends {
			r, p := site.Router(e.Name), site.Peer(e.Name)
			if (r == nil) == (p == nil) {
				t.Errorf("valid tunnel %q: end %q is not exactly one router or peer", tn.Name, e.Name)
			}
			if r != nil {
				routers++
				if !e.Interface.Set || e.Interface.Value == "" {
					t.Errorf("valid tunnel %q: router end %q has no interface", tn.Name, e.Name)
				}
			}
			if !e.Inside.Set() {
				t.Errorf("valid tunnel %q: end %q has no inside address", tn.Name, e.Name)
			}
		}
		if routers == 0 {
			t.Errorf("valid tunnel %q has no router end", tn.Name)
		}
		if tn.PSK == nil || (!opts.AllowUnresolvedSecrets && (!tn.PSK.Resolved || len(tn.PSK.Value) == 0)) {
			t.Errorf("valid tunnel %q has no usable key", tn.Name)
		}
		if _, ok := site.MarkOf(tn); !ok {
			t.Errorf("valid tunnel %q has no mark", tn.Name)
		}
	}
}

// fuzzSeeds returns the seed archives: every example, every rule fixture
// laid over testdata/base, and the sites in the CLI scripts.
func fuzzSeeds(t testing.TB) [][]byte {
	t.Helper()
	seeds := fuzzSiteSeeds(t)
	if len(seeds) < 10 {
		t.Fatalf("only %d fuzz seeds found", len(seeds))
	}
	return append(seeds, fuzzScriptSeeds(t)...)
}

// fuzzSiteSeeds returns the seed archives of the examples, the rule
// fixtures and the two sites below, which are all meant to parse.
func fuzzSiteSeeds(t testing.TB) [][]byte {
	t.Helper()
	var seeds [][]byte
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "*"))
	examples = append(examples, filepath.Join("testdata", "base"))
	for _, dir := range examples {
		if ar := langtest.DirArchive(t, dir); len(ar.Files) > 0 {
			seeds = append(seeds, txtar.Format(ar))
		}
	}
	base := langtest.DirArchive(t, filepath.Join("testdata", "base"))
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "rules", "*", "*.txtar"))
	for _, name := range fixtures {
		fx, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, txtar.Format(langtest.Overlay(fx, base)))
	}
	return append(seeds, fuzzExtraSeeds...)
}

// fuzzScriptSeeds returns the sites of the CLI scripts, bad ones included.
func fuzzScriptSeeds(t testing.TB) [][]byte {
	t.Helper()
	var seeds [][]byte
	scripts, _ := filepath.Glob(filepath.Join("..", "cmd", "vtic", "testdata", "script", "*.txtar"))
	for _, name := range scripts {
		sc, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// One archive per directory of the script.
		byDir := map[string]*txtar.Archive{}
		for _, f := range sc.Files {
			d, base := filepath.Split(f.Name)
			if strings.HasSuffix(base, ".hcl") || strings.HasPrefix(filepath.Base(d), "secrets") {
				if strings.HasPrefix(filepath.Base(d), "secrets") {
					d, base = filepath.Dir(filepath.Clean(d)), "secrets/"+base
				}
				if byDir[d] == nil {
					byDir[d] = &txtar.Archive{}
				}
				byDir[d].Files = append(byDir[d].Files, txtar.File{Name: base, Data: f.Data})
			}
		}
		for _, ar := range byDir {
			seeds = append(seeds, txtar.Format(ar))
		}
	}
	return seeds
}

// fuzzExtraSeeds: a site that only loads with unresolved keys allowed, one
// that uses the keys that must stay hidden, sites with links, pipes,
// directories and large files among their files and keys, and loads
// cancelled before they start.
var fuzzExtraSeeds = [][]byte{
	[]byte("symlink: zz.hcl -> /etc/passwd\nsymlink: secrets/k.psk -> ../outside\n" + fuzzLinkSite),
	[]byte("symlink: a.hcl -> secrets/fixed.psk\nfifo: p.hcl\ndir: d.hcl\n" + fuzzLinkSite),
	[]byte("size: big.hcl 2097153\nsize: site.hcl 300\n" + fuzzLinkSite),
	[]byte("symlink: secrets/k.psk -> fixed.psk\nsize: secrets/j.psk 65537\n" + fuzzLinkSite),
	[]byte("cancel\n" + fuzzLinkSite),
	[]byte("cancel\n-- site.hcl --\nrouter \"a\" {\n  bogus = [\n}\n"),
	[]byte(`allow-unresolved
-- site.hcl --
router "a" {
  outside = "192.0.2.1"
}
peer "b" {
  outside = "192.0.2.2"
}
tunnel "t" {
  psk = env("NOT_SET")
  end "a" {
    interface = "vti1"
    inside    = "169.254.1.1/30"
  }
  end "b" {
    inside = "169.254.1.2/30"
  }
}
`), []byte(`-- site.hcl --
router "a" {
  asn     = 65001
  outside = "192.0.2.1"
}
peer "b" {
  provider = "aws"
  asn      = 64512
  outside  = "192.0.2.2"
}
tunnel "t" {
  psk = file("secrets/fixed.psk")
  end "a" {
    interface = "vti1"
    inside    = "169.254.1.1/30"
  }
  end "b" {
    inside = "169.254.1.2/30"
  }
}
tunnel "u" {
  psk = env("FUZZ_PSK")
  end "a" {
    interface = "vti2"
    inside    = "169.254.1.5/30"
  }
  end "b" {
    inside = "169.254.1.6/30"
  }
}
`),
}

// TestLoadDeepNesting: hclsyntax's parser recurses once per level of
// nesting, and a few megabytes of "[" overflowed the goroutine stack, a
// fatal error that killed vtic. Every shape of nesting the parser recurses
// on is refused past 256 levels; text that only looks nested (in strings,
// heredocs and comments) is not.
func TestLoadDeepNesting(t *testing.T) {
	const n = 300
	rep := strings.Repeat
	deep := map[string]string{
		"brackets":     "x = " + rep("[", n) + rep("]", n),
		"parentheses":  "x = " + rep("(", n) + "1" + rep(")", n),
		"objects":      "x = " + rep("{a = ", n) + "1" + rep("}", n),
		"blocks":       rep("a {\n", n) + rep("}\n", n),
		"negations":    "x = " + rep("-", n) + "1",
		"nots":         "x = " + rep("!", n) + "true",
		"templates":    "x = " + rep(`"${`, n) + "1" + rep(`}"`, n),
		"directives":   "x = \"" + rep("%{if true}", n) + rep("%{endif}", n) + "\"",
		"conditionals": "x = (" + rep("true ? 1 :\n", n) + "2)",
		"heredoc":      "x = <<EOT\n" + rep("${[", n) + rep("]}", n) + "\nEOT\n",
		"mismatched":   "x = " + rep("[}", n),
	}
	for name, src := range deep {
		t.Run(name, func(t *testing.T) {
			_, diags := lang.LoadDir(t.TempDir(), lang.Options{Sources: map[string][]byte{"deep.hcl": []byte(src)}})
			if !fuzzHasSummary(diags, "Too deeply nested") {
				t.Errorf("want Too deeply nested, got:\n%s", fuzzDiagLines(diags))
			}
		})
	}
	shallow := map[string]string{
		"string":          `x = "` + rep("[{(", n) + `"`,
		"escaped-interp":  `x = "` + rep("$${[", n) + `"`,
		"heredoc":         "x = <<-EOT\n  " + rep("[{(\"", n) + "\n  EOT\n",
		"hash-comment":    "# " + rep("[{(", n) + "\nx = 1",
		"slash-comment":   "// " + rep("[{(", n) + "\nx = 1",
		"block-comment":   "/* " + rep("[{(\n", n) + " */\nx = 1",
		"many-attributes": rep("x = true ? -1 : !false\n", n),
		"siblings":        "x = [" + rep("[1], ", n) + "]",
	}
	for name, src := range shallow {
		t.Run(name, func(t *testing.T) {
			_, diags := lang.LoadDir(t.TempDir(), lang.Options{Sources: map[string][]byte{"ok.hcl": []byte(src)}})
			if fuzzHasSummary(diags, "Too deeply nested") {
				t.Errorf("refused text that is not nested:\n%s", fuzzDiagLines(diags))
			}
		})
	}
	for i, seed := range fuzzSiteSeeds(t) {
		dir, opts := langtest.SiteDir(t, seed)
		if _, diags := lang.LoadDir(dir, opts); fuzzHasSummary(diags, "Too deeply nested") {
			t.Errorf("seed %d refused as too deep:\n%s", i, seed)
		}
	}
}

func fuzzHasSummary(diags hcl.Diagnostics, summary string) bool {
	for _, d := range diags {
		if d.Summary == summary {
			return true
		}
	}
	return false
}

// fuzzLinkSite is a valid site whose keys setup lines can replace.
const fuzzLinkSite = `-- site.hcl --
router "a" {
  outside = "192.0.2.1"
}
peer "b" {
  outside = "192.0.2.2"
}
tunnel "t" {
  psk = file("secrets/k.psk")
  end "a" {
    interface = "vti1"
    inside    = "169.254.1.1/30"
  }
  end "b" {
    inside = "169.254.1.2/30"
  }
}
tunnel "u" {
  psk = file("secrets/j.psk")
  end "a" {
    interface = "vti2"
    inside    = "169.254.1.5/30"
  }
  end "b" {
    inside = "169.254.1.6/30"
  }
}
-- secrets/k.psk --
k.key.for.tunnel.t
-- secrets/j.psk --
j.key.for.tunnel.u
`
