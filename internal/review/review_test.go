package review

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/lang"
)

// site is a two-router site whose one tunnel takes its key from env(ref).
type site struct {
	ref         string // environment variable of the key
	key         string // its value; "" leaves it unresolved
	mark        int
	description string
	disabled    bool
}

func (s site) source() string {
	extra := ""
	if s.description != "" {
		extra += fmt.Sprintf("  description = %q\n", s.description)
	}
	if s.disabled {
		extra += "  enabled = false\n"
	}
	return fmt.Sprintf(`
router "a" {
  asn     = 65001
  outside = "192.0.2.1"
}
router "b" {
  asn     = 65002
  outside = "198.51.100.1"
}
tunnel "a-b" {
  mark = %d
  psk  = env(%q)
%s
  end "a" {
    interface = "vti1"
    inside    = "169.254.1.1/30"
  }
  end "b" {
    interface = "vti1"
    inside    = "169.254.1.2/30"
  }
}
`, s.mark, s.ref, extra)
}

// side loads, compiles and renders the site from memory; an unset key is
// allowed and stays unresolved, as in vtic diff.
func (s site) side(t *testing.T, label string) Side {
	t.Helper()
	opts := lang.Options{
		AllowUnresolvedSecrets: true,
		Sources:                map[string][]byte{"site.hcl": []byte(s.source())},
		LookupEnv: func(name string) (string, bool) {
			if name == s.ref && s.key != "" {
				return s.key, true
			}
			return "", false
		},
	}
	st, diags := lang.LoadDir(t.TempDir(), opts)
	var errs hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs = append(errs, d)
		}
	}
	if len(errs) > 0 {
		t.Fatalf("load %s: %s", label, errs.Error())
	}
	plan, err := compile.Compile(st)
	if err != nil {
		t.Fatal(err)
	}
	side, err := FromPlan(label, plan)
	if err != nil {
		t.Fatal(err)
	}
	return side
}

const (
	key1 = "first-key-1234"
	key2 = "second-key-5678"
)

