package compile

import "github.com/vtic/vtic/lang"

// VRRP priorities and the backup's AS-path prepend. The primary's priority
// is below 255 (the address owner's), so keepalived's track script can
// lower it; 3 prepends outweigh any path a far end would otherwise prefer
// by length alone.
const (
	PrimaryPriority = 150
	BackupPriority  = 100
	BackupPrepend   = 3
)

// compilePair is the router's part in its pair, or nil.
func compilePair(site *lang.Site, router string) *Pair {
	p := site.PairOf(router)
	if p == nil {
		return nil
	}
	out := &Pair{
		Name:      p.Name,
		Interface: p.Interface.Value,
		Address:   p.Address.Prefix,
		VRID:      int(p.VRID.Value),
		Priority:  PrimaryPriority,
		Partner:   p.Backup.Value,
	}
	if p.Backup.Value == router {
		out.Backup, out.Priority, out.Prepend, out.Partner = true, BackupPriority, BackupPrepend, p.Primary.Value
	}
	return out
}
