//go:build wip

// Package pkilab proves certificate authentication on stock routers in
// the lab VM (internal/e2e/lab), and records what DMVPN does with
// Debian 12's strongSwan and FRR 8.4's nhrpd. One boot, three routers
// made with `lab-router add --stock`, services started as their boot
// does (lab-boot); testdata/pkilab.sh is the guest script.
//
//   - pubkey: a site whose tunnel gw1-gw2 has auth = "pubkey", with a
//     certificate authority and router certificates made by `vtic pki`
//     before the boot, applied by plain `vtic apply --host NAME SITE`.
//     The IKE SA comes up authenticated by the certificates (charon logs
//     the RSA signature checks of both identities), the CHILD SA is
//     installed and a ping crosses the VTI; the key is installed 0600
//     and vtic status lists the certificates' expiry.
//   - wrongid: gw2 applies a site in which its certificate, from the same
//     authority, names imposter.example.net. gw1, which still expects
//     gw2.example.net, refuses it: the initiation fails, no SA exists.
//     gw2 gets the right site back and the SA returns.
//   - nhrpd: the source material's DMVPN: an mGRE gre1 on a hub and two
//     spokes, nhrpd with "tunnel protection vici profile dmvpn", and a
//     transport-mode GRE profile loaded into Debian's charon. What
//     happens is recorded (see the test for what is asserted).
//   - fallback: the same overlay, nhrpd without protection, and charon
//     protecting GRE itself with a transport-mode trap policy: spokes
//     register with the hub, spoke-to-spoke traffic flows, and after
//     NHRP's redirect and shortcut a direct spoke-to-spoke SA appears.
//
// Run it as root:
//
//	go test -count=1 -p 1 -run TestPKILab -v -timeout 40m ./internal/e2e/pkilab/
//
// It skips when the lab is unavailable (fails with CI=true) and with
// -short. VTIC_LAB_SHARE=DIR keeps the evidence in DIR/out.
package pkilab
