// Package lab boots a throwaway VM with Debian's kernel under qemu and runs a
// shell script in it, so that vtic's output can be proven with real traffic
// on a kernel that has ip_vti (this machine's own kernel has no VTI, and its
// CPU offers no virtualization, so qemu runs with TCG).
//
// # The VM
//
// Run boots qemu-system-x86_64 (-accel tcg -cpu max -m 1536 -smp 2) with the
// newest kernel that has both /boot/vmlinuz-<v> and /lib/modules/<v>
// (FindKernel), and an initramfs that BuildInitramfs makes from this machine's
// files at test time: the static /bin/busybox, the 9p, virtio and overlay
// modules with their dependencies (from `modprobe -S <v> --show-depends`,
// decompressed if need be), and the init script in initramfs/init. No
// network access is needed.
//
// init mounts the host's / read-only over 9p (mount_tag host) as the lower
// layer of an overlay whose upper layer is a tmpfs, so the whole system is
// writable in the guest and every write vanishes at power-off. It mounts the
// share (mount_tag share, read-write) at /share, and proc, sys, devtmpfs,
// devpts and tmpfs on /tmp and /run. It points /proc/sys/kernel/modprobe at
// lab-modprobe, which chroots into the new root to run its /sbin/modprobe;
// the kernel would otherwise look for modprobe in the initramfs, and the ESP
// crypto modules would never load. Then it chroots, loads veth and ip_vti,
// runs /share/harness/entry.sh, writes the exit code and powers off. The
// console (ttyS0) is captured to a log; its "lab-init:" lines mark boot,
// script start and script end.
//
// # The share
//
// The host directory Config.ShareDir (or a temporary one) is /share in the
// guest:
//
//	/share/bin/lab-*           guest helpers, from WriteHelpers (PATH starts here)
//	/share/guest.sh            Config.Script, when given as text
//	/share/harness/entry.sh    sets PATH, HOME and cwd=/share, execs the script
//	/share/harness/output      the script's stdout and stderr (Result.Output)
//	/share/harness/exit-code   its exit status (Result.ExitCode)
//
// Anything else a script writes under /share stays on the host for the
// caller to judge; ChildSAInstalled, PingReplied, BGPEstablished and RouteVia
// judge the usual evidence.
//
// # Routers in the guest
//
// A router is a network namespace plus a config root /lab/<router>. The
// helpers are POSIX shell, embedded here and written into the share so that a
// future `vtic lab` command ships the same ones:
//
//	lab-router add --stock DIR NAME...     a router as Debian installs it: namespace, lo up,
//	                                       /lab/NAME/etc from DIR (StockEtc, WriteStockShare)
//	lab-router del NAME...                 stop its services, delete it
//	lab-router halt|power-on NAME...       a reboot: the namespace and /run go, files stay
//	lab-link NS1 IF1 ADDR1 NS2 IF2 ADDR2   veth pair between two namespaces
//	lab-exec NAME CMD...                   run CMD on router NAME (see below)
//	lab-boot NAME...                       the routers' services, as their boot starts them
//	lab-systemctl                          a router's systemctl (lab-exec binds it)
//	lab-sshd start|stop NAME...            Debian's sshd on the router, a key made per run
//
// # Stock routers
//
// Every lab router runs the way a fresh install runs it, because a lab
// that prepares its daemons specially proves nothing about a real router.
// StockEtc writes the configuration files the installed packages ship
// under /etc/frr, /etc/strongswan.conf, /etc/strongswan.d and /etc/swanctl
// (their conffiles, checked against the MD5 dpkg recorded, taken from the
// package's .deb when this machine's copy was edited); WriteStockShare
// puts them in the share as /share/stock. `lab-router add --stock DIR`
// makes the router's /etc from them, adding nothing for vtic (only a
// charon file log in its /run, for people reading a failed run). Its
// services run as Debian 12's units run them, through lab-systemctl,
// which lab-exec binds over /usr/bin/systemctl: frr.service is
// /usr/lib/frr/frrinit.sh (watchfrr, the daemons /etc/frr/daemons
// enables, then vtysh -b in integrated mode), strongswan.service is
// charon-systemd followed by `swanctl --load-all --noprompt`. lab-boot
// starts both; a scenario that needs only charon may start that unit
// alone (`lab-exec NAME systemctl start strongswan`). So `systemctl
// restart strongswan` from vtic apply, or from a person on the router,
// restarts that router's charon, and vtic apply runs with its default
// flags. A scenario that configures a router by hand (TestLabTwoRoutersVTI)
// edits its files as a person would (bgpd=yes in /etc/frr/daemons,
// frr.conf, a swanctl file, a strongswan.d snippet) before lab-boot.
// Another mode of FRR (one file per daemon) is set up the same way: by
// editing the router's files as FRR documents it, then lab-boot.
//
// A guest script sources /share/bin/lab-lib.sh for the functions every
// scenario uses: mark MILESTONE prints "LAB-TIME <milestone> <seconds>"
// (seconds since the script sourced the file; labtestutil.Times collects
// these lines), and poll SECONDS COMMAND... retries COMMAND every half
// second until it succeeds or SECONDS have passed.
//
// lab-exec runs a command in the router's network namespace and in a private
// mount namespace (from ip netns exec) where the router's files are bound over
// the standard paths. Daemons are started through it, so each has its own /run
// (no clashing pid files or sockets) and its own /etc:
//
//	inside lab-exec NAME     outside (the guest's root namespace)
//	/run                     /lab/NAME/run
//	/run/charon.vici         /lab/NAME/run/charon.vici   (swanctl --uri unix://...)
//	/run/charon.log          /lab/NAME/run/charon.log    (lab-router's file log)
//	/run/frr/                /lab/NAME/run/frr/          (vtysh --vty_socket ...)
//	/etc/strongswan.conf     /lab/NAME/etc/strongswan.conf
//	/etc/strongswan.d/       /lab/NAME/etc/strongswan.d/
//	/etc/swanctl/            /lab/NAME/etc/swanctl/
//	/etc/frr/                /lab/NAME/etc/frr/
//	/etc/vtic/               /lab/NAME/etc/vtic/
//	/var/lib/vtic/           /lab/NAME/var/lib/vtic/
//	/var/tmp/                /lab/NAME/var/tmp/          (FRR's /var/tmp/frr)
//	/usr/bin/systemctl       /share/bin/lab-systemctl
//
// So a tool run with `lab-exec NAME` (vtic apply, swanctl, plain vtysh) needs
// no flags to reach router NAME's charon and FRR, exactly as on a real router.
// charon-systemd reads the stock strongswan.conf (VICI socket
// /run/charon.vici, bypass-lan loaded, routes installed) until vtic's
// strongswan.d snippet changes that, as on a real router. FRR runs as its
// init runs it: watchfrr and the daemons as frr, logging to syslog (a
// script that wants FRR's log runs busybox syslogd); /run/frr inside the
// router and /var/tmp/frr belong to frr.
//
// # Timing
//
// Everything in the guest is emulated: an exec of a dynamically linked program
// costs 0.1-0.5 s, which is why the helpers avoid needless ones (busybox for
// bind mounts, builtins for clocks) and start several routers at once. On this
// two-core machine, shared with other work (load average 4-14), boot to the
// guest script measured 12-57 s, about 9 s of it the xz-compressed kernel
// unpacking itself (up to 1m49s at a load average of 30), and
// TestLabTwoRoutersVTI 2m47s-3m11s in all with the lab's own daemons. With
// stock routers, lab-boot (FRR's init with watchfrr, charon-systemd) takes
// 1-4 minutes for three routers, and the whole package (this test and the
// three plumbing boots) took 5m42s at a load average of about 25. Give
// `go test` a -timeout above its default 10m when running the whole package.
//
// # Tests
//
// Tests that boot the VM skip unless Available reports the lab usable (root,
// qemu, a kernel, busybox), except with CI=true, where they fail instead.
// `go test -short` skips them. `go test ./internal/e2e/lab/ -run TestLab` runs only
// the two-router proof.
package lab
