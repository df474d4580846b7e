package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vtic/vtic/internal/health"
)

func init() {
	register(command{name: "status", summary: "show every tunnel's SAs, device and BGP state on this router", run: runStatus, needsLinux: whyStatus})
}

func runStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "status", "--host NAME [--root /] [--json]")
	rf := addRouterFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *rf.host == "" {
		return usagef("missing --host NAME")
	}
	report, _, err := rf.router().Observe(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	writeStatus(e.stdout, report)
	// The certificates come from the installed plan that Observe has
	// just read; an error here would have stopped it.
	certs, err := rf.router().Certificates(time.Now())
	if err != nil {
		return err
	}
	writeCerts(e.stdout, certs)
	return nil
}

// writeCerts lists the expiry of the router's certificates, warning of
// those that expire within 30 days.
func writeCerts(w io.Writer, certs []health.CertStatus) {
	for _, c := range certs {
		line := fmt.Sprintf("%s %s: expires %s (in %d days)", c.Name, escapeText(c.Subject, false), c.NotAfter.Format(time.RFC3339), c.DaysLeft)
		if c.NotAfter.Before(time.Now()) {
			line = fmt.Sprintf("%s %s: EXPIRED on %s", c.Name, escapeText(c.Subject, false), c.NotAfter.Format(time.RFC3339))
		}
		if c.Expiring {
			line = "WARNING: " + line + "; issue a new one"
		}
		fmt.Fprintln(w, line)
	}
}

func writeStatus(w io.Writer, rows []health.TunnelStatus) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TUNNEL\tSTATE\tDEVICE\tRX/TX BYTES\tRX/TX PACKETS\tIKE SA\tCHILD SA\tBGP\tSITE")
	for _, r := range rows {
		o := r.Observation
		dev := "missing"
		if o.Device.Exists {
			up := "down"
			if o.Device.Up {
				up = "up"
			}
			dev = fmt.Sprintf("%s %s mtu %d", o.Interface, up, o.Device.MTU)
		}
		bgp := "-"
		if o.BGP != nil {
			bgp = orDash(o.BGP.State)
			if o.BGP.State == "Established" {
				bgp += fmt.Sprintf(" %d pfx", o.BGP.PrefixesReceived)
			}
		}
		site := "matches"
		switch {
		case !o.Device.Exists:
			site = "differs: device missing"
		case !r.MatchesSite:
			site = "differs: " + strings.Join(o.Device.Drift, ", ")
		}
		ike, child := saText(o.IKE), saText(o.Child)
		if !o.CharonUp {
			ike, child = "charon down", "-"
		}
		d := o.Device
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s / %s\t%d / %d\t%s\t%s\t%s\t%s\n", r.Tunnel, r.Verdict, dev,
			bytesText(d.RxBytes), bytesText(d.TxBytes), d.RxPackets, d.TxPackets, ike, child, bgp, site)
	}
	tw.Flush()
	for _, r := range rows {
		for _, why := range r.Reasons {
			fmt.Fprintf(w, "%s: %s\n", r.Tunnel, why)
		}
	}
}

func saText(sa health.SA) string {
	if sa.State == "" {
		return "none"
	}
	s := fmt.Sprintf("%s %s", sa.State, sa.Age.Truncate(time.Second))
	if sa.Count > 1 {
		s += fmt.Sprintf(" (%d SAs)", sa.Count)
	}
	return s
}

func bytesText(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func orDash(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
