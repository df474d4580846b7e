// Package routerlab proves vtic on routers as they really are: a fresh
// Debian install whose daemons run the way Debian runs them, rebooted,
// with FRR in either of its configuration modes, and rolled out to by
// Ansible. It uses the lab of internal/e2e/lab (a Debian kernel under
// qemu, routers as network namespaces) and boots it once for every
// scenario.
//
// # The routers
//
// TestRouterLab writes into the share the configuration files the
// installed packages ship (lab.StockEtc: /etc/frr, /etc/strongswan.conf,
// /etc/strongswan.d, /etc/swanctl, each checked against the digest dpkg
// recorded, taken from the package's .deb when this machine's copy was
// edited). testdata/routerlab.sh makes three routers from them with
// `lab-router add --stock`: gw1 and gw2 as installed (FRR's daemons file
// with bgpd=no, vtysh.conf with service integrated-vtysh-config), gw3 in
// FRR's per-daemon mode (no frr.conf, vtysh.conf without that line). Their
// services start through the router's systemctl (lab-systemctl, which the
// guest binds over /usr/bin/systemctl): FRR by /usr/lib/frr/frrinit.sh,
// charon as charon-systemd followed by swanctl --load-all --noprompt, as
// Debian 12's unit files do. Nothing is prepared for vtic; every command
// on a router is plain `vtic apply --host NAME SITE`, with vtic's default
// flags.
//
// # The scenarios, in one boot
//
//   - fresh: site-v1 (gw1-gw2, gw1-gw3) applied to each router in turn.
//     Each apply succeeds and leaves bgpd enabled in /etc/frr/daemons and
//     running under watchfrr; on both ends of each tunnel the IKE and CHILD
//     SAs are up, the VTI is as the site says, a ping crosses it, the BGP
//     session is Established and the far LAN is routed through the VTI by
//     BGP. gw1-gw2 proves FRR's integrated mode, gw1-gw3 the per-daemon
//     mode on gw3.
//   - reboot: gw2 and gw3 lose everything a reboot loses (their network
//     namespace with every link, route, XFRM state, iptables rule and
//     sysctl, and their /run), get their links back, start their services
//     as boot does, and run the commands of
//     examples/systemd/vtic-boot.service (bootScript), nothing else. FRR
//     must have loaded vtic's BGP configuration by itself at start, and
//     afterwards every check of fresh passes again, with the same iptables
//     rules, sysctls and files as before the reboot.
//   - concurrent: site-v2 adds gw2-gw3 and is applied to gw2 and gw3 at
//     the same moment: every tunnel then has exactly one IKE SA and one
//     CHILD SA on each router, and gw2-gw3 carries traffic and BGP.
//   - reject: site-bad adds, on gw1 and gw3, a tunnel whose BGP neighbor
//     is the router's own LAN address, which bgpd refuses and vtic validate
//     cannot know. Both applies fail without "rollback incomplete", and
//     nothing changed: files, devices, routes, iptables, sysctls, FRR's
//     running configuration, the SAs and the BGP sessions, and the routes
//     are still learnt.
//   - ansible: examples/ansible's playbook and ansible.cfg, run by Debian's
//     ansible-playbook on this machine while the VM runs (startRollout), with
//     an inventory of the lab's routers in inventory.ini's order. It reaches
//     each router's sshd (Debian's, started in the router's namespaces by
//     lab-sshd with keys made for the run) over ssh through qemu's
//     restricted user-mode network: a port of 127.0.0.1 here, port 220N of
//     the guest, DNAT in "inet" to gwN's port 22. ansible-core has no
//     connection plugin that enters a network namespace, and ssh is how the
//     playbook reaches real routers; the controller runs outside the guest
//     because there each of its Python processes takes tens of seconds.
//     site-v3 lowers every MTU and gives gw2 a gateway its kernel refuses:
//     gw1, the canary, applies it; gw2's apply fails and rolls back, which
//     stops the play; gw3 keeps its files and devices and never gets
//     an upload.
//
// Run it as root:
//
//	go test -count=1 -p 1 -run TestRouterLab -v -timeout 40m ./internal/e2e/routerlab/
//
// It skips when the lab is unavailable (fails with CI=true) and with
// -short. VTIC_LAB_SHARE=DIR keeps the share, so the evidence and the
// daemons' logs in DIR/out; adding VTIC_LAB_REJUDGE=1 judges that
// evidence again without booting.
package routerlab
