package selector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAtoms(t *testing.T) {
	cases := []struct {
		in   string
		want Atom
	}{
		{"stg_members", Atom{Value: "stg_members", ParentsDepth: -1, ChildrenDepth: -1}},
		{"+stg_members", Atom{Parents: true, Value: "stg_members", ParentsDepth: -1, ChildrenDepth: -1}},
		{"stg_members+", Atom{Value: "stg_members", Children: true, ParentsDepth: -1, ChildrenDepth: -1}},
		{"2+m+10", Atom{Parents: true, ParentsDepth: 2, Value: "m", Children: true, ChildrenDepth: 10}},
		{"@m", Atom{ChildrensParents: true, Value: "m", ParentsDepth: -1, ChildrenDepth: -1}},
		{"@3+m", Atom{ChildrensParents: true, Parents: true, ParentsDepth: 3, Value: "m", ChildrenDepth: -1}},
		{"model1+", Atom{Value: "model1", Children: true, ParentsDepth: -1, ChildrenDepth: -1}},
		{"12abc", Atom{Value: "12abc", ParentsDepth: -1, ChildrenDepth: -1}},
		{"a+b", Atom{Value: "a+b", ParentsDepth: -1, ChildrenDepth: -1}},
		{"tag:nightly", Atom{Method: "tag", Value: "nightly", ParentsDepth: -1, ChildrenDepth: -1}},
		{"config.materialized:table", Atom{Method: "config", Args: []string{"materialized"}, Value: "table",
			ParentsDepth: -1, ChildrenDepth: -1}},
		{"config.meta.owner:x+", Atom{Method: "config", Args: []string{"meta", "owner"}, Value: "x", Children: true,
			ParentsDepth: -1, ChildrenDepth: -1}},
		{"+source:raw.members+2", Atom{Parents: true, Method: "source", Value: "raw.members", Children: true,
			ParentsDepth: -1, ChildrenDepth: 2}},
		{"state:modified.body", Atom{Method: "state", Value: "modified.body", ParentsDepth: -1, ChildrenDepth: -1}},
		{"path:a:b/c", Atom{Method: "path", Value: "a:b/c", ParentsDepth: -1, ChildrenDepth: -1}},
		{"models/x:y.sql", Atom{Value: "models/x:y.sql", ParentsDepth: -1, ChildrenDepth: -1}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			e, err := Parse(c.in)
			require.NoError(t, err)
			a, ok := e.(*Atom)
			require.True(t, ok, "got %T", e)
			assert.Equal(t, c.want, *a)
			assert.Equal(t, c.in, a.String())
		})
	}
}

