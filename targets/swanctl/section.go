package swanctl

import (
	"fmt"
	"strings"
)

// Section is a section of a swanctl.conf file: keys, subsections and
// comments in the order they are written. Connections and Secrets build
// them from the plan; the renderer writes them as text and apply turns
// them into the VICI messages swanctl would send for that text, so the
// file and what apply loads cannot disagree.
type Section struct {
	Name    string
	Entries []Entry
}

// Entry is a key and its value, a subsection (Section set), or a comment
// line (Comment set), which exists only in the text.
type Entry struct {
	Key     string
	Value   string
	Section *Section
	Comment string
}

// IsComment reports whether the entry is a comment line.
func (e Entry) IsComment() bool { return e.Section == nil && e.Key == "" }

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
		if e.Section == nil && e.Key != "" && e.Key == key {
			return e.Value, true
		}
	}
	return "", false
}

func (s *Section) kv(key string, value any) {
	v, ok := value.(string)
	if !ok {
		v = fmt.Sprint(value)
	}
	s.Entries = append(s.Entries, Entry{Key: key, Value: v})
}

func (s *Section) comment(text string) {
	s.Entries = append(s.Entries, Entry{Comment: text})
}

func (s *Section) sub(name string) *Section {
	sub := &Section{Name: name}
	s.Entries = append(s.Entries, Entry{Section: sub})
	return sub
}

// write writes s in strongswan.conf syntax with four-space indentation,
// depth levels deep.
func (s *Section) write(b *strings.Builder, depth int) {
	indent := func(d int) {
		for range d {
			b.WriteString("    ")
		}
	}
	indent(depth)
	b.WriteString(s.Name)
	b.WriteString(" {\n")
	for _, e := range s.Entries {
		switch {
		case e.Section != nil:
			e.Section.write(b, depth+1)
		case e.IsComment():
			indent(depth + 1)
			b.WriteString("# ")
			b.WriteString(e.Comment)
			b.WriteByte('\n')
		default:
			indent(depth + 1)
			b.WriteString(e.Key)
			b.WriteString(" = ")
			b.WriteString(e.Value)
			b.WriteByte('\n')
		}
	}
	indent(depth)
	b.WriteString("}\n")
}
