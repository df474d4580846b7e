package review

import (
	"strings"
	"testing"
)

func TestMarkdownLimit(t *testing.T) {
	big := "--- a/r/f\n+++ b/r/f\n@@ -1,1 +1,1 @@\n" + strings.Repeat("+x\n", MarkdownLimit/3)
	r := &Report{Base: "a", Head: "b", Routers: []RouterChange{{Name: "r", Status: Changed, Files: []FileChange{
		{Path: "small", Status: Changed, Diff: "--- a/r/small\n+++ b/r/small\n@@ -1 +1 @@\n-a\n+b\n"},
		{Path: "f", Status: Changed, Diff: big},
		{Path: "g", Status: Changed, Diff: big},
	}}}}
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if len(out) > MarkdownLimit {
		t.Errorf("markdown is %d bytes, over the limit of %d", len(out), MarkdownLimit)
	}
	if !strings.Contains(out, "+b\n") {
		t.Errorf("the small diff is missing")
	}
	if !strings.Contains(out, "The diff of `g` is left out") {
		t.Errorf("no note for the diff left out:\n%s", out[:500])
	}
}

func TestMarkdownQuoting(t *testing.T) {
	cases := map[string]string{
		"plain": "`plain`",
		"a`b":   "``a`b``",
		"`x":    "`` `x ``",
		"":      "`\"\"`",
	}
	for in, want := range cases {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
	if got := fenced("diff", "+```\n"); !strings.HasPrefix(got, "````diff\n") {
		t.Errorf("fence not longer than the content's: %q", got)
	}
	if got := mdEscape("a_b*<c>"); got != `a\_b\*\<c\>` {
		t.Errorf("mdEscape = %q", got)
	}
}
