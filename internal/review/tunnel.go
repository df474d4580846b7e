package review

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/vtic/vtic/compile"
)

// compareTunnels compares one router's tunnels by name.
func compareTunnels(old, new []*compile.Tunnel, red *redactor) []TunnelChange {
	byName := func(ts []*compile.Tunnel) map[string]*compile.Tunnel {
		m := make(map[string]*compile.Tunnel, len(ts))
		for _, t := range ts {
			m[t.Name] = t
		}
		return m
	}
	om, nm := byName(old), byName(new)
	var names []string
	for n := range om {
		names = append(names, n)
	}
	for n := range nm {
		if om[n] == nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := make([]TunnelChange, 0, len(names))
	for _, n := range names {
		a, b := om[n], nm[n]
		tc := TunnelChange{Name: n, Status: Unchanged}
		switch {
		case a == nil:
			tc.Status = Added
			for _, f := range outline(b) {
				tc.Changes = append(tc.Changes, FieldChange{Field: f.key, New: red.value(f.value)})
			}
		case b == nil:
			tc.Status = Removed
			for _, f := range outline(a) {
				tc.Changes = append(tc.Changes, FieldChange{Field: f.key, Old: red.value(f.value)})
			}
		default:
			tc.Changes = fieldChanges(a, b, red)
			if len(tc.Changes) > 0 {
				tc.Status = Changed
			}
		}
		out = append(out, tc)
	}
	return out
}

// outline is what identifies an added or removed tunnel at a glance.
func outline(t *compile.Tunnel) []kv {
	f := make([]kv, 0, len(outlineKeys)+2)
	for _, k := range outlineKeys {
		f = append(f, kv{k, fieldValue(t, k)})
	}
	if t.Pubkey {
		f = append(f, kv{"auth", "pubkey"})
	} else {
		f = append(f, kv{"psk", pskText(t.PSK)})
	}
	if !t.Enabled {
		f = append(f, kv{"enabled", "false"})
	}
	return f
}

// fieldChanges compares two states of one tunnel: every field of
// tunnelFields, bgpFields and comparedApart (fields.go).
func fieldChanges(a, b *compile.Tunnel, red *redactor) []FieldChange {
	af, bf := fields(a), fields(b)
	am, bm := fieldMap(af), fieldMap(bf)
	var out []FieldChange
	for _, k := range unionKeys(af, bf) {
		x, y := am[k], bm[k]
		if x != y {
			out = append(out, FieldChange{Field: k, Old: red.value(x), New: red.value(y)})
		}
	}
	if c, ok := pskChange(a.PSK, b.PSK); ok {
		out = append(out, c)
	}
	return out
}

// pskChange compares two keys without showing either. Both resolved: the
// values decide, whatever their references. Either unresolved: the
// references decide (see the package documentation).
func pskChange(a, b compile.Secret) (FieldChange, bool) {
	if a.Resolved && b.Resolved {
		if bytes.Equal(a.Value, b.Value) {
			return FieldChange{}, false
		}
		c := FieldChange{Field: "psk", Old: a.Ref, New: b.Ref}
		if a.Ref == b.Ref {
			c.Note = "key changed"
		}
		return c, true
	}
	if a.Ref == b.Ref {
		return FieldChange{}, false
	}
	return FieldChange{Field: "psk", Old: pskText(a), New: pskText(b)}, true
}

func pskText(s compile.Secret) string {
	if !s.Resolved {
		return fmt.Sprintf("%s (unresolved)", s.Ref)
	}
	return s.Ref
}
