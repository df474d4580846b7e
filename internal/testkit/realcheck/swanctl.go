package realcheck

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strongswan/govici/vici"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/testdaemon"
)

// Loaded is what a real charon holds after swanctl --load-all.
type Loaded struct {
	Conns   []string // connection names, sorted (VICI get-conns)
	Secrets []string // shared-secret section names such as "ike-x", sorted (VICI get-shared)
	Output  string   // swanctl's stdout and stderr, noise removed
	// Listed is what charon reports of each connection (VICI list-conns),
	// flattened: "rekey_time", "local-1.id", "children.x.dpd_action" →
	// value, lists joined with commas. charon reports only some options
	// (version, reauth/rekey times, DPD, identities, the children's rekey
	// time and actions), in its own form: times in seconds, version as
	// "IKEv1".
	Listed map[string]map[string]string
}

// secretsFile is the name vtic gives its secrets; it must not be readable
// by group or others, as on the router.
const secretsFile = "conf.d/vtic-secrets.conf"

// swanctlNoise matches stderr lines that say nothing about the files:
// plugins Debian does not package, and credential directories that a
// directory holding only conf.d lacks.
var swanctlNoise = []*regexp.Regexp{
	regexp.MustCompile(`^plugin '[^']+': failed to load - `),
	regexp.MustCompile(`^opening directory '[^']+' failed: No such file or directory$`),
}

// declaresSecrets spots a secrets section that holds a secret, so that a
// file whose secrets all failed to load cannot pass for one without
// secrets. An empty section (a router whose tunnels all use certificates)
// declares none.
var declaresSecrets = regexp.MustCompile(`(?m)^\s*secrets\s*\{[^}]*\{`)

// Swanctl loads a directory laid out like /etc/swanctl (swanctl.conf and/or
// conf.d/*.conf) into a private charon with swanctl --load-all and returns
// the sorted names of the connections the daemon accepted. See SwanctlLoad.
func Swanctl(t testing.TB, confDir string) []string {
	t.Helper()
	return SwanctlLoad(t, confDir).Conns
}

// SwanctlLoad is Swanctl returning the loaded secrets and swanctl's output
// too. It fails the test when swanctl exits non-zero, when it prints
// anything on stderr beyond known noise (swanctl exits 0 on a syntax error,
// on a secret without a secret and on an unknown secret type), when a file
// declares secrets but none loaded, or when conf.d/vtic-secrets.conf is
// readable by group or others. The daemon and its namespaces are removed
// by t.Cleanup.
func SwanctlLoad(t testing.TB, confDir string) Loaded {
	t.Helper()
	start := time.Now()

	c := testdaemon.StartCharon(t) // skips or fails first when charon cannot run here
	if fi, err := os.Stat(filepath.Join(confDir, secretsFile)); err == nil && fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("realcheck: %s has mode %04o; secrets must not be readable by group or others (want 0600)",
			filepath.Join(confDir, secretsFile), fi.Mode().Perm())
	}

	swanDir := filepath.Join(c.Dir, "swanctl")
	if err := copyTree(confDir, swanDir); err != nil {
		t.Fatalf("realcheck: copy %s: %v", confDir, err)
	}
	confFile := filepath.Join(swanDir, "swanctl.conf")
	if _, err := os.Stat(confFile); os.IsNotExist(err) {
		// Relative includes resolve against the including file's directory.
		if err := os.WriteFile(confFile, []byte("include conf.d/*.conf\n"), 0o644); err != nil {
			t.Fatalf("realcheck: write swanctl.conf: %v", err)
		}
	}

	swanctl := require.Program(t, "swanctl")
	// SWANCTL_DIR keeps swanctl from reading the host's /etc/swanctl
	// credentials; STRONGSWAN_CONF keeps its own settings private too.
	env := []string{"STRONGSWAN_CONF=" + c.Conf, "SWANCTL_DIR=" + swanDir}
	r := run(env, swanctl, "--load-all", "--noprompt", "--file", confFile, "--uri", c.URI)
	var problems []string
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if line != "" && !isNoise(line) {
			problems = append(problems, line)
		}
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, "failed") {
			problems = append(problems, line)
		}
	}
	loaded := Loaded{Output: strings.TrimSpace(r.stdout + "\n" + strings.Join(problems, "\n"))}
	if r.err != nil || r.code != 0 || len(problems) > 0 {
		t.Fatalf("realcheck: swanctl --load-all rejected %s (exit status %d):\n%s\n--- charon log\n%s",
			confDir, r.code, loaded.Output, c.LogTail())
	}

	var err error
	if loaded.Conns, loaded.Secrets, loaded.Listed, err = listLoaded(c.Socket); err != nil {
		t.Fatalf("realcheck: list what charon loaded from %s: %v", confDir, err)
	}
	if len(loaded.Secrets) == 0 {
		files, _ := filepath.Glob(filepath.Join(swanDir, "conf.d", "*.conf"))
		for _, f := range append(files, confFile) {
			if data, err := os.ReadFile(f); err == nil && declaresSecrets.Match(data) {
				t.Fatalf("realcheck: %s declares secrets but charon holds none:\n%s", f, loaded.Output)
			}
		}
	}
	t.Logf("realcheck: swanctl check of %s took %v (%d connections, %d secrets)",
		confDir, time.Since(start).Round(time.Millisecond), len(loaded.Conns), len(loaded.Secrets))
	return loaded
}

