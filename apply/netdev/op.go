package netdev

import (
	"fmt"
	"net/netip"
)

// OpKind says what an Op does.
type OpKind int

const (
	OpCreate       OpKind = iota + 1 // create VTI (down)
	OpModify                         // change a VTI's local/remote/key in place
	OpDelete                         // delete Dev
	OpSetMTU                         // set Dev mtu MTU
	OpSetUp                          // set Dev up
	OpSetDown                        // set Dev down
	OpReplaceAddr                    // add Addr to Dev (replace if present)
	OpDelAddr                        // remove Addr from Dev
	OpSysctl                         // write Value to Key
	OpReplaceRoute                   // add or replace Route
	OpDelRoute                       // delete Route
)

// Op is one write to the kernel. Its String form is stable: --dry-run prints
// it and the Fake records exactly the same line when it performs the write.
type Op struct {
	Kind OpKind
	// Dev is the device the op is about; for a per-device sysctl, the
	// device the key belongs to; empty for routes and global sysctls.
	Dev   string
	VTI   VTI // OpCreate, OpModify
	MTU   int
	Addr  netip.Prefix
	Route Route
	Key   string // OpSysctl
	Value string // OpSysctl
}

func (o Op) String() string {
	switch o.Kind {
	case OpCreate:
		s := fmt.Sprintf("create %s local %s remote %s key %d", o.VTI.Name, o.VTI.Local, o.VTI.Remote, o.VTI.Key)
		if o.VTI.MTU > 0 {
			s += fmt.Sprintf(" mtu %d", o.VTI.MTU)
		}
		return s
	case OpModify:
		return fmt.Sprintf("modify %s local %s remote %s key %d", o.VTI.Name, o.VTI.Local, o.VTI.Remote, o.VTI.Key)
	case OpDelete:
		return "delete " + o.Dev
	case OpSetMTU:
		return fmt.Sprintf("set %s mtu %d", o.Dev, o.MTU)
	case OpSetUp:
		return "set " + o.Dev + " up"
	case OpSetDown:
		return "set " + o.Dev + " down"
	case OpReplaceAddr:
		return fmt.Sprintf("addr replace %s %s", o.Dev, o.Addr)
	case OpDelAddr:
		return fmt.Sprintf("addr del %s %s", o.Dev, o.Addr)
	case OpSysctl:
		return fmt.Sprintf("sysctl %s=%s", sysctlName(o.Key), o.Value)
	case OpReplaceRoute:
		return "route replace " + routeString(o.Route)
	case OpDelRoute:
		return "route del " + routeString(o.Route)
	}
	return fmt.Sprintf("unknown op %d", int(o.Kind))
}

func routeString(r Route) string {
	s := r.Dst.String()
	if r.Gateway.IsValid() {
		s += " via " + r.Gateway.String()
	}
	if r.Dev != "" {
		s += " dev " + r.Dev
	}
	return s
}

// subject groups the ops that depend on each other: once one fails, Apply
// skips the rest of its group.
func (o Op) subject() string {
	switch {
	case o.Dev != "":
		return "dev " + o.Dev
	case o.Kind == OpCreate || o.Kind == OpModify:
		return "dev " + o.VTI.Name
	case o.Kind == OpReplaceRoute || o.Kind == OpDelRoute:
		return "route " + o.Route.Dst.String()
	}
	return o.String()
}

func (o Op) apply(k Kernel) error {
	switch o.Kind {
	case OpCreate:
		return k.AddVTI(o.VTI)
	case OpModify:
		return k.ModifyVTI(o.VTI)
	case OpDelete:
		return k.DeleteLink(o.Dev)
	case OpSetMTU:
		return k.SetMTU(o.Dev, o.MTU)
	case OpSetUp:
		return k.SetUp(o.Dev, true)
	case OpSetDown:
		return k.SetUp(o.Dev, false)
	case OpReplaceAddr:
		return k.ReplaceAddr(o.Dev, o.Addr)
	case OpDelAddr:
		return k.DelAddr(o.Dev, o.Addr)
	case OpSysctl:
		return k.SetSysctl(o.Key, o.Value)
	case OpReplaceRoute:
		return k.ReplaceRoute(o.Route)
	case OpDelRoute:
		return k.DelRoute(o.Route)
	}
	return fmt.Errorf("%s: unknown op kind", o)
}

// Constructors, shared by the planner and by the Kernel implementations
// (which name their errors after the op that failed).

func createOp(v VTI) Op { return Op{Kind: OpCreate, VTI: v} }
func modifyOp(v VTI) Op {
	v.MTU = 0 // not part of a modify
	return Op{Kind: OpModify, VTI: v}
}
func deleteOp(dev string) Op       { return Op{Kind: OpDelete, Dev: dev} }
func mtuOp(dev string, mtu int) Op { return Op{Kind: OpSetMTU, Dev: dev, MTU: mtu} }
func addrOp(dev string, p netip.Prefix) Op {
	return Op{Kind: OpReplaceAddr, Dev: dev, Addr: p}
}
func delAddrOp(dev string, p netip.Prefix) Op {
	return Op{Kind: OpDelAddr, Dev: dev, Addr: p}
}
func routeOp(r Route) Op    { return Op{Kind: OpReplaceRoute, Route: r} }
func delRouteOp(r Route) Op { return Op{Kind: OpDelRoute, Route: r} }
func sysctlOp(key, value string) Op {
	return Op{Kind: OpSysctl, Dev: sysctlDev(key), Key: key, Value: value}
}
func upOp(dev string, up bool) Op {
	if up {
		return Op{Kind: OpSetUp, Dev: dev}
	}
	return Op{Kind: OpSetDown, Dev: dev}
}

// opError names the failed write by its op line.
func opError(o Op, err error) error {
	return fmt.Errorf("%s: %w", o, err)
}
