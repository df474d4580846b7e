package charon

import (
	"fmt"
	"strings"
)

// Section is a section of a strongswan.conf-style file: an ordered list of
// key/value pairs and subsections.
type Section struct {
	Name    string
	Entries []Entry
}

// Entry is either a key/value pair or a subsection.
type Entry struct {
	Key     string
	Value   string
	Section *Section // set for a subsection; Key and Value are then empty
}

// Sub returns the subsection called name, or nil.
func (s *Section) Sub(name string) *Section {
	for _, e := range s.Entries {
		if e.Section != nil && e.Section.Name == name {
			return e.Section
		}
	}
	return nil
}

// Value returns the value of key and whether it is set.
func (s *Section) Value(key string) (string, bool) {
	for _, e := range s.Entries {
		if e.Section == nil && e.Key == key {
			return e.Value, true
		}
	}
	return "", false
}

// Parse reads the subset of the strongswan.conf syntax that swanctl.conf
// files use and vtic writes: one "name {", "}" or "key = value" per line,
// and comments from "#" to the end of the line. A value runs to the end of
// its line, as in strongSwan. Where strongSwan would merge duplicate
// sections or let a later key win, Parse refuses: vtic never writes either,
// so a duplicate means the file is not what vtic rendered. Include
// statements and section references are refused for the same reason.
func Parse(name string, data []byte) (*Section, error) {
	root := &Section{}
	stack := []*Section{root}
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(stripComment(raw))
		cur := stack[len(stack)-1]
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", name, i+1, fmt.Sprintf(format, args...))
		}
		switch {
		case line == "":
		case line == "}":
			if len(stack) == 1 {
				return nil, fail("unexpected }")
			}
			stack = stack[:len(stack)-1]
		case strings.HasSuffix(line, "{"):
			sname := strings.TrimSpace(strings.TrimSuffix(line, "{"))
			if !validName(sname) {
				return nil, fail("bad section name %q", sname)
			}
			if cur.Sub(sname) != nil {
				return nil, fail("section %s declared twice", sname)
			}
			sub := &Section{Name: sname}
			cur.Entries = append(cur.Entries, Entry{Section: sub})
			stack = append(stack, sub)
		case strings.Contains(line, "="):
			key, value, _ := strings.Cut(line, "=")
			key, value = strings.TrimSpace(key), strings.TrimSpace(value)
			if !validName(key) {
				return nil, fail("bad key %q", key)
			}
			if _, dup := cur.Value(key); dup {
				return nil, fail("key %s set twice", key)
			}
			v, err := unquote(value)
			if err != nil {
				return nil, fail("%s: %v", key, err)
			}
			cur.Entries = append(cur.Entries, Entry{Key: key, Value: v})
		default:
			return nil, fail("cannot parse %q", line)
		}
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%s: section %s is not closed", name, stack[len(stack)-1].Name)
	}
	return root, nil
}

// stripComment cuts a line at the first # outside double quotes.
func stripComment(line string) string {
	quoted := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case '#':
			if !quoted {
				return line[:i]
			}
		}
	}
	return line
}

// unquote undoes strongSwan's double quotes ("a \"b\"" is a "b").
func unquote(v string) (string, error) {
	if !strings.HasPrefix(v, `"`) {
		return v, nil
	}
	if len(v) < 2 || !strings.HasSuffix(v, `"`) {
		return "", fmt.Errorf("unterminated quote in %s", v)
	}
	var b strings.Builder
	in := v[1 : len(v)-1]
	for i := 0; i < len(in); i++ {
		if in[i] == '\\' && i+1 < len(in) {
			i++
		}
		b.WriteByte(in[i])
	}
	return b.String(), nil
}

func validName(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t{}=\":.")
}
