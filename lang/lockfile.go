package lang

import (
	"bytes"
	"fmt"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// LockFileName is the lock file in a site directory: what the pools of the
// site's mesh blocks handed out, pinned so that a later change to the site
// never renumbers a tunnel that exists. `vtic lock` writes it; it is
// committed with the site. It is not a site file: the site's blocks are
// read from every other *.hcl file.
const LockFileName = "vtic.lock.hcl"

// isLockFile reports whether a site file name is the lock file.
func isLockFile(name string) bool { return filepath.Base(name) == LockFileName }

// Lock is a lock file: per mesh, each tunnel's allocation.
type Lock struct {
	Meshes []*LockMesh
}

// LockMesh is the allocations of one mesh block.
type LockMesh struct {
	Name      string
	NameRange hcl.Range
	Tunnels   []*LockTunnel
}

// LockTunnel is one tunnel's allocation: its name, mark, and each end's
// interface and inside address, first end first.
type LockTunnel struct {
	Name      string
	NameRange hcl.Range
	Mark      uint32
	Ends      [2]LockEnd
}

// LockEnd is one router end of a locked tunnel.
type LockEnd struct {
	Router    string
	Interface string
	Inside    netip.Prefix
}

// pair is the unordered key of a tunnel between two routers.
func (t *LockTunnel) pair() string { return pairKey(t.Ends[0].Router, t.Ends[1].Router) }

func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "\x00" + b
}

var (
	lockSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "mesh", LabelNames: []string{"name"}}}}
	lockMesh   = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "tunnel", LabelNames: []string{"name"}}}}
	lockTunnel = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "mark", Required: true}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "end", LabelNames: []string{"router"}}},
	}
	lockEnd = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "interface", Required: true}, {Name: "inside", Required: true}}}
)

// decodeLock reads a parsed lock file. An entry with an error is left out,
// so `vtic lock` would allocate it again; the error stops that until the
// file is fixed or removed.
func (d *decoder) decodeLock(f *hcl.File) (*Lock, hcl.Diagnostics) {
	lock := &Lock{}
	content, diags := f.Body.Content(lockSchema)
	for _, mb := range content.Blocks {
		m := &LockMesh{Name: mb.Labels[0], NameRange: mb.LabelRanges[0]}
		mc, ds := mb.Body.Content(lockMesh)
		diags = append(diags, ds...)
		for _, tb := range mc.Blocks {
			t, ds := d.decodeLockTunnel(tb)
			diags = append(diags, ds...)
			if t != nil {
				m.Tunnels = append(m.Tunnels, t)
			}
		}
		lock.Meshes = append(lock.Meshes, m)
	}
	return lock, diags
}

func (d *decoder) decodeLockTunnel(b *hcl.Block) (*LockTunnel, hcl.Diagnostics) {
	t := &LockTunnel{Name: b.Labels[0], NameRange: b.LabelRanges[0]}
	content, diags := b.Body.Content(lockTunnel)
	if a, ok := content.Attributes["mark"]; ok {
		n, ds := d.num(a, maxUint32, "from 1 to 4294967295")
		diags = append(diags, ds...)
		t.Mark = uint32(n.Value)
	}
	if len(content.Blocks) != 2 {
		diags = append(diags, errorAt(b.DefRange, "Invalid lock file entry",
			"The locked tunnel %q has %d end blocks; it needs two. Fix the entry or remove it and run vtic lock.", t.Name, len(content.Blocks)))
	}
	for i, eb := range content.Blocks {
		ec, ds := eb.Body.Content(lockEnd)
		diags = append(diags, ds...)
		if i > 1 {
			continue
		}
		e := LockEnd{Router: eb.Labels[0]}
		if a, ok := ec.Attributes["interface"]; ok {
			s, ds := d.str(a)
			diags = append(diags, ds...)
			e.Interface = s.Value
		}
		if a, ok := ec.Attributes["inside"]; ok {
			p, ds := d.prefix(a)
			diags = append(diags, ds...)
			e.Inside = p.Prefix
		}
		t.Ends[i] = e
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return t, diags
}

// lockHeader opens every lock file vtic writes.
const lockHeader = `# What the pools of this site's mesh blocks handed out: each tunnel's mark,
# interfaces and inside addresses. Written by "vtic lock"; commit it with the
# site. vtic validate and vtic build fail when it does not match the mesh
# blocks. Editing an entry renumbers that tunnel on its routers.
`

// Render writes the lock file in its one canonical form: meshes and their
// tunnels sorted by name, so that reordering routers or blocks in the site
// does not change a byte of it.
func (l *Lock) Render() []byte {
	var b bytes.Buffer
	b.WriteString(lockHeader)
	meshes := slices.Clone(l.Meshes)
	slices.SortFunc(meshes, func(a, b *LockMesh) int { return strings.Compare(a.Name, b.Name) })
	for _, m := range meshes {
		tunnels := slices.Clone(m.Tunnels)
		slices.SortFunc(tunnels, func(a, b *LockTunnel) int { return strings.Compare(a.Name, b.Name) })
		fmt.Fprintf(&b, "\nmesh %s {\n", hclQuote(m.Name))
		for i, t := range tunnels {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "  tunnel %s {\n    mark = %d\n", hclQuote(t.Name), t.Mark)
			for _, e := range t.Ends {
				fmt.Fprintf(&b, "    end %s {\n      interface = %s\n      inside = %s\n    }\n",
					hclQuote(e.Router), hclQuote(e.Interface), hclQuote(e.Inside.String()))
			}
			b.WriteString("  }\n")
		}
		b.WriteString("}\n")
	}
	return hclwrite.Format(b.Bytes())
}

// hclQuote quotes a name for an HCL string. Names that reach the lock file
// passed the name rules (letters, digits, '-', '_', '.'), so only quotes
// and backslashes could need escaping, and HCL escapes those as Go does.
func hclQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "${", "$${", "%{", "%%{", "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
