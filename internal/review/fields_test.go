package review

import (
	"net/netip"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
)

// notCompared are the compile.Tunnel fields vtic diff does not compare, each
// with the reason. TestTunnelFieldsCoverCompile fails for a field that is
// neither here nor compared, and for a field here that is compared after all.
var notCompared = map[string]string{
	"Name":                "it is the tunnel's key: a renamed tunnel shows as one removed and one added",
	"RemoteIsRouter":      "within a site it follows from the remote's name, which is compared; a peer turned router under the same name shows in the files' diffs",
	"Preset.MTU":          "the preset only defaults the tunnel's MTU, which is compared (mtu)",
	"Preset.MSS":          "the preset only caps the tunnel's MSS, which is compared (mss)",
	"Preset.BGPKeepalive": "it reaches the router only through the BGP session's timers, which are compared (bgp.keepalive)",
	"Preset.BGPHold":      "it reaches the router only through the BGP session's timers, which are compared (bgp.hold)",
	"PSK.Resolved":        "it decides how two keys are compared (pskChange): a key CI cannot read is not a change",
}

const howToCover = `Add it to tunnelFields (or bgpFields) in internal/review/fields.go with the
name vtic diff should print, run VTIC_UPDATE=1 go test ./internal/review/ and
check the golden files; or, if a change to it never matters or always shows
through another field, add it to notCompared in internal/review/fields_test.go
saying why.`

// tunnelLeaves lists the fields of compile.Tunnel as dotted paths, going
// into compile's own structs (Preset, Secret, BGP through its pointer,
// Option through its slice) and stopping at anything else (netip types,
// []byte, plain values).
func tunnelLeaves() []string {
	pkg := reflect.TypeOf(compile.Tunnel{}).PkgPath()
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8 {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft.PkgPath() == pkg {
				walk(ft, prefix+f.Name+".")
				continue
			}
			out = append(out, prefix+f.Name)
		}
	}
	walk(reflect.TypeOf(compile.Tunnel{}), "")
	return out
}

// compared maps every field path fieldChanges compares to the name it
// prints: the tables' keys, "option." for options and "psk" for the key.
func compared() map[string]string {
	m := map[string]string{}
	for _, f := range append(append([]tunnelField(nil), tunnelFields...), bgpFields...) {
		m[f.field] = f.key
	}
	for _, p := range comparedApart {
		switch {
		case strings.HasPrefix(p, "Options."):
			m[p] = "option."
		case strings.HasPrefix(p, "PSK."):
			m[p] = "psk"
		default:
			m[p] = "?"
			for prefix, key := range listFields {
				if strings.HasPrefix(p, prefix) {
					m[p] = key
				}
			}
		}
	}
	return m
}

// TestTunnelFieldsCoverCompile checks vtic diff's list of tunnel fields
// against compile.Tunnel: every field is compared or listed in notCompared
// with a reason, and every path either list names is a field.
func TestTunnelFieldsCoverCompile(t *testing.T) {
	leaves := tunnelLeaves()
	isLeaf := map[string]bool{}
	for _, l := range leaves {
		isLeaf[l] = true
	}
	cmpd := compared()
	for _, l := range leaves {
		_, c := cmpd[l]
		_, n := notCompared[l]
		switch {
		case !c && !n:
			t.Errorf("compile.Tunnel field %s is not compared by vtic diff.\n%s", l, howToCover)
		case c && n:
			t.Errorf("compile.Tunnel field %s is both compared and listed in notCompared; remove it from notCompared.", l)
		}
	}
	var named []string
	for p := range cmpd {
		named = append(named, p)
	}
	for p := range notCompared {
		named = append(named, p)
	}
	sort.Strings(named)
	for _, p := range named {
		if !isLeaf[p] {
			t.Errorf("%s is listed as a field of compile.Tunnel, which has no such field (renamed or removed?); fix internal/review/fields.go or notCompared in fields_test.go. Its fields: %s",
				p, strings.Join(leaves, ", "))
		}
	}
	keys := map[string]bool{}
	for _, f := range append(append([]tunnelField(nil), tunnelFields...), bgpFields...) {
		if keys[f.key] {
			t.Errorf("two entries print %q", f.key)
		}
		keys[f.key] = true
	}
}

