package firewall

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/vtic/vtic/targets/iptables"
)

// State is what the kernel holds: per table, the lines iptables -S prints.
type State struct {
	Tables map[string][]string
}

// tablesOf lists the tables a ruleset and the jumps use.
func tablesOf(rs Ruleset, jumps []iptables.Chain) []string {
	var names []string
	for _, t := range rs.Tables {
		names = append(names, t.Name)
	}
	for _, c := range jumps {
		names = append(names, c.Table)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Read reads the tables that rs and jumps use.
func Read(ctx context.Context, fw Firewall, rs Ruleset, jumps []iptables.Chain) (State, error) {
	st := State{Tables: map[string][]string{}}
	for _, t := range tablesOf(rs, jumps) {
		lines, err := fw.Rules(ctx, t)
		if err != nil {
			return st, err
		}
		st.Tables[t] = lines
	}
	return st, nil
}

// chain returns whether a chain exists in a table and its rules,
// normalized when norm is set and as printed otherwise.
func (s State) chain(table, name string, norm bool) (exists bool, rules []string) {
	for _, l := range s.Tables[table] {
		verb, chain := head(l)
		if chain != name {
			continue
		}
		switch verb {
		case "-N":
			exists = true
		case "-A":
			if norm {
				l = Normalize(l)
			}
			rules = append(rules, l)
		}
	}
	return exists || isBuiltin(name), rules
}

// jumps counts the rules "-A FROM -j NAME" of a table.
func (s State) jumps(c iptables.Chain) int {
	want := jumpRule(c)
	n := 0
	for _, l := range s.Tables[c.Table] {
		// Normalize keeps the first two words; checking them first
		// spares normalizing every rule of every chain (thousands on
		// a router with a thousand tunnels) for each jump.
		if verb, chain := head(l); verb == "-A" && chain == c.From && Normalize(l) == want {
			n++
		}
	}
	return n
}

// head returns the first two words of an iptables -S line ("-A",
// "INPUT"), as strings.Fields would, without splitting the rest.
func head(l string) (verb, chain string) {
	l = strings.TrimLeftFunc(l, unicode.IsSpace)
	i := strings.IndexFunc(l, unicode.IsSpace)
	if i < 0 {
		return l, ""
	}
	verb, l = l[:i], strings.TrimLeftFunc(l[i:], unicode.IsSpace)
	if j := strings.IndexFunc(l, unicode.IsSpace); j >= 0 {
		l = l[:j]
	}
	return verb, l
}

func jumpRule(c iptables.Chain) string { return "-A " + c.From + " -j " + c.Name }

// Changes is what Apply writes.
type Changes struct {
	// Differ names the chains ("filter VTIC-INPUT") whose rules are not
	// the file's; any makes Apply restore the file.
	Differ []string
	// Add and Drop are the jumps to insert, and the surplus copies to
	// delete, so that each exists exactly once.
	Add  []iptables.Chain
	Drop []iptables.Chain
}

// Empty reports whether there is nothing to write.
func (c Changes) Empty() bool { return len(c.Differ) == 0 && len(c.Add) == 0 && len(c.Drop) == 0 }

// Lines describes the changes for a report.
func (c Changes) Lines() []string {
	var out []string
	if len(c.Differ) > 0 {
		out = append(out, "restore "+iptables.Path+" ("+strings.Join(c.Differ, ", ")+")")
	}
	for _, j := range c.Add {
		out = append(out, fmt.Sprintf("add jump %s %s -> %s", j.Table, j.From, j.Name))
	}
	for _, j := range c.Drop {
		out = append(out, fmt.Sprintf("delete duplicate jump %s %s -> %s", j.Table, j.From, j.Name))
	}
	return out
}

// Plan compares the kernel with the file and the jumps.
func Plan(st State, rs Ruleset, jumps []iptables.Chain) Changes {
	var c Changes
	declared := map[[2]string]bool{}
	for _, t := range rs.Tables {
		for _, name := range t.Chains {
			declared[[2]string{t.Name, name}] = true
			exists, rules := st.chain(t.Name, name, true)
			if !exists || !slices.Equal(rules, t.Rules[name]) {
				c.Differ = append(c.Differ, t.Name+" "+name)
			}
		}
	}
	for _, j := range jumps {
		if !declared[[2]string{j.Table, j.Name}] {
			continue // the file does not create the chain to jump to
		}
		switch n := st.jumps(j); {
		case n == 0:
			c.Add = append(c.Add, j)
		case n > 1:
			for range n - 1 {
				c.Drop = append(c.Drop, j)
			}
		}
	}
	return c
}

// Apply writes the changes: the rules file (file, the bytes Plan's
// ruleset was parsed from) if any chain differs, then the jump fixes.
func Apply(ctx context.Context, fw Firewall, file []byte, c Changes) error {
	if len(c.Differ) > 0 {
		if err := fw.Restore(ctx, file); err != nil {
			return fmt.Errorf("load %s: %w", iptables.Path, err)
		}
	}
	byTable := map[string][]string{}
	for _, j := range c.Drop {
		byTable[j.Table] = append(byTable[j.Table], "-D "+j.From+" -j "+j.Name)
	}
	for _, j := range c.Add {
		byTable[j.Table] = append(byTable[j.Table], "-I "+j.From+" 1 -j "+j.Name)
	}
	if input := restoreInput(byTable); input != nil {
		if err := fw.Restore(ctx, input); err != nil {
			return fmt.Errorf("add jumps to vtic's chains: %w", err)
		}
	}
	return nil
}

// Undo returns the chains of rs and the jumps to what before holds,
// reading the kernel again first so it only writes what differs.
func Undo(ctx context.Context, fw Firewall, before State, rs Ruleset, jumps []iptables.Chain) error {
	now, err := Read(ctx, fw, rs, jumps)
	if err != nil {
		return err
	}
	byTable := map[string][]string{}
	for _, j := range jumps {
		b, a := before.jumps(j), now.jumps(j)
		for ; a > b; a-- {
			byTable[j.Table] = append(byTable[j.Table], "-D "+j.From+" -j "+j.Name)
		}
		for ; a < b; a++ {
			byTable[j.Table] = append(byTable[j.Table], "-I "+j.From+" 1 -j "+j.Name)
		}
	}
	var drop []string // "table chain", deleted after the jumps to them
	for _, t := range rs.Tables {
		for _, name := range t.Chains {
			existed, old := before.chain(t.Name, name, false)
			exists, cur := now.chain(t.Name, name, false)
			switch {
			case existed && (!exists || !slices.Equal(normalizeAll(old), normalizeAll(cur))):
				byTable[t.Name] = append(byTable[t.Name], ":"+name+" - [0:0]")
				byTable[t.Name] = append(byTable[t.Name], old...)
			case !existed && exists:
				drop = append(drop, t.Name+" "+name)
			}
		}
	}
	for _, d := range drop {
		table, name, _ := strings.Cut(d, " ")
		byTable[table] = append(byTable[table], "-F "+name, "-X "+name)
	}
	if input := restoreInput(byTable); input != nil {
		if err := fw.Restore(ctx, input); err != nil {
			return fmt.Errorf("restore vtic's chains: %w", err)
		}
	}
	return nil
}

func normalizeAll(rules []string) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = Normalize(r)
	}
	return out
}

// restoreInput writes iptables-restore input for the lines of each table,
// or nil if there are none.
func restoreInput(byTable map[string][]string) []byte {
	var b strings.Builder
	for _, t := range slices.Sorted(maps.Keys(byTable)) {
		if len(byTable[t]) == 0 {
			continue
		}
		b.WriteString("*" + t + "\n")
		for _, l := range byTable[t] {
			b.WriteString(l + "\n")
		}
		b.WriteString("COMMIT\n")
	}
	if b.Len() == 0 {
		return nil
	}
	return []byte(b.String())
}
