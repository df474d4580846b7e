package review

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/vtic/vtic/compile"
)

// secretPrefix names a tunnel's entry in the secrets file; it mirrors the
// swanctl renderer, and the tests render real files to keep the two in step.
const secretPrefix = "ike-"

// unresolvedMarker is the line the swanctl renderer writes in place of an
// entry whose key could not be read.
var unresolvedMarker = regexp.MustCompile(`^#\s*(\S+):\s*pre-shared key (.+) unresolved$`)

// secretFile is a parsed strongSwan secrets file: its entries, and every line
// outside them (the header, the secrets { } section itself).
type secretFile struct {
	entries map[string]*secretEntry
	other   []string
}

// secretEntry is one section of the secrets file, such as ike-gw1-gw2 { … },
// or the marker left where such a section has no key.
type secretEntry struct {
	name     string
	fields   []kv // key = value lines in order; nested sections as "sub.key"
	resolved bool
	ref      string // the key's reference; "" when unknown
}

type kv struct{ key, value string }

// parseSecrets reads the swanctl secrets format the renderer writes. It is
// lenient: a line it does not understand is kept as an "other" line, so an
// unexpected file shows as changed rather than failing the diff.
func parseSecrets(data []byte) *secretFile {
	sf := &secretFile{entries: map[string]*secretEntry{}}
	depth := 0
	var cur *secretEntry
	var path []string // sections below the entry
	for _, line := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(l, "{"):
			name := strings.TrimSpace(strings.TrimSuffix(l, "{"))
			depth++
			switch {
			case depth == 2:
				cur = &secretEntry{name: name, resolved: true}
				sf.entries[name] = cur
			case depth > 2 && cur != nil:
				path = append(path, name)
			default:
				sf.other = append(sf.other, l)
			}
		case l == "}":
			switch {
			case depth == 2:
				cur = nil
			case depth > 2 && len(path) > 0:
				path = path[:len(path)-1]
			default:
				sf.other = append(sf.other, l)
			}
			depth--
		case cur != nil:
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				k, v = "#", l // a comment or something unknown inside the entry
			}
			sf.entryAppend(cur, path, strings.TrimSpace(k), strings.TrimSpace(v))
		case depth == 1 && unresolvedMarker.MatchString(l):
			m := unresolvedMarker.FindStringSubmatch(l)
			sf.entries[m[1]] = &secretEntry{name: m[1], ref: m[2]}
		case l != "":
			sf.other = append(sf.other, l)
		}
	}
	return sf
}

func (sf *secretFile) entryAppend(e *secretEntry, path []string, k, v string) {
	if len(path) > 0 {
		k = strings.Join(path, ".") + "." + k
	}
	e.fields = append(e.fields, kv{k, v})
}

// keys returns the key values the file holds, decoded from 0x hex or taken
// as written, so that other output can be checked for them.
func (sf *secretFile) keys() [][]byte {
	var keys [][]byte
	for _, e := range sf.entries {
		for _, f := range e.fields {
			if f.key != "secret" && !strings.HasSuffix(f.key, ".secret") {
				continue
			}
			v := strings.Trim(f.value, `"`)
			if h, ok := strings.CutPrefix(v, "0x"); ok {
				if b, err := hex.DecodeString(h); err == nil {
					keys = append(keys, b)
					continue
				}
			}
			if v != "" {
				keys = append(keys, []byte(v))
			}
		}
	}
	return keys
}

// addRefs fills in the references of resolved entries from a plan's
// tunnels; the file itself does not say where a written key came from.
func (sf *secretFile) addRefs(tunnels []*compile.Tunnel) {
	for _, t := range tunnels {
		if e := sf.entries[secretPrefix+t.Name]; e != nil && e.ref == "" {
			e.ref = t.PSK.Ref
		}
	}
}

// compareSecrets compares two secrets files entry by entry. otherChanged
// reports lines outside the entries that differ.
func compareSecrets(old, new *secretFile) (entries []EntryChange, otherChanged bool) {
	names := make([]string, 0, len(old.entries)+len(new.entries))
	for n := range old.entries {
		names = append(names, n)
	}
	for n := range new.entries {
		if old.entries[n] == nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		a, b := old.entries[n], new.entries[n]
		switch {
		case a == nil:
			entries = append(entries, EntryChange{Name: n, Status: Added, Details: describeEntry(b)})
		case b == nil:
			entries = append(entries, EntryChange{Name: n, Status: Removed, Details: describeEntry(a)})
		default:
			if d := entryDiff(a, b); len(d) > 0 {
				entries = append(entries, EntryChange{Name: n, Status: Changed, Details: d})
			}
		}
	}
	return entries, strings.Join(old.other, "\n") != strings.Join(new.other, "\n")
}

func describeEntry(e *secretEntry) []string {
	if !e.resolved {
		return []string{"key " + e.ref + " unresolved"}
	}
	return nil
}

// entryDiff says what differs between two versions of an entry, without
// any value that could be a key. When either side is unresolved only the
// references can be compared (see the package documentation).
func entryDiff(a, b *secretEntry) []string {
	if !a.resolved || !b.resolved {
		switch {
		case a.ref == "" || b.ref == "":
			// Only a build directory read without a plan gets here.
			return []string{"cannot compare: the key is unresolved on one side and its reference unknown on the other"}
		case a.ref != b.ref:
			return []string{fmt.Sprintf("reference %s → %s", refText(a), refText(b))}
		}
		return nil
	}
	var out []string
	av, bv := fieldMap(a.fields), fieldMap(b.fields)
	for _, k := range unionKeys(a.fields, b.fields) {
		x, inA := av[k]
		y, inB := bv[k]
		if inA == inB && x == y {
			continue
		}
		switch {
		case k == "secret" || strings.HasSuffix(k, ".secret"):
			out = append(out, "key changed")
		case k == "id" || strings.HasPrefix(k, "id-"):
			out = append(out, fmt.Sprintf("%s: %s → %s", k, orNone(x, inA), orNone(y, inB)))
		default:
			// Other keys of strongSwan's secret sections (pin, file…)
			// may be secret themselves; say only that they changed.
			out = append(out, k+" changed")
		}
	}
	return out
}

func refText(e *secretEntry) string {
	if !e.resolved {
		return e.ref + " (unresolved)"
	}
	return e.ref
}

func orNone(v string, ok bool) string {
	if !ok {
		return "(none)"
	}
	return v
}

func fieldMap(fields []kv) map[string]string {
	m := make(map[string]string, len(fields))
	for _, f := range fields {
		m[f.key] += f.value
	}
	return m
}

func unionKeys(a, b []kv) []string {
	seen := map[string]bool{}
	var keys []string
	for _, f := range append(append([]kv(nil), a...), b...) {
		if !seen[f.key] {
			seen[f.key] = true
			keys = append(keys, f.key)
		}
	}
	return keys
}
