package review

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/targets/swanctl"
)

// TestParseRenderedSecrets keeps the parser in step with the swanctl
// renderer: every enabled tunnel of every example has its entry, named
// ike-NAME, holding the key the plan has.
func TestParseRenderedSecrets(t *testing.T) {
	old := site{ref: "PSK_AB", key: key1, mark: 10}
	for _, s := range []site{old, with(old, func(s *site) { s.key = "" })} {
		side := s.side(t, "x")
		for _, r := range side.Routers {
			var secrets []byte
			for _, f := range r.Files {
				if f.Path == swanctl.SecretsPath {
					if !f.Secret {
						t.Fatalf("%s is not marked secret", f.Path)
					}
					secrets = f.Data
				}
			}
			sf := parseSecrets(secrets)
			e := sf.entries[secretPrefix+"a-b"]
			if e == nil || len(sf.entries) != 1 {
				t.Fatalf("router %s: entries %v, want only ike-a-b", r.Name, sf.entries)
			}
			if e.resolved != (s.key != "") {
				t.Errorf("router %s: resolved = %v", r.Name, e.resolved)
			}
			var want [][]byte
			if s.key != "" {
				want = [][]byte{[]byte(s.key)}
			} else if e.ref != `env("PSK_AB")` {
				t.Errorf("router %s: unresolved reference %q", r.Name, e.ref)
			}
			if d := cmp.Diff(want, sf.keys()); d != "" {
				t.Errorf("router %s: keys (-want +got):\n%s", r.Name, d)
			}
		}
	}
}

func TestParseSecrets(t *testing.T) {
	src := `# header
secrets {
    ike-x {
        id-local = 192.0.2.1
        secret = "plain"
        nested {
            pin = 1234
        }
    }
    # ike-y: pre-shared key file("secrets/y.psk") unresolved
    stray line
}
`
	sf := parseSecrets([]byte(src))
	x := sf.entries["ike-x"]
	if x == nil || !x.resolved {
		t.Fatalf("ike-x: %+v", x)
	}
	wantFields := []kv{{"id-local", "192.0.2.1"}, {"secret", `"plain"`}, {"nested.pin", "1234"}}
	if d := cmp.Diff(wantFields, x.fields, cmp.AllowUnexported(kv{})); d != "" {
		t.Errorf("ike-x fields (-want +got):\n%s", d)
	}
	y := sf.entries["ike-y"]
	if y == nil || y.resolved || y.ref != `file("secrets/y.psk")` {
		t.Errorf("ike-y: %+v", y)
	}
	if d := cmp.Diff([]string{"# header", "secrets {", "stray line", "}"}, sf.other); d != "" {
		t.Errorf("other lines (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]byte{[]byte("plain")}, sf.keys()); d != "" {
		t.Errorf("keys (-want +got):\n%s", d)
	}
}

func TestCompareSecrets(t *testing.T) {
	old := parseSecrets([]byte(`secrets {
    ike-a {
        id-remote = 192.0.2.1
        secret = 0x01
        pin = 1
    }
    ike-b {
        secret = 0x02
    }
    # ike-c: pre-shared key env("C") unresolved
}
`))
	new := parseSecrets([]byte(`secrets {
    ike-a {
        id-remote = 192.0.2.2
        secret = 0x09
        pin = 2
    }
    # ike-c: pre-shared key env("C") unresolved
    ike-d {
        secret = 0x04
    }
}
`))
	got, other := compareSecrets(old, new)
	want := []EntryChange{
		{Name: "ike-a", Status: Changed, Details: []string{"id-remote: 192.0.2.1 → 192.0.2.2", "key changed", "pin changed"}},
		{Name: "ike-b", Status: Removed},
		{Name: "ike-d", Status: Added},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("entries (-want +got):\n%s", d)
	}
	if other {
		t.Errorf("other lines reported changed")
	}

	// A resolved entry whose reference is unknown (a build directory)
	// against an unresolved one cannot be compared, and says so.
	unknown := parseSecrets([]byte("secrets {\n    ike-c {\n        secret = 0x03\n    }\n}\n"))
	got, _ = compareSecrets(unknown, old)
	if len(got) != 3 || got[2].Name != "ike-c" || got[2].Status != Changed {
		t.Errorf("entries: %+v", got)
	}
}
