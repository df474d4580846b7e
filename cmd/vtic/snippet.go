package main

import (
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Snippet bounds. A diagnostic quotes at most snippetWidth bytes of its
// line around the subject, of which at most snippetSubject are the subject
// itself; a cut is marked with "…". Without a bound, each of thousands of
// errors on one long line would copy the whole line.
const (
	snippetWidth   = 120
	snippetSubject = 80
	ellipsis       = "…"
)

// excerpt is the part of a source line a diagnostic quotes: the text
// before the subject, the subject (cut at the end of its first line) and
// the text after, each raw from the file; the cut marks are not included.
type excerpt struct {
	line                  int
	before, subject, rest string
	cutStart, cutEnd      bool
}

// excerptOf returns the excerpt of rng in f, reading at most about
// snippetWidth bytes either side of the subject's start whatever the
// length of the line. ok is false when rng does not lie inside f.
func excerptOf(f *hcl.File, rng hcl.Range) (e excerpt, ok bool) {
	if f == nil {
		return e, false
	}
	src := f.Bytes
	s, end := rng.Start.Byte, rng.End.Byte
	if s < 0 || s > len(src) || end > len(src) {
		return e, false
	}
	end = max(end, s)

	ls := s // line start, looked for at most snippetWidth bytes back
	for ls > 0 && src[ls-1] != '\n' && s-ls < snippetWidth {
		ls--
	}
	he := s // subject end: its end, the end of its line or the width
	for he < end && src[he] != '\n' && he-s < snippetSubject {
		he++
	}
	for he > s && he < len(src) && !utf8.RuneStart(src[he]) {
		he--
	}
	le := he // line end, looked for at most snippetWidth bytes on
	for le < len(src) && src[le] != '\n' && le-he < snippetWidth {
		le++
	}
	e.cutStart = ls > 0 && src[ls-1] != '\n'
	e.cutEnd = le < len(src) && src[le] != '\n'

	// Share what the subject leaves of the width between both sides,
	// giving a side what the other does not use.
	room := max(snippetWidth-(he-s), 0)
	before, after := s-ls, le-he
	if before+after > room {
		b := min(before, max(room/2, room-after))
		a := min(after, room-b)
		if b < before {
			ls, e.cutStart = s-b, true
		}
		if a < after {
			le, e.cutEnd = he+a, true
		}
	}
	for ls < s && !utf8.RuneStart(src[ls]) {
		ls++
	}
	for le > he && le < len(src) && !utf8.RuneStart(src[le]) {
		le--
	}
	if !e.cutEnd && le > he && src[le-1] == '\r' {
		le--
	}
	e.line = rng.Start.Line
	e.before, e.subject, e.rest = string(src[ls:s]), string(src[s:he]), string(src[he:le])
	return e, true
}

// snippetLabel bounds each label of the block named in "on FILE line N,
// in router "gw1"", and its type: a label may be as long as a file.
const snippetLabel = 60
