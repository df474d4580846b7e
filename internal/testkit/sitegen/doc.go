// Package sitegen writes synthetic vtic sites for scale tests and
// benchmarks: N routers with M tunnels each, a mix of AWS peers and
// router-to-router tunnels, every one of them valid.
//
// The output is a pure function of the Config: the same seed gives the same
// bytes, so benchmark inputs can be regenerated anywhere instead of being
// checked in. go run ./internal/testkit/sitegen/gen writes one to a directory.
//
// The package only writes HCL text and does not import lang, so lang's own
// tests and benchmarks can use it.
package sitegen
