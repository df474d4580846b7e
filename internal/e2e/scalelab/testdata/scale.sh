# Guest script of TestScaleLab (internal/e2e/scalelab): N VTIs made the seed's
# way and by vtic apply, each in its own network namespace of this VM, then
# a re-apply with nothing to change. The test writes into /share:
#
#   scale.env        N, LOCAL (the router's outside address) and MTU
#   tunnels.txt      one "vtiN remote inside/30 mark" line per tunnel
#   vtic             vtic, built with CGO_ENABLED=0
#   scalelab.test    the test binary: with VTIC_SCALELAB_DRIVER set, it is
#                    `vtic apply --from` with every call to the kernel and
#                    the daemons counted and timed (driver_test.go)
#   out0/r1, out/r1  vtic build of the router without tunnels (the warm-up
#                    apply) and with its N tunnels
#   site             the site with N tunnels
#
# They are copied to /tmp/scale first: the share is 9p without a cache,
# where every read and write is a round trip to the host.
#
# Namespaces: "seed" (the shell loop), "cli" (vtic apply, the figure
# compared) and "drv" (the driver, for the per-part times). cli and drv are
# stock lab routers (lab-router add --stock: /etc/frr, strongswan.conf,
# strongswan.d and swanctl as their packages ship them) with charon started
# as strongswan.service starts it (charon-systemd, then swanctl --load-all,
# through the router's systemctl), and vtic runs with its default flags:
# its first apply restarts charon with systemctl restart strongswan. FRR is
# not started: the router has no AS number and no gateway, so vtic renders
# no FRR file and never asks FRR anything, and a zebra would only add its
# handling of the N new links to one side of the comparison. The driver
# gets --root /lab/NAME, the same files as the router's /etc, so that the
# files it stamps before and after are the router's and not the whole
# guest's /etc.
#
# Output: "SCALE-MARK NAME UPTIME" clock readings (/proc/uptime, read with a
# shell builtin so that reading the clock costs no exec), the driver's
# "SCALE-DRIVER" lines, "SCALE-FAIL why" on failure; the evidence goes to
# /tmp/scale/res, copied to /share/res on exit.
set -u
. /share/scale.env
mark() { read -r u _ </proc/uptime; echo "SCALE-MARK $1 $u"; }
fail() { echo "SCALE-FAIL $*"; exit 1; }
res=/tmp/scale/res
mkdir -p $res
trap 'cp -r $res /share/' EXIT
echo "SCALE-INFO ip $(command -v ip) sysctl $(command -v sysctl) sh $(readlink -f /bin/sh)"

mark setup
work=/tmp/scale
mkdir -p $work && cp -r /share/vtic /share/scalelab.test /share/tunnels.txt /share/out0 /share/out /share/site /share/stock $work/ || fail "copy inputs"
lab-router add --stock $work/stock cli drv || fail "lab-router add"
ip netns add seed && ip -n seed link set lo up || fail "netns seed"
lab-exec cli systemctl start strongswan &
lab-exec drv systemctl start strongswan || fail "start strongswan on drv"
wait $! || fail "start strongswan on cli"
mark daemons

vtic_apply() {
	r=$1
	shift
	lab-exec "$r" $work/vtic apply --host r1 "$@"
}
driver() {
	r=$1 label=$2
	shift 2
	lab-exec "$r" env VTIC_SCALELAB_DRIVER=1 $work/scalelab.test "$label" --host r1 --root "/lab/$r" "$@"
}

# Warm-up: the router without tunnels, so that the measured applies find
# vtic's strongSwan settings installed (their first install restarts
# charon) and its iptables chains in place, as on a router already in use.
mark warmup
vtic_apply cli --from $work/out0/r1 >$res/cli.warmup.txt 2>&1 || fail "warm-up apply on cli: $(tail -5 $res/cli.warmup.txt)"
driver drv warmup --from $work/out0/r1 2>$res/drv.warmup.txt || fail "warm-up driver on drv: $(tail -5 $res/drv.warmup.txt)"

# (a) The seed's way: four processes per tunnel.
mark seed-start
ip netns exec seed /bin/sh -c '
while read -r dev remote addr key; do
	ip tunnel add "$dev" mode vti local "$1" remote "$remote" ikey "$key" okey "$key" || exit 1
	ip addr add "$addr" dev "$dev" || exit 1
	ip link set "$dev" mtu "$2" up || exit 1
	sysctl -qw "net.ipv4.conf.$dev.disable_policy=1" || exit 1
done <"$3"' seed "$LOCAL" "$MTU" "$work/tunnels.txt" || fail "seed loop"
mark seed-end

# (b) vtic apply, the whole command: files, devices, iptables, charon.
mark cli-start
vtic_apply cli --from $work/out/r1 >$res/cli.apply.txt 2>&1 || fail "apply on cli: $(tail -5 $res/cli.apply.txt)"
mark cli-end

# (b') the same apply through the driver, for its per-part times.
mark drv-start
driver drv create --from $work/out/r1 --cpuprofile $res/drv.create.prof 2>$res/drv.create.txt || fail "driver create: $(tail -5 $res/drv.create.txt)"
mark drv-end

# Evidence that both ways made the same devices.
ip -n seed -d -j addr show >$res/seed.addr.json || fail "dump seed"
ip -n cli -d -j addr show >$res/cli.addr.json || fail "dump cli"
for ns in seed cli; do
	ip netns exec $ns /bin/sh -c 'for f in /proc/sys/net/ipv4/conf/vti*/disable_policy; do read -r v <"$f"; echo "$f $v"; done' >$res/$ns.sysctl.txt
done

# (c) No-op re-apply with the CLI: its time, and the router's files and
# devices compared before and after.
stamps() {
	find /lab/cli/etc /lab/cli/var/lib/vtic /lab/cli/run/vtic.lock -printf '%i %s %T@ %C@ %m %U %G %p\n' | sort
}
stamps >$res/cli.files.before
swanctl_conns() { lab-exec cli swanctl --list-conns 2>&1 | grep -c '^[^ ].*IKEv'; }
mark noop-start
vtic_apply cli --from $work/out/r1 >$res/cli.noop.txt 2>&1 || fail "no-op apply: $(tail -5 $res/cli.noop.txt)"
mark noop-end
stamps >$res/cli.files.after
ip -n cli -d -j addr show >$res/cli.addr.after.json || fail "dump cli after"

# (d) No-op from the site directory: vtic loads, checks and renders the
# site in the guest before planning.
mark noop-site-start
vtic_apply cli $work/site >$res/cli.noop-site.txt 2>&1 || fail "no-op apply from the site: $(tail -5 $res/cli.noop-site.txt)"
mark noop-site-end

# (e) No-op through the driver: the writes counted, not inferred.
mark noop-drv-start
driver cli noop --from $work/out/r1 --expect-noop --cpuprofile $res/cli.noop.prof 2>$res/cli.noop-driver.txt || fail "driver no-op: $(tail -5 $res/cli.noop-driver.txt)"
mark noop-drv-end
echo "SCALE-INFO charon-conns cli $(swanctl_conns)"
mark done
