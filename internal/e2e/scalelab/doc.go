// Package scalelab measures vtic apply at scale: one router with N VTIs.
//
// TestScaleLab boots the lab VM (package internal/e2e/lab) and, in one run, makes
// the N VTIs twice, each time in a fresh network namespace: the seed's way
// (a shell loop running ip tunnel add, ip addr add, ip link set and sysctl,
// one process each, per tunnel) and with `vtic apply --from` on a build
// output, on a stock router (`lab-router add --stock`, charon started as
// strongswan.service starts it, vtic with its default flags). It checks
// that both made the same devices, then re-applies with
// nothing to change and checks that nothing was written: no netlink or
// sysctl write, no file, no charon, FRR or iptables command. N is 20
// (VTIC_SCALE_N overrides); the speed-up is asserted (at least 10×) from
// 1,000 tunnels on, and only logged below. testdata/scale.sh is the guest
// script and says what each side includes; docs/performance.md has the
// figures.
//
// The test binary is also the guest's driver (driver_test.go): run with
// VTIC_SCALELAB_DRIVER set, it applies as `vtic apply --from` does, with
// every call to the kernel and the daemons counted and timed and the
// router's files compared before and after. That gives the per-part times
// and the exact write counts the CLI does not print.
//
// TestFakesNoopAtScale and BenchmarkNoopApplyFakes apply 1,000 tunnels to
// the fakes of the apply packages, without a VM: the no-op proof and the
// planning cost on the host.
package scalelab