func isNoise(line string) bool {
	for _, re := range swanctlNoise {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// listLoaded asks charon over VICI for the names it holds, and what it
// reports of each connection. VICI answers with plain values, which beats
// parsing swanctl's display format.
func listLoaded(socket string) (conns, secrets []string, listed map[string]map[string]string, err error) {
	s, err := vici.NewSession(vici.WithSocketPath(socket))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("connect to vici socket %s: %w", socket, err)
	}
	defer s.Close()
	if conns, err = listCommand(s, "get-conns", "conns"); err != nil {
		return nil, nil, nil, err
	}
	if secrets, err = listCommand(s, "get-shared", "keys"); err != nil {
		return nil, nil, nil, err
	}
	listed = map[string]map[string]string{}
	for _, name := range conns {
		m, err := listConn(socket, name)
		if err != nil {
			return nil, nil, nil, err
		}
		listed[name] = map[string]string{}
		flatten(listed[name], "", m)
	}
	return conns, secrets, listed, nil
}

// listConn asks for one connection's list-conn event. govici (0.8)
// streams unreliably: its reader selects at random between a waiting event
// and the command's reply and ends the stream on the reply, drops events
// that find its buffer full, and a lost race can leave a stray packet that
// breaks the session's next request. So ask for one connection at a time,
// on a fresh session, and again until the event comes.
func listConn(socket, name string) (*vici.Message, error) {
	in := vici.NewMessage()
	if err := in.Set("ike", name); err != nil {
		return nil, err
	}
	var last error
	for range 50 {
		s, err := vici.NewSession(vici.WithSocketPath(socket))
		if err != nil {
			return nil, fmt.Errorf("connect to vici socket %s: %w", socket, err)
		}
		events, err := s.StreamedCommandRequest("list-conns", "list-conn", in)
		s.Close()
		if err != nil {
			last = err
			continue
		}
		for _, ev := range events {
			if m, ok := ev.Get(name).(*vici.Message); ok {
				return m, nil
			}
		}
	}
	return nil, fmt.Errorf("vici list-conns %s: no list-conn event in 50 tries (last error: %v)", name, last)
}

// flatten writes the values of m into out under dotted keys.
func flatten(out map[string]string, prefix string, m *vici.Message) {
	for _, k := range m.Keys() {
		switch v := m.Get(k).(type) {
		case string:
			out[prefix+k] = v
		case []string:
			out[prefix+k] = strings.Join(v, ",")
		case *vici.Message:
			flatten(out, prefix+k+".", v)
		}
	}
}

// listCommand runs a VICI command whose reply is one list of strings.
func listCommand(s *vici.Session, cmd, key string) ([]string, error) {
	m, err := s.CommandRequest(cmd, nil)
	if err != nil {
		return nil, fmt.Errorf("vici %s: %w", cmd, err)
	}
	var names []string
	switch v := m.Get(key).(type) {
	case nil: // charon omits an empty list
	case []string:
		names = slices.Clone(v)
	default:
		return nil, fmt.Errorf("vici %s: %s is a %T, want a list", cmd, key, v)
	}
	slices.Sort(names)
	return names, nil
}

// copyTree copies the directories and regular files under src to dst,
// keeping permission bits so a 0600 secrets file stays 0600.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := os.Stat(path) // follows a symlinked conf.d/*.conf
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
				return err
			}
			return os.Chmod(target, info.Mode().Perm()) // WriteFile's mode is masked by umask
		default:
			return nil // sockets and the like are not configuration
		}
	})
}
