package routerlab

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
)

// bootScript turns the [Service] commands of a systemd unit into a shell
// script that runs them on router host as systemd would when the unit
// starts: Environment= exported, EnvironmentFile= sourced ("-" for an
// optional file), then ExecStartPre=, ExecStart= and ExecStartPost= in
// order, stopping at the first that fails unless it is prefixed with "-".
// The specifiers %H (the host name: a router is named as in its site) and
// %% are expanded; $VAR and ${VAR} are left to the shell, which expands
// them as systemd does. The lab has no systemd, so this is how it runs the
// boot unit the README documents.
func bootScript(unit, host string) (string, error) {
	var env, envFiles, pre, start, post []string
	section := ""
	sc := bufio.NewScanner(strings.NewReader(unit))
	var cont string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cont != "" {
			line = cont + " " + line
			cont = ""
		}
		if strings.HasSuffix(line, `\`) {
			cont = strings.TrimSpace(strings.TrimSuffix(line, `\`))
			continue
		}
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		if section != "Service" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		value, err := expandSpecifiers(strings.TrimSpace(value), host)
		if err != nil {
			return "", fmt.Errorf("%s: %w", strings.TrimSpace(key), err)
		}
		switch strings.TrimSpace(key) {
		case "Environment":
			words, err := splitQuoted(value)
			if err != nil {
				return "", fmt.Errorf("Environment=%s: %w", value, err)
			}
			env = append(env, words...)
		case "EnvironmentFile":
			envFiles = append(envFiles, value)
		case "ExecStartPre":
			pre = append(pre, value)
		case "ExecStart":
			start = append(start, value)
		case "ExecStartPost":
			post = append(post, value)
		}
	}
	if len(start) == 0 {
		return "", fmt.Errorf("no ExecStart= in the [Service] section")
	}
	var b strings.Builder
	b.WriteString("# The commands of a systemd unit, written by TestRouterLab's bootScript.\n")
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", fmt.Errorf("Environment=%s: not NAME=VALUE", kv)
		}
		fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(v))
	}
	for _, f := range envFiles {
		optional := strings.HasPrefix(f, "-")
		f = strings.TrimPrefix(f, "-")
		if optional {
			fmt.Fprintf(&b, "if [ -r %[1]s ]; then set -a; . %[1]s; set +a; fi\n", shellQuote(f))
		} else {
			fmt.Fprintf(&b, "set -a; . %s || exit 1; set +a\n", shellQuote(f))
		}
	}
	for _, c := range append(append(pre, start...), post...) {
		// Prefixes: "-" ignores a failure; "@", ":", "+", "!" change how
		// systemd runs the command in ways a lab router does not need.
		ignore := false
		for len(c) > 0 && strings.ContainsRune("-@:+!", rune(c[0])) {
			ignore = ignore || c[0] == '-'
			c = c[1:]
		}
		if ignore {
			fmt.Fprintf(&b, "%s || true\n", c)
		} else {
			fmt.Fprintf(&b, "%s || exit $?\n", c)
		}
	}
	return b.String(), nil
}

// expandSpecifiers expands %H and %%, and refuses the specifiers a lab
// router cannot give a value.
func expandSpecifiers(s, host string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 == len(s) {
			return "", fmt.Errorf("%q ends in a lone %%", s)
		}
		i++
		switch s[i] {
		case 'H', 'l':
			b.WriteString(host)
		case '%':
			b.WriteByte('%')
		default:
			return "", fmt.Errorf("specifier %%%c in %q: the lab knows %%H, %%l and %%%%", s[i], s)
		}
	}
	return b.String(), nil
}

// splitQuoted splits an Environment= value into its assignments: words
// separated by spaces, double or single quotes grouping.
func splitQuoted(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func TestBootScript(t *testing.T) {
	unit := `# a comment
[Unit]
Description=vtic: converge at boot
ExecStart=/bin/false

[Service]
Type=oneshot
Environment=VTIC_HOST=%H "OPTS=--wait --x"
EnvironmentFile=-/etc/default/vtic
ExecStartPre=-/bin/mkdir -p /run/vtic
ExecStart=/usr/local/bin/vtic apply \
    --installed --host ${VTIC_HOST} $OPTS
ExecStartPost=/bin/echo 100%% done on %H
`
	got, err := bootScript(unit, "gw2")
	if err != nil {
		t.Fatal(err)
	}
	want := `# The commands of a systemd unit, written by TestRouterLab's bootScript.
export VTIC_HOST='gw2'
export OPTS='--wait --x'
if [ -r '/etc/default/vtic' ]; then set -a; . '/etc/default/vtic'; set +a; fi
/bin/mkdir -p /run/vtic || true
/usr/local/bin/vtic apply --installed --host ${VTIC_HOST} $OPTS || exit $?
/bin/echo 100% done on gw2 || exit $?
`
	if got != want {
		t.Errorf("bootScript =\n%s\nwant\n%s", got, want)
	}
	for _, bad := range []string{
		"[Service]\nType=oneshot\n",                           // no ExecStart
		"[Service]\nExecStart=/bin/vtic --host %i\n",          // unknown specifier
		"[Service]\nEnvironment=\"A=1\nExecStart=/bin/true\n", // unterminated quote
	} {
		if _, err := bootScript(bad, "gw2"); err == nil {
			t.Errorf("bootScript accepted %q", bad)
		}
	}
}
