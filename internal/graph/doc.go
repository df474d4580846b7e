// Package graph draws a site's shape for people: routers, the peers they
// reach, and the tunnels between them with each end's interface and inside
// address, whether the tunnel is enabled, AS numbers and the prefixes each
// router announces. It reads compiled plans (compile.Host), the contract
// every other consumer reads, never rendered files.
//
// The model (Graph) is written out as Graphviz DOT (DOT), as a Mermaid
// flowchart (Mermaid, which GitHub renders in markdown, used by vtic diff)
// or as SVG laid out by Graphviz's dot program (SVG). `vtic graph` prints
// one of them.
package graph