func TestParseTree(t *testing.T) {
	e, err := Parse("  a,b \t c  d , +e+ ")
	require.NoError(t, err)
	u, ok := e.(Union)
	require.True(t, ok, "got %T", e)
	require.Len(t, u, 3)
	x, ok := u[0].(Intersection)
	require.True(t, ok)
	assert.Equal(t, "a", x[0].Value)
	assert.Equal(t, 4, x[1].Offset)
	assert.Equal(t, "c", u[1].(*Atom).Value)
	assert.Equal(t, "d,+e+", u[2].String())
	assert.Equal(t, "a,b c d,+e+", e.String())

	e, err = Parse("tag:x,resource_type:model")
	require.NoError(t, err)
	assert.IsType(t, Intersection{}, e)
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in       string
		offset   int
		msg      string // exact message, or a substring when contains is set
		contains []string
	}{
		{in: "tag:", offset: 4, msg: `expected a value after "tag:"`},
		{in: "+tag:+", offset: 5, msg: `expected a value after "tag:"`},
		{in: "", offset: 0, msg: "expected a selector"},
		{in: "   ", offset: 3, msg: "expected a selector"},
		{in: "a,", offset: 2, msg: `expected a selector after ","`},
		{in: "a, ", offset: 3, msg: `expected a selector after ","`},
		{in: ",a", offset: 0, msg: `expected a selector before ","`},
		{in: "a,,b", offset: 2, msg: `expected a selector after ","`},
		{in: "a , , b", offset: 4, msg: `expected a selector after ","`},
		{in: "+", offset: 1, msg: `expected a selector after "+"`},
		{in: "++", offset: 1, msg: `expected a selector after "+"`},
		{in: "@", offset: 1, msg: `expected a selector after "@"`},
		{in: "x 2+", offset: 4, msg: `expected a selector after "2+"`},
		{in: "@fct_trips+", offset: 10, contains: []string{`"@" prefix and a "+" suffix cannot be combined`}},
		{in: "99999999999999999999+x", offset: 0, msg: "graph depth 99999999999999999999 is too large"},
		{in: "x+99999999999999999999", offset: 2, msg: "graph depth 99999999999999999999 is too large"},
		{in: "tagg:nightly", offset: 0, contains: []string{`unknown selector method "tagg"; did you mean "tag"?`,
			"valid methods: access, config, file, fqn, group, package, path, resource_type, result, selector, source, source_status, state, tag, test_type, unique_id, unit_test, version"}},
		{in: "stg_members  resouce_type:model", offset: 13, contains: []string{`did you mean "resource_type"?`}},
		{in: "confg.materialized:table", offset: 0, contains: []string{`did you mean "config"?`}},
		{in: "xyzzyplugh:a", offset: 0, msg: `unknown selector method "xyzzyplugh"; valid methods: access, config, file, fqn, group, package, path, resource_type, result, selector, source, source_status, state, tag, test_type, unique_id, unit_test, version`},
		{in: "test_name:not_null", offset: 0, contains: []string{`selector method "test_name" is not supported by mart`}},
		{in: "config:table", offset: 6, msg: `expected a key after "config": config.<key>:<value>`},
		{in: "config.:table", offset: 7, msg: `expected a key after "config."`},
		{in: "config.meta.:x", offset: 12, msg: `expected a key after "config.meta."`},
		{in: "tag.x:y", offset: 3, contains: []string{`method "tag" takes no ".<argument>"`}},
		{in: "state:modifed", offset: 6, contains: []string{`unknown state "modifed"; did you mean "modified"?`,
			"new, old, modified, modified.body, modified.configs, modified.relation, modified.macros, modified.vars, modified.contract, modified.persisted_descriptions, unmodified"}},
		{in: "resource_type:modle", offset: 14, contains: []string{`did you mean "model"?`}},
		{in: "test_type:unitt", offset: 10, contains: []string{`unknown test type "unitt"; did you mean "unit"?`}},
		{in: "access:secret", offset: 7, contains: []string{`unknown access "secret"`}},
		{in: "source:a.b.c.d", offset: 7, msg: "expected source_name, source_name.table_name or package.source_name.table_name, got 4 dotted parts"},
		{in: "source:raw.", offset: 11, msg: "expected source_name, source_name.table_name or package.source_name.table_name, got an empty part"},
		{in: "unit_test:a.b.c", offset: 10, contains: []string{"got 3 dotted parts"}},
		{in: "path:/abs/models", offset: 5, msg: "expected a path relative to the project root, got an absolute path"},
		{in: "+/abs/models", offset: 1, msg: "expected a path relative to the project root, got an absolute path"},
		{in: ".x:y", offset: 0, contains: []string{`unknown selector method ""`}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			_, err := Parse(c.in)
			require.Error(t, err)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, c.in, pe.Expr)
			assert.Equal(t, c.offset, pe.Offset, "offset; message %q", pe.Msg)
			if c.contains == nil {
				assert.Equal(t, c.msg, pe.Msg)
			}
			for _, s := range c.contains {
				assert.Contains(t, pe.Msg, s)
			}
		})
	}
}

func TestParseErrorString(t *testing.T) {
	_, err := Parse("tag:")
	require.EqualError(t, err, `selector "tag:": expected a value after "tag:" (at column 5)`)
}

func TestSuggest(t *testing.T) {
	assert.Equal(t, ` did you mean "tag"?`, suggest("tagg", methodNames))
	assert.Equal(t, "", suggest("zzzzzzzz", methodNames))
}
