package firewall

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory iptables for tests. Restore understands the
// commands vtic writes (chain declarations, -A, -I, -D, -F, -X), commits a
// whole input or nothing, refuses what iptables refuses (a rule for a
// missing chain, a jump to one, deleting a rule that is not there or a
// chain that is referenced or not empty) and records every successful
// input.
type Fake struct {
	mu     sync.Mutex
	tables map[string]*fakeTable
	// rec records each successful Restore's input as one transcript line
	// and holds the FailRestore rules.
	rec fakerec.Recorder
}

type fakeTable struct {
	chains []string            // user chains, in creation order
	rules  map[string][]string // chain -> normalized "-A" lines
}

var _ Firewall = (*Fake)(nil)

// NewFake returns filter and mangle tables with only the built-in chains.
func NewFake() *Fake {
	f := &Fake{tables: map[string]*fakeTable{}}
	for _, t := range []string{"filter", "mangle"} {
		f.tables[t] = &fakeTable{rules: map[string][]string{}}
	}
	return f
}

// FailRestore makes every Restore whose input contains match fail with
// err, changing nothing; an empty match fails them all.
func (f *Fake) FailRestore(match string, err error) {
	f.rec.FailContaining(match, err)
}

// ClearFailures undoes FailRestore.
func (f *Fake) ClearFailures() {
	f.rec.ClearFailures()
}

// Restores returns the input of every successful Restore.
func (f *Fake) Restores() [][]byte {
	var out [][]byte
	for _, in := range f.rec.Transcript() {
		out = append(out, []byte(in))
	}
	return out
}

// ResetRestores forgets the recorded restores.
func (f *Fake) ResetRestores() {
	f.rec.ResetTranscript()
}

// Put runs input as a Restore without recording it, as if another tool
// had written those rules.
func (f *Fake) Put(input string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.restore([]byte(input))
}

// Dump returns every table as iptables -S would print it, for comparing
// states in tests.
func (f *Fake) Dump() string {
	var b strings.Builder
	for _, t := range slices.Sorted(maps.Keys(f.tables)) {
		lines, _ := f.Rules(context.Background(), t)
		b.WriteString("*" + t + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

func (f *Fake) Rules(_ context.Context, table string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tables[table]
	if !ok {
		return nil, fmt.Errorf("iptables: list table %s: table does not exist", table)
	}
	var out []string
	for _, c := range builtins {
		out = append(out, "-P "+c+" ACCEPT")
	}
	for _, c := range t.chains {
		out = append(out, "-N "+c)
	}
	for _, c := range append(slices.Clone(builtins), t.chains...) {
		out = append(out, t.rules[c]...)
	}
	return out, nil
}

var builtins = []string{"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}

func (f *Fake) Restore(_ context.Context, input []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.rec.Do(string(input), func() error { return f.restore(input) }); err != nil {
		return fmt.Errorf("iptables-restore: %w", err)
	}
	return nil
}

// restore applies input to copies of the tables and keeps them only if
// every line succeeded.
func (f *Fake) restore(input []byte) error {
	work := map[string]*fakeTable{}
	for name, t := range f.tables {
		c := &fakeTable{chains: slices.Clone(t.chains), rules: map[string][]string{}}
		for k, v := range t.rules {
			c.rules[k] = slices.Clone(v)
		}
		work[name] = c
	}
	var cur *fakeTable
	for i, line := range strings.Split(string(input), "\n") {
		line = strings.TrimSpace(line)
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d failed: %s", i+1, fmt.Sprintf(format, args...))
		}
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "*"):
			t, ok := work[line[1:]]
			if !ok {
				return fail("table %s does not exist", line[1:])
			}
			cur = t
		case cur == nil:
			return fail("outside a table")
		case line == "COMMIT":
			cur = nil
		case strings.HasPrefix(line, ":"):
			name, _, _ := strings.Cut(line[1:], " ")
			if !isBuiltin(name) && !slices.Contains(cur.chains, name) {
				cur.chains = append(cur.chains, name)
			}
			cur.rules[name] = nil
		default:
			if err := cur.command(line); err != nil {
				return fail("%v", err)
			}
		}
	}
	if cur != nil {
		return fmt.Errorf("COMMIT expected")
	}
	f.tables = work
	return nil
}

func (t *fakeTable) has(chain string) bool {
	return isBuiltin(chain) || slices.Contains(t.chains, chain)
}

func (t *fakeTable) command(line string) error {
	toks := tokens(line)
	if len(toks) < 2 {
		return fmt.Errorf("bad command %q", line)
	}
	op, chain := toks[0], toks[1]
	if !t.has(chain) {
		return fmt.Errorf("no chain/target/match by that name (%s)", chain)
	}
	switch op {
	case "-F":
		t.rules[chain] = nil
		return nil
	case "-X":
		if len(t.rules[chain]) > 0 {
			return fmt.Errorf("directory not empty (%s)", chain)
		}
		for c, rules := range t.rules {
			for _, r := range rules {
				if target(r) == chain {
					return fmt.Errorf("too many links (%s is referenced from %s)", chain, c)
				}
			}
		}
		t.chains = slices.DeleteFunc(t.chains, func(c string) bool { return c == chain })
		delete(t.rules, chain)
		return nil
	}
	rest := toks[2:]
	pos := 1
	if op == "-I" && len(rest) > 0 {
		if n, err := strconv.Atoi(rest[0]); err == nil {
			pos, rest = n, rest[1:]
		}
	}
	rule := Normalize("-A " + chain + " " + strings.Join(rest, " "))
	if tg := target(rule); tg != "" && !knownTargets[tg] && !t.has(tg) {
		return fmt.Errorf("no chain/target/match by that name (%s)", tg)
	}
	switch op {
	case "-A":
		t.rules[chain] = append(t.rules[chain], rule)
	case "-I":
		if pos < 1 || pos > len(t.rules[chain])+1 {
			return fmt.Errorf("index of insertion too big")
		}
		t.rules[chain] = slices.Insert(t.rules[chain], pos-1, rule)
	case "-D":
		i := slices.Index(t.rules[chain], rule)
		if i < 0 {
			return fmt.Errorf("bad rule (does a matching rule exist in that chain?)")
		}
		t.rules[chain] = slices.Delete(t.rules[chain], i, i+1)
	default:
		return fmt.Errorf("unsupported command %s", op)
	}
	return nil
}

// knownTargets are the extension targets tests use; any other -j names a
// chain, which must exist.
var knownTargets = map[string]bool{"ACCEPT": true, "DROP": true, "RETURN": true, "REJECT": true, "LOG": true, "TCPMSS": true}

// target returns the -j argument of a rule.
func target(rule string) string {
	toks := tokens(rule)
	for i := 0; i+1 < len(toks); i++ {
		if toks[i] == "-j" {
			return toks[i+1]
		}
	}
	return ""
}
