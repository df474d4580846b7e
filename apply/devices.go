package apply

import (
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/vtiinit"
)

// desiredDevices reads the VTIs and peer routes a router wants from its
// vti.init files. They are the rendered form of the tunnel plan, so the
// same code serves a site directory and a build output.
func desiredDevices(files []targets.File) (netdev.Desired, error) {
	var d netdev.Desired
	seen := map[netip.Prefix]bool{}
	for _, f := range files {
		if !isVTIInit(f.Path) {
			continue
		}
		vars, err := parseVTIInit(f.Path, f.Data)
		if err != nil {
			return d, err
		}
		v, gw, err := vtiOf(f.Path, vars)
		if err != nil {
			return d, err
		}
		d.VTIs = append(d.VTIs, v)
		// Like compile's host routes: one /32 per peer, through the
		// gateway, for every tunnel enabled or not.
		if gw.IsValid() && gw.Is4() && !seen[netip.PrefixFrom(v.Remote, 32)] {
			dst := netip.PrefixFrom(v.Remote, 32)
			seen[dst] = true
			d.Routes = append(d.Routes, netdev.Route{Dst: dst, Gateway: gw})
		}
	}
	slices.SortFunc(d.VTIs, func(a, b netdev.VTI) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(d.Routes, func(a, b netdev.Route) int { return a.Dst.Addr().Compare(b.Dst.Addr()) })
	return d, nil
}

func isVTIInit(p string) bool {
	dir, file := path.Split(p)
	return file == "vti.init" && path.Dir(strings.TrimSuffix(dir, "/")) == vtiinit.Dir
}

// vtiOf builds the device of one vti.init and returns its gateway.
func vtiOf(file string, vars map[string]string) (netdev.VTI, netip.Addr, error) {
	var v netdev.VTI
	get := func(k string) (string, error) {
		s, ok := vars[k]
		if !ok {
			return "", fmt.Errorf("%s: %s is not set", file, k)
		}
		return s, nil
	}
	var errs []string
	must := func(k string, parse func(string) error) {
		s, err := get(k)
		if err == nil {
			err = parse(s)
			if err != nil {
				err = fmt.Errorf("%s: %s=%q: %w", file, k, s, err)
			}
		}
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	must("VTI_INTERFACE", func(s string) error { v.Name = s; return nil })
	must("VTI_ENABLED", func(s string) error {
		switch s {
		case "yes":
			v.Up = true
		case "no":
		default:
			return fmt.Errorf("want yes or no")
		}
		return nil
	})
	must("VTI_MARK", func(s string) error {
		n, err := strconv.ParseUint(s, 10, 32)
		v.Key = uint32(n)
		return err
	})
	must("VTI_MTU", func(s string) (err error) { v.MTU, err = strconv.Atoi(s); return })
	must("VTI_OIP_LOCAL", func(s string) (err error) { v.Local, err = netip.ParseAddr(s); return })
	must("VTI_OIP_REMOTE", func(s string) (err error) { v.Remote, err = netip.ParseAddr(s); return })
	must("VTI_LOCALADDR", func(s string) (err error) { v.Address, err = netip.ParsePrefix(s); return })
	var gw netip.Addr
	must("LOCAL_GW", func(s string) (err error) {
		if s != "" {
			gw, err = netip.ParseAddr(s)
		}
		return
	})
	if len(errs) > 0 {
		return v, gw, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	if !v.Local.Is4() || !v.Remote.Is4() {
		return v, gw, fmt.Errorf("%s: tunnel %s has IPv6 outer addresses; apply only manages IPv4 VTIs", file, vars["VTI_NAME"])
	}
	return v, gw, nil
}

// parseVTIInit reads the assignments of a vti.init. The renderer quotes
// every value with single quotes (vtiinit.Quote), so that is all this
// accepts: NAME='...' with '\” for a quote inside.
func parseVTIInit(file string, data []byte) (map[string]string, error) {
	vars := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, raw, ok := strings.Cut(line, "=")
		if !ok || !isShellName(name) {
			return nil, fmt.Errorf("%s:%d: not an assignment: %q", file, i+1, line)
		}
		val, err := unquoteShell(raw)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", file, i+1, name, err)
		}
		vars[name] = val
	}
	return vars, nil
}

func isShellName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if c != '_' && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// unquoteShell reads a word made of single-quoted strings and \' escapes.
func unquoteShell(s string) (string, error) {
	var b strings.Builder
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, `\'`):
			b.WriteByte('\'')
			s = s[2:]
		case s[0] == '\'':
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				return "", fmt.Errorf("unterminated quote")
			}
			b.WriteString(s[1 : 1+end])
			s = s[2+end:]
		default:
			return "", fmt.Errorf("unquoted text %q", s)
		}
	}
	return b.String(), nil
}
