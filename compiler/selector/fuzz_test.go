package selector

import (
	"errors"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"stg_members", "+stg_members", "stg_members+", "2+fct_trips+1", "+m+", "@m", "@3+m", "*", "+*+",
	"stg_*", "stg_[!ct]*", "marts.core", "soda.staging.stg_members",
	"models/staging", "path:models/**/*.sql", "stg_members.sql", "file:fct_trips",
	"tag:nightly", "config.materialized:incremental", "config.meta.owner:x", "config.contract.enforced:true",
	"source:raw", "source:raw.members+", "source:soda.raw.cars", "resource_type:model", "test_type:generic",
	"fqn:staging.stg_members", "package:soda", "state:modified", "state:modified.body+", "result:error+",
	"unique_id:model.soda.fct_trips", "group:finance", "access:public", "unit_test:soda.*",
	"a b", "a,b", "a,b c", "  a , b\t\tc  ", "tag:nightly,config.materialized:table stg_cars",
	"", ",", "a,", ",a", "a,,b", "+", "++", "@", "@m+", "tag:", "tagg:x", "config:x", "config.:x",
	"99999999999999999999+x", "x+99999999999999999999", "path:/abs", "source:a.b.c.d", ".x:y", "a++", "a+1+2",
	"@@x", "+@x", "+2+m", ":x", "x:", "[", "path:[", "tag:\\", "\xff+", "0+m+0",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	g := fixtureGraph()
	opt := Options{State: map[string]*Node{}, Results: map[string]string{}, IndirectTests: true}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error is %T, not *ParseError", s, err)
			}
			if pe.Offset < 0 || pe.Offset > len(s) || pe.Msg == "" || pe.Expr != s {
				t.Fatalf("Parse(%q) bad error %#v", s, pe)
			}
			if utf8.ValidString(s) && !utf8.ValidString(pe.Error()) {
				t.Fatalf("Parse(%q): error text is not UTF-8", s)
			}
			return
		}
		out := e.String()
		e2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) printed as %q, which does not parse: %v", s, out, err)
		}
		if e2.String() != out {
			t.Fatalf("Parse(%q) printed as %q, which re-prints as %q", s, out, e2.String())
		}
		if !sameShape(e, e2) {
			t.Fatalf("Parse(%q) and Parse(%q) differ", s, out)
		}
		if _, err := Select(g, []string{s}, []string{out}, opt); err != nil {
			t.Fatalf("Select(%q): %v", s, err)
		}
	})
}

// sameShape compares two expressions, ignoring offsets.
func sameShape(a, b Expr) bool {
	var xs, ys []Atom
	atoms(a, func(x *Atom) { c := *x; c.Offset = 0; xs = append(xs, c) })
	atoms(b, func(y *Atom) { c := *y; c.Offset = 0; ys = append(ys, c) })
	if len(xs) != len(ys) {
		return false
	}
	for i := range xs {
		x, y := xs[i], ys[i]
		if x.Method != y.Method || x.Value != y.Value || len(x.Args) != len(y.Args) ||
			x.ChildrensParents != y.ChildrensParents || x.Parents != y.Parents || x.ParentsDepth != y.ParentsDepth ||
			x.Children != y.Children || x.ChildrenDepth != y.ChildrenDepth {
			return false
		}
		for k := range x.Args {
			if x.Args[k] != y.Args[k] {
				return false
			}
		}
	}
	return true
}
