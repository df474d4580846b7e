// Package compile turns a validated lang.Site into one Host plan per router:
// everything a router needs, with every default filled in and every
// reference resolved, in a fixed order. Renderers in targets/ read only this
// plan, so they never re-derive marks, presets or BGP neighbors, and two
// renderers cannot disagree about a number.
package compile