// TestTunnelFieldsRead checks that the lists say what fieldChanges does:
// changing one field of a tunnel is reported under the name listed for it,
// and changing a field in notCompared is not reported at all. A tunnel
// whose key is unresolved is tried too, since the key's reference counts
// only then.
func TestTunnelFieldsRead(t *testing.T) {
	cmpd := compared()
	for _, path := range tunnelLeaves() {
		t.Run(path, func(t *testing.T) {
			key, isCompared := cmpd[path]
			reported := false
			for _, resolved := range []bool{true, false} {
				a, b := sampleTunnel(resolved), sampleTunnel(resolved)
				changeField(t, reflect.ValueOf(b).Elem(), path)
				var got []string
				for _, c := range fieldChanges(a, b, newRedactor(nil)) {
					got = append(got, c.Field)
					if !isCompared {
						t.Errorf("a change of %s is reported as %q, yet notCompared lists it (%q); remove it from notCompared",
							path, c.Field, notCompared[path])
					} else if !strings.HasPrefix(c.Field, key) {
						t.Errorf("a change of %s is reported as %q; want %q. Check its entry in internal/review/fields.go", path, c.Field, key)
					}
				}
				reported = reported || len(got) > 0
			}
			if isCompared && !reported {
				t.Errorf("a change of %s is not reported; want a change of %q. Check its entry in internal/review/fields.go", path, key)
			}
		})
	}
}

// sampleTunnel has every field set, a BGP session and one option, so that
// every field can be changed; its key is resolved or not.
func sampleTunnel(resolved bool) *compile.Tunnel {
	return &compile.Tunnel{
		Name: "t", Description: "d", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1360,
		Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("198.51.100.7"),
		Inside: netip.MustParsePrefix("169.254.20.1/30"), RemoteInside: netip.MustParseAddr("169.254.20.2"),
		RemoteName: "far", RemoteIsRouter: true,
		Preset: compile.Preset{Provider: "generic", IKEVersion: 2, IKEProposals: "a", ESPProposals: "b",
			IKELifetime: 1, ESPLifetime: 2, DPDDelay: 3, DPDTimeout: 4, MTU: 1400, MSS: 1360, BGPKeepalive: 10, BGPHold: 30},
		PSK: compile.Secret{Ref: `env("PSK")`, Value: []byte("k3y.value"), Resolved: resolved},
		BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65002, Neighbor: netip.MustParseAddr("169.254.20.2"), Keepalive: 10, Hold: 30,
			Accept:      []compile.PrefixMatch{{Prefix: netip.MustParsePrefix("10.0.0.0/8"), GE: 16, LE: 24}},
			Announce:    []compile.PrefixMatch{{Prefix: netip.MustParsePrefix("10.1.0.0/16"), GE: 20, LE: 24}},
			MaxPrefixes: 100, Preference: "backup", MED: true},
		Options: []compile.Option{{Section: "connection", Key: "dpd_delay", Value: "10s"}},
		Routes:  []compile.StaticRoute{{Dst: netip.MustParsePrefix("10.9.0.0/16"), Metric: 20}},
	}
}

// changeField gives the field at path (as tunnelLeaves names it) another
// value, following pointers and the first element of slices.
func changeField(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	for _, name := range strings.Split(path, ".") {
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8 {
			if v.Kind() == reflect.Pointer {
				v = v.Elem()
			} else {
				v = v.Index(0)
			}
		}
		v = v.FieldByName(name)
	}
	if !v.CanSet() {
		t.Fatalf("cannot set %s: give sampleTunnel a value there", path)
	}
	switch x := v.Interface().(type) {
	case netip.Addr:
		v.Set(reflect.ValueOf(x.Next()))
		return
	case netip.Prefix:
		v.Set(reflect.ValueOf(netip.PrefixFrom(x.Addr().Next(), x.Bits())))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Slice:
		v.SetBytes(append(append([]byte(nil), v.Bytes()...), 'x'))
	default:
		t.Fatalf("cannot change %s (%s): teach changeField about its type", path, v.Type())
	}
}
