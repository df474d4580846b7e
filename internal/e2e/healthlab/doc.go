// Package healthlab proves `vtic status` and `vtic check [--repair]`
// against real daemons in the lab VM (package internal/e2e/lab). It has no code of
// its own: TestHealthLab boots the VM once and runs testdata/health.sh,
// which builds two routers of testdata/site with vtic apply, then breaks
// router gw1 three ways (a killed CHILD SA, a deleted VTI device, charon
// stopped with systemctl stop strongswan) and runs vtic check and vtic
// check --repair after each fault. The routers are stock Debian installs
// (`lab-router add --stock` with the files lab.WriteStockShare takes from
// the installed packages) whose services start as boot starts them
// (lab-boot), and vtic runs on them with its default flags.
// The test judges the evidence the script leaves in the share.
//
// It skips like internal/e2e/lab's tests: with -short, and when the lab is not
// available (but fails instead with CI=true). It takes about 5 minutes on an idle machine, more under load; run it
// with
//
//	go test ./internal/e2e/healthlab/ -run TestHealthLab -v -timeout 20m
//
// VTIC_HEALTHLAB_SHARE=DIR keeps the share (the guest's evidence in
// DIR/out, the console log, the routers' daemon logs) after the test.
package healthlab
