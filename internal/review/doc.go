// Package review compares two states of a site's rendered output and says
// what a change does: routers added, removed or changed, the files of each
// router as unified diffs, and the tunnels of each router field by field.
//
// A side is a compiled plan rendered here (FromPlan), a directory written by
// `vtic build` (ReadBuildDir; tunnels from the plan each router's directory
// holds, unknown for a build without plans), or a site in a git revision or
// the work tree (FromGit, FromWorkTree; the revision is read through gitrev,
// with nothing checked out and no filter run unless asked for). A site with errors comes back as a SiteError for the caller
// to print. Compare turns two sides into a
// Report, which WriteText, WriteMarkdown and WriteJSON print.
//
// A file that holds another file's configuration in another form
// (targets.File.Repeats: FRR's bgpd.conf and staticd.conf repeat frr.conf,
// and a router reads one form) is listed with a note, and the text and
// markdown reports show the change once, in the file it repeats; JSON keeps
// both diffs.
//
// Secrets are never printed. A file marked Secret (strongSwan's secrets file)
// is compared entry by entry (ike-NAME) and only the entries' names and what
// kind of thing changed are reported. Every key value known to either side is
// also looked for in the other files' diffs and in tunnel fields, and a line
// holding one is hidden, so a key pasted into a description cannot leak.
//
// A side rendered without its secrets (CI has none) holds the key's reference
// instead of its value. When either side of a key is unresolved, the two are
// compared by reference: the same reference counts as the same key, since
// nothing shows otherwise, and reporting a change there would flag every pull
// request whose base could read a key the head could not.
package review
