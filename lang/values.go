package lang

import (
	"math/big"
	"net/netip"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Str is a string attribute and where it was written.
type Str struct {
	Value string
	Range hcl.Range
	Set   bool
}

// Num is a whole-number attribute. Raw keeps the literal as written so that
// rules about its spelling (a leading zero) can be checked.
type Num struct {
	Value uint64
	Raw   string
	Range hcl.Range
	Set   bool
}

// Bool is a boolean attribute.
type Bool struct {
	Value bool
	Range hcl.Range
	Set   bool
}

// Addr is an IP address attribute.
type Addr struct {
	Addr  netip.Addr
	Range hcl.Range
}

// Set reports whether the attribute was given and parsed.
func (a Addr) Set() bool { return a.Addr.IsValid() }

// Prefix is an address with a prefix length, such as an inside address
// "169.254.13.22/30". The host bits are kept.
type Prefix struct {
	Prefix netip.Prefix
	Range  hcl.Range
}

// Set reports whether the attribute was given and parsed.
func (p Prefix) Set() bool { return p.Prefix.IsValid() }

// decoder carries what every attribute decoder needs: the source bytes, to
// recover literals as written.
type decoder struct {
	files map[string]*hcl.File
	opts  Options
	dir   string

	// The site directory with symbolic links resolved, computed on the
	// first file() secret: every one is checked against it.
	root     string
	rootErr  error
	rootDone bool
	// realDirs are directories under root already found not to be
	// symbolic links; thousands of keys share a few directories.
	realDirs map[string]bool
}

func (d *decoder) raw(rng hcl.Range) string {
	f, ok := d.files[rng.Filename]
	if !ok {
		return ""
	}
	return string(rng.SliceBytes(f.Bytes))
}

// value evaluates an attribute that must be a constant of type want.
func (d *decoder) value(attr *hcl.Attribute, want cty.Type, what string) (cty.Value, hcl.Diagnostics) {
	v, diags := evalConstant(attr.Expr)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if v.IsNull() {
		return cty.NilVal, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Missing value",
			"The argument %q must be %s, not null.", attr.Name, what)}
	}
	if want != cty.Number && hugeNumber(v) {
		return cty.NilVal, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Incorrect attribute value type",
			"The argument %q must be %s.", attr.Name, what)}
	}
	cv, err := convert.Convert(v, want)
	if err != nil {
		return cty.NilVal, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Incorrect attribute value type",
			"The argument %q must be %s.", attr.Name, what)}
	}
	return cv, nil
}

func (d *decoder) str(attr *hcl.Attribute) (Str, hcl.Diagnostics) {
	v, diags := d.value(attr, cty.String, "a string")
	if diags.HasErrors() {
		return Str{}, diags
	}
	return Str{Value: v.AsString(), Range: attr.Expr.Range(), Set: true}, nil
}

func (d *decoder) boolean(attr *hcl.Attribute) (Bool, hcl.Diagnostics) {
	v, diags := d.value(attr, cty.Bool, "true or false")
	if diags.HasErrors() {
		return Bool{}, diags
	}
	return Bool{Value: v.True(), Range: attr.Expr.Range(), Set: true}, nil
}

// num decodes a whole number in 0..max. The number's range checks that mean
// something to the user (1..4294967295 for a mark) live in the rules; this
// only rejects what cannot be represented at all. want is the range the
// user should aim for, such as "from 1 to 4294967295"; max may be larger
// so that the rule can say more than the decoder can.
func (d *decoder) num(attr *hcl.Attribute, max uint64, want string) (Num, hcl.Diagnostics) {
	v, diags := d.value(attr, cty.Number, "a whole number")
	if diags.HasErrors() {
		return Num{}, diags
	}
	rng := attr.Expr.Range()
	bf := v.AsBigFloat()
	if !bf.IsInt() || bf.Sign() < 0 {
		return Num{}, hcl.Diagnostics{errorAt(rng, "Invalid number",
			"The argument %q must be a whole number %s.", attr.Name, want)}
	}
	// Compare as a float first: converting a literal such as 1e600000000 to
	// an integer would allocate hundreds of megabytes.
	if bf.Cmp(new(big.Float).SetUint64(max)) > 0 {
		return Num{}, hcl.Diagnostics{errorAt(rng, "Number out of range",
			"The argument %q must be a whole number %s.", attr.Name, want)}
	}
	i, _ := bf.Int(nil)
	raw := strings.Trim(strings.TrimSpace(d.raw(rng)), `"`)
	return Num{Value: i.Uint64(), Raw: raw, Range: rng, Set: true}, nil
}

func (d *decoder) addr(attr *hcl.Attribute) (Addr, hcl.Diagnostics) {
	s, diags := d.str(attr)
	if diags.HasErrors() {
		return Addr{}, diags
	}
	a, err := netip.ParseAddr(s.Value)
	if err != nil || a.Zone() != "" {
		return Addr{}, hcl.Diagnostics{errorAt(s.Range, "Invalid IP address",
			"The argument %q must be an IPv4 or IPv6 address such as \"198.51.100.1\"; %q is not one.", attr.Name, s.Value)}
	}
	return Addr{Addr: a.Unmap(), Range: s.Range}, nil
}

func (d *decoder) prefix(attr *hcl.Attribute) (Prefix, hcl.Diagnostics) {
	s, diags := d.str(attr)
	if diags.HasErrors() {
		return Prefix{}, diags
	}
	p, err := netip.ParsePrefix(s.Value)
	if err != nil {
		return Prefix{}, hcl.Diagnostics{errorAt(s.Range, "Invalid address prefix",
			"The argument %q must be an address with a prefix length, such as \"169.254.13.22/30\"; %q is not one.", attr.Name, s.Value)}
	}
	return Prefix{Prefix: p, Range: s.Range}, nil
}

// prefixList decodes a list of prefixes, keeping one range per element when the
// list is written literally.
func (d *decoder) prefixList(attr *hcl.Attribute) ([]Prefix, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Incorrect attribute value type",
			"The argument %q must be a list of prefixes, such as [\"10.20.0.0/16\"].", attr.Name)}
	}
	var out []Prefix
	for _, e := range exprs {
		p, ds := d.prefix(&hcl.Attribute{Name: attr.Name, Expr: e, Range: e.Range()})
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			out = append(out, p)
		}
	}
	return out, diags
}

// strMap decodes an object such as { rekey_time = "1h" } into ordered pairs,
// each keeping the range of its value.
func (d *decoder) strMap(attr *hcl.Attribute) ([]KeyValue, hcl.Diagnostics) {
	pairs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Incorrect attribute value type",
			"The argument %q must be an object of strings, such as { rekey_time = \"1h\" }.", attr.Name)}
	}
	var out []KeyValue
	for _, p := range pairs {
		key := hcl.ExprAsKeyword(p.Key)
		if key == "" {
			kv, ds := evalConstant(p.Key)
			if ds.HasErrors() || kv.Type() != cty.String || kv.IsNull() {
				diags = append(diags, errorAt(p.Key.Range(), "Invalid option name",
					"Option names in %q must be plain names.", attr.Name))
				continue
			}
			key = kv.AsString()
		}
		v, ds := d.str(&hcl.Attribute{Name: key, Expr: p.Value, Range: p.Value.Range()})
		diags = append(diags, ds...)
		if ds.HasErrors() {
			continue
		}
		out = append(out, KeyValue{Key: key, KeyRange: p.Key.Range(), Value: v})
	}
	return out, diags
}

// KeyValue is one entry of an options object.
type KeyValue struct {
	Key      string
	KeyRange hcl.Range
	Value    Str
}
