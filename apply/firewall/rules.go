package firewall

import (
	"fmt"
	"net/netip"
	"strings"
)

// Ruleset is an iptables-restore file: per table, the chains it declares
// and their rules, normalized.
type Ruleset struct {
	Tables []Table
}

// Table is one *table ... COMMIT block.
type Table struct {
	Name   string
	Chains []string            // declared, in order
	Rules  map[string][]string // chain -> normalized rules, in order
}

// ParseRestore reads the iptables-restore input vtic renders: tables that
// declare chains (":NAME - [0:0]") and append rules to them ("-A"). Other
// commands are refused: the file must only ever replace vtic's chains.
func ParseRestore(name string, data []byte) (Ruleset, error) {
	var rs Ruleset
	var cur *Table
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", name, i+1, fmt.Sprintf(format, args...))
		}
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "*"):
			if cur != nil {
				return rs, fail("table %s not committed", cur.Name)
			}
			rs.Tables = append(rs.Tables, Table{Name: line[1:], Rules: map[string][]string{}})
			cur = &rs.Tables[len(rs.Tables)-1]
		case cur == nil:
			return rs, fail("%q outside a table", line)
		case line == "COMMIT":
			cur = nil
		case strings.HasPrefix(line, ":"):
			chain, _, _ := strings.Cut(line[1:], " ")
			if isBuiltin(chain) {
				return rs, fail("declaring built-in chain %s would reset its policy", chain)
			}
			cur.Chains = append(cur.Chains, chain)
		case strings.HasPrefix(line, "-A "):
			f := strings.Fields(line)
			if len(f) < 2 || !contains(cur.Chains, f[1]) {
				return rs, fail("rule for a chain the file does not declare: %s", line)
			}
			cur.Rules[f[1]] = append(cur.Rules[f[1]], Normalize(line))
		default:
			return rs, fail("unsupported line %q", line)
		}
	}
	if cur != nil {
		return rs, fmt.Errorf("%s: table %s not committed", name, cur.Name)
	}
	return rs, nil
}

func isBuiltin(chain string) bool {
	switch chain {
	case "INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING":
		return true
	}
	return false
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// basicOpts are the options iptables -S prints first, in this order, with
// their long spellings.
var basicOpts = []struct{ short, long string }{
	{"-s", "--source"}, {"-d", "--destination"}, {"-i", "--in-interface"},
	{"-o", "--out-interface"}, {"-p", "--protocol"},
}

// Normalize rewrites a rule ("-A CHAIN ...") the way iptables -S prints
// it: the basic matches first in -s, -d, -i, -o, -p order, short option
// names, IPv4 host addresses with /32. Everything from the first -m, -j or
// -g on is kept as it is: its order is meaningful.
func Normalize(rule string) string {
	toks := tokens(rule)
	if len(toks) < 2 {
		return strings.Join(toks, " ")
	}
	basic := make([][]string, len(basicOpts))
	var rest []string
	i := 2
	for ; i < len(toks); i++ {
		neg := toks[i] == "!"
		j := i
		if neg {
			j++
		}
		if j+1 >= len(toks) {
			break
		}
		k := basicIndex(toks[j])
		if k < 0 {
			break
		}
		v := toks[j+1]
		if k <= 1 {
			v = hostPrefix(v)
		}
		if neg {
			basic[k] = []string{"!", basicOpts[k].short, v}
		} else {
			basic[k] = []string{basicOpts[k].short, v}
		}
		i = j + 1
	}
	rest = toks[i:]
	out := []string{toks[0], toks[1]}
	for _, b := range basic {
		out = append(out, b...)
	}
	return strings.Join(append(out, rest...), " ")
}

func basicIndex(opt string) int {
	for k, o := range basicOpts {
		if opt == o.short || opt == o.long {
			return k
		}
	}
	return -1
}

// hostPrefix writes a bare IPv4 address as a /32, as iptables prints it.
func hostPrefix(v string) string {
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		return v + "/32"
	}
	return v
}

// tokens splits a rule at blanks, keeping a double-quoted string (with its
// quotes) as one token, as iptables -S prints a comment with spaces.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	quoted, in := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && quoted && i+1 < len(s):
			b.WriteByte(c)
			i++
			b.WriteByte(s[i])
		case c == '"':
			quoted = !quoted
			in = true
			b.WriteByte(c)
		case (c == ' ' || c == '\t') && !quoted:
			if in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		default:
			in = true
			b.WriteByte(c)
		}
	}
	if in {
		out = append(out, b.String())
	}
	return out
}
