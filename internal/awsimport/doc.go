// Package awsimport turns the "Generic" VPN configuration text that AWS
// offers for download into vtic site files: one HCL file with a peer and a
// tunnel block per IPsec tunnel, and one pre-shared key file per tunnel.
//
// Import is the whole of `vtic import aws`: it reads the text and the site,
// generates the files, validates the site as it will be with them, and
// writes them. Its steps can be used and tested alone:
//
//   - Parse reads the text by its section headers ("IPSec Tunnel #N", the
//     "#1:".."#4:" subsections) and its "Label : value" pairs, never by line
//     positions, and keeps the range of every value. Problems are
//     hcl.Diagnostics whose subjects point into the text, so they print
//     like the site's own, with the offending line; Config.File is the
//     text to quote, with every key replaced by asterisks.
//   - Generate checks the parsed configuration against what the caller
//     knows about the router and renders the HCL text with hclwrite. Keys
//     are never written inline; the HCL refers to them with file().
//   - WriteSite writes the files atomically and idempotently, and refuses
//     to overwrite a different key that is already on disk.
//
// Values are held to the site language's own rules through the predicates
// lang exports (names, interface names, AS numbers, keys, inside addresses,
// MTU), so the importer never accepts what lang would refuse, and reports it
// at the line of the AWS text rather than in the generated file.
//
// The customer gateway outside address in downloaded configurations is
// often redacted (for example "63.2xx.2xx.38"). vtic does not need it to
// build the site, because the router block already carries its outside
// address; it is only evidence that the text belongs to this router. Parse
// therefore keeps it as raw text, and Generate checks it only against
// Options.ExpectOutside. Without ExpectOutside a redacted address is an
// error at its line, since nothing else ties the text to the router.
package awsimport
