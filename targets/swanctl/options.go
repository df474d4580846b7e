package swanctl

import "github.com/vtic/vtic/compile"

// options hands out a tunnel's options of one section so that each is
// written exactly once: in place of vtic's default where vtic has one
// (kv, take), and otherwise after the defaults (rest). No option the plan
// holds is left out, whatever the preset or the IKE version; lang refuses
// the ones strongSwan would ignore.
type options struct {
	list []compile.Option
	used []bool
}

func newOptions(t *compile.Tunnel, section string) *options {
	o := &options{}
	for _, opt := range t.Options {
		if opt.Section == section {
			o.list = append(o.list, opt)
		}
	}
	o.used = make([]bool, len(o.list))
	return o
}

// value returns the user's value of key without using it up.
func (o *options) value(key string) (string, bool) {
	for _, opt := range o.list {
		if opt.Key == key {
			return opt.Value, true
		}
	}
	return "", false
}

// take returns the user's value of key, or def, and marks the option
// written.
func (o *options) take(key string, def any) any {
	for i, opt := range o.list {
		if opt.Key == key {
			o.used[i] = true
			return opt.Value
		}
	}
	return def
}

// kv writes key into s with the user's value, or def.
func (o *options) kv(s *Section, key string, def any) { s.kv(key, o.take(key, def)) }

// rest writes the options not yet written, in the plan's order.
func (o *options) rest(s *Section) {
	for i, opt := range o.list {
		if !o.used[i] {
			o.used[i] = true
			s.kv(opt.Key, opt.Value)
		}
	}
}