func pskField(r *Report) []FieldChange {
	var out []FieldChange
	for _, rc := range r.Routers {
		for _, tc := range rc.Tunnels {
			for _, c := range tc.Changes {
				if c.Field == "psk" {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func secretEntries(r *Report) []EntryChange {
	var out []EntryChange
	for _, rc := range r.Routers {
		for _, f := range rc.Files {
			out = append(out, f.Entries...)
		}
	}
	return out
}

// TestSecrets covers how keys compare: by value when both sides have
// them, by reference when either does not.
func TestSecrets(t *testing.T) {
	base := site{ref: "PSK_AB", key: key1, mark: 10}
	cases := []struct {
		name       string
		old, new   site
		changed    bool
		psk        *FieldChange // the psk change of each router's view
		entryNotes []string     // details of the ike-a-b entry
	}{
		{name: "same", old: base, new: base},
		{name: "key rotated", old: base, new: with(base, func(s *site) { s.key = key2 }), changed: true,
			psk:        &FieldChange{Field: "psk", Old: `env("PSK_AB")`, New: `env("PSK_AB")`, Note: "key changed"},
			entryNotes: []string{"key changed"}},
		{name: "head unresolved, same reference", old: base, new: with(base, func(s *site) { s.key = "" })},
		{name: "base unresolved, same reference", old: with(base, func(s *site) { s.key = "" }), new: base},
		{name: "both unresolved, same reference", old: with(base, func(s *site) { s.key = "" }), new: with(base, func(s *site) { s.key = "" })},
		{name: "both unresolved, reference changed", old: with(base, func(s *site) { s.key = "" }),
			new: with(base, func(s *site) { s.key = ""; s.ref = "PSK_AB2" }), changed: true,
			psk:        &FieldChange{Field: "psk", Old: `env("PSK_AB") (unresolved)`, New: `env("PSK_AB2") (unresolved)`},
			entryNotes: []string{`reference env("PSK_AB") (unresolved) → env("PSK_AB2") (unresolved)`}},
		{name: "one unresolved, reference changed", old: base,
			new: with(base, func(s *site) { s.key = ""; s.ref = "PSK_AB2" }), changed: true,
			psk:        &FieldChange{Field: "psk", Old: `env("PSK_AB")`, New: `env("PSK_AB2") (unresolved)`},
			entryNotes: []string{`reference env("PSK_AB") → env("PSK_AB2") (unresolved)`}},
		{name: "both resolved, reference changed, same key", old: base, new: with(base, func(s *site) { s.ref = "PSK_AB2" })},
		{name: "both resolved, reference and key changed", old: base, new: with(base, func(s *site) { s.ref = "PSK_AB2"; s.key = key2 }), changed: true,
			psk:        &FieldChange{Field: "psk", Old: `env("PSK_AB")`, New: `env("PSK_AB2")`},
			entryNotes: []string{"key changed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Compare(c.old.side(t, "old"), c.new.side(t, "new"))
			if r.Changed() != c.changed {
				t.Fatalf("Changed() = %v, want %v", r.Changed(), c.changed)
			}
			var want []FieldChange
			var wantEntries []EntryChange
			if c.psk != nil {
				want = []FieldChange{*c.psk, *c.psk} // routers a and b
				e := EntryChange{Name: "ike-a-b", Status: Changed, Details: c.entryNotes}
				wantEntries = []EntryChange{e, e}
			}
			if d := cmp.Diff(want, pskField(r)); d != "" {
				t.Errorf("psk changes (-want +got):\n%s", d)
			}
			if d := cmp.Diff(wantEntries, secretEntries(r)); d != "" {
				t.Errorf("secret entries (-want +got):\n%s", d)
			}
			checkNoKeys(t, r, key1, key2)
		})
	}
}

func with(s site, f func(*site)) site {
	f(&s)
	return s
}

// checkNoKeys renders the report in every format and fails when a key
// shows, as written or as hex.
func checkNoKeys(t *testing.T, r *Report, keys ...string) {
	t.Helper()
	var text, color, md, js bytes.Buffer
	for _, err := range []error{WriteText(&text, r, false), WriteText(&color, r, true), WriteMarkdown(&md, r), WriteJSON(&js, r)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, out := range []string{text.String(), color.String(), md.String(), js.String()} {
		for _, k := range keys {
			h := hex.EncodeToString([]byte(k))
			for _, needle := range []string{k, h, strings.ToUpper(h)} {
				if strings.Contains(out, needle) {
					t.Errorf("output shows key %q as %q:\n%s", k, needle, out)
				}
			}
		}
	}
}

// TestKeyInDescription: a key pasted where it does not belong is hidden in
// tunnel fields and in the diffs of files that are not secret.
func TestKeyInDescription(t *testing.T) {
	old := site{ref: "PSK_AB", key: key1, mark: 10}
	new := with(old, func(s *site) { s.description = "key is " + key1 })
	r := Compare(old.side(t, "old"), new.side(t, "new"))
	if !r.Changed() {
		t.Fatal("no change reported")
	}
	checkNoKeys(t, r, key1)
	var text bytes.Buffer
	if err := WriteText(&text, r, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), hidden) {
		t.Errorf("no placeholder in:\n%s", text.String())
	}
}

func TestGolden(t *testing.T) {
	old := site{ref: "PSK_AB", key: key1, mark: 10}
	cases := map[string]site{
		"mark-and-key": with(old, func(s *site) { s.mark = 11; s.key = key2 }),
		"disabled":     with(old, func(s *site) { s.disabled = true }),
	}
	for name, new := range cases {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, name, Compare(old.side(t, "old"), new.side(t, "new")))
		})
	}
}

// TestGoldenDirs compares build directories, with plans (tunnels compared
// as for a site) and without (tunnels unknown, never counted as 0). The
// base lacks router b, so that an added router's tunnels show.
func TestGoldenDirs(t *testing.T) {
	oldSite := site{ref: "PSK_AB", key: key1, mark: 10}
	newSite := with(oldSite, func(s *site) { s.mark = 11; s.key = key2 })
	for _, c := range []struct {
		name     string
		old, new func(Side) Side
	}{
		{"dirs-plan", keep, keep},
		{"dirs-noplan", withoutPlan, withoutPlan},
		{"dirs-noplan-base", withoutPlan, keep},
	} {
		t.Run(c.name, func(t *testing.T) {
			old := oldSite.side(t, "old")
			old.Routers = old.Routers[:1]
			oldSide, err := ReadBuildDir(writeBuild(t, c.old(old)))
			if err != nil {
				t.Fatal(err)
			}
			newSide, err := ReadBuildDir(writeBuild(t, c.new(newSite.side(t, "new"))))
			if err != nil {
				t.Fatal(err)
			}
			oldSide.Label, newSide.Label = "old", "new"
			r := Compare(oldSide, newSide)
			if r.TunnelsCompared != strings.HasSuffix(c.name, "-plan") {
				t.Errorf("TunnelsCompared = %v", r.TunnelsCompared)
			}
			if !r.TunnelsCompared {
				checkTunnelsUnknown(t, r)
			}
			checkGolden(t, c.name, r)
		})
	}
}

func keep(s Side) Side { return s }

// checkTunnelsUnknown fails when a report without tunnels counts them
// anyway: as 0 in text or markdown, as a number or list in JSON.
func checkTunnelsUnknown(t *testing.T, r *Report) {
	t.Helper()
	var text, md, js bytes.Buffer
	if err := WriteText(&text, r, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{text.String(), md.String()} {
		if strings.Contains(out, "0 tunnels") || !strings.Contains(out, "tunnels unknown") {
			t.Errorf("tunnels counted although unknown, or not said to be unknown:\n%s", out)
		}
	}
	var doc struct {
		Summary map[string]json.RawMessage   `json:"summary"`
		Routers []map[string]json.RawMessage `json:"routers"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if got := string(doc.Summary["tunnels"]); got != "null" {
		t.Errorf("summary.tunnels = %q, want null", got)
	}
	for _, rt := range doc.Routers {
		if got := string(rt["tunnels"]); got != "null" {
			t.Errorf("router %s: tunnels = %q, want null", rt["name"], got)
		}
	}
}

// checkGolden renders the report in every format, twice, and compares
// each with testdata/<name>.<format>.
func checkGolden(t *testing.T, name string, r *Report) {
	t.Helper()
	outs := map[string]func(*bytes.Buffer) error{
		".txt":       func(b *bytes.Buffer) error { return WriteText(b, r, false) },
		".color.txt": func(b *bytes.Buffer) error { return WriteText(b, r, true) },
		".md":        func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
		".json":      func(b *bytes.Buffer) error { return WriteJSON(b, r) },
	}
	for ext, write := range outs {
		var b, again bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if err := write(&again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), again.Bytes()) {
			t.Errorf("%s: a second rendering differs", ext)
		}
		if ext == ".json" && !json.Valid(b.Bytes()) {
			t.Errorf("invalid JSON")
		}
		targettest.CompareGolden(t, "testdata/"+name+ext, b.Bytes())
	}
	checkNoKeys(t, r, key1, key2)
}

func TestCounts(t *testing.T) {
	// A tunnel that moves from router a to router c is changed, not added
	// and removed; one only in the head is added.
	r := &Report{TunnelsCompared: true, Routers: []RouterChange{
		{Name: "a", Status: Changed, Tunnels: []TunnelChange{{Name: "t1", Status: Removed}, {Name: "t2", Status: Unchanged}}},
		{Name: "b", Status: Added, Tunnels: []TunnelChange{{Name: "t3", Status: Added}}},
		{Name: "c", Status: Changed, Tunnels: []TunnelChange{{Name: "t1", Status: Added}}},
	}}
	got := r.Counts().Tunnels
	want := Tally{Added: 1, Changed: 1, Unchanged: 1}
	if got != want {
		t.Errorf("tunnels = %+v, want %+v", got, want)
	}
}
