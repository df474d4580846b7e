// Package bird renders BIRD 2 configuration (etc/bird/bird.conf, the file
// Debian's bird2 reads) for a router whose BGP daemon is BIRD (routing =
// "bird"), with the same policy vtic gives FRR (targets/frr):
//
//   - one BGP protocol per tunnel whose ends both have an AS number, with
//     the preset's keepalive and hold times, disabled when the tunnel is;
//   - import: everything the far end sends (FRR's VTIC-IN);
//   - export: only the router's announce prefixes, exactly (FRR's
//     VTIC-OUT-IPV4/IPV6 prefix lists), and only while the router has a
//     route to the prefix, as FRR's `network` with its import check: the
//     kernel protocol learns the kernel's routes and the direct protocol
//     the interfaces' networks, so a prefix is announced when either has it;
//   - a static protocol with the host routes to the peers' outer addresses
//     through the gateway (FRR's staticd);
//   - kernel protocols exporting the BGP and static routes into the kernel.
//
// BIRD's protocol names are symbols (letters, digits, underscores), so a
// tunnel's BGP protocol is named after its interface, which is unique on the
// router; its tunnel name is in a comment.
package bird
