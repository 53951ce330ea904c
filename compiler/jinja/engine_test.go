package jinja

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func render(t *testing.T, e *Engine, src string, ctx map[string]any) string {
	t.Helper()
	tpl, err := e.Parse("models/m.sql", src)
	require.NoError(t, err)
	out, err := tpl.Render(ctx)
	require.NoError(t, err)
	return out
}

func testEngine(t *testing.T) *Engine {
	t.Helper()
	e := NewEngine()
	require.NoError(t, e.AddMacros([]File{{Path: "macros/m.sql", Src: `
{% macro cents(col, scale=2) -%}
round({{ col }} / 100.0, {{ scale }})
{%- endmacro %}
{% macro cols() %}{{ return(['a', 'b']) }}{% endmacro %}
{% test is_positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}
`}}, nil))
	return e
}

func TestJinjaTemplateFeatures(t *testing.T) {
	e := testEngine(t)
	cfg := map[string]any{}
	ctx := map[string]any{
		"config": Func(func(args []any, kw map[string]any) (any, error) {
			for k, v := range kw {
				cfg[k] = Native(v)
			}
			return "", nil
		}),
		"ref": Func(func(args []any, kw map[string]any) (any, error) { return "REF_" + Str(args[len(args)-1]), nil }),
	}
	cases := []struct{ in, want string }{
		{`{{ config(materialized="incremental", unique_key=["a", "b"], tags=['x']) }}x`, "x"},
		{"{{ config(\n  materialized='table',\n  meta={'owner': 'bob', 'n': [1, 2]}\n) }}y", "y"},
		{`{{ cents('amount') }}|{{ cents('amount', scale=4) }}|{{ cents(col='x', scale=0) }}`, "round(amount / 100.0, 2)|round(amount / 100.0, 4)|round(x / 100.0, 0)"},
		{`{% set xs = ["a", "b", "c"] %}{% for x in xs %}{{ loop.index }}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}`, "1a, 2b, 3c"},
		{`{% set d = {"k": 1, 'j': "v"} %}{{ d.k }}{{ d['j'] }}`, "1v"},
		{"{%- if false -%} no {%- elif true -%}\n  yes  \n{%- else -%} no {%- endif -%}", "yes"},
		{`{{ "a" ~ "b" }} {{ 'x' | upper }} {{ ['a','b'] | join(', ') }} {{ none is none }} {{ 1 is not none }}`, "ab X a, b True True"},
		{`{% for c in cols() %}{{ c }}{% endfor %}`, "ab"},
		{`{{ "<b>&" }}`, "<b>&"},
		{`{% set s %}select {{ 1 }}{% endset %}{{ s | trim }}`, "select 1"},
		{`{{ ref('stg') }} {{ ref('pkg', "stg2") }}`, "REF_stg REF_stg2"},
		{`{{ "Hello".lower() }} {{ "a,b".split(",") | length }} {{ {'a': 1}.get('b', 7) }}`, "hello 2 7"},
		{`{% for x in [] %}x{% else %}empty{% endfor %}`, "empty"},
		{`{{ test_is_positive('t', 'c') }}`, "select * from t where c < 0"},
		{"{# a comment\nspanning lines #}z", "z"},
		{`{% raw %}{{ not rendered }}{% endraw %}`, "{{ not rendered }}"},
		{`{{ var_missing | default('dflt') }}`, "dflt"},
		{`{{ True and not False }}`, "True"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			require.Equal(t, c.want, render(t, e, c.in, ctx))
		})
	}
	require.Equal(t, []any{"a", "b"}, cfg["unique_key"])
	require.Equal(t, map[string]any{"owner": "bob", "n": []any{1, 2}}, cfg["meta"])
}

func TestJinjaErrorsMapToSource(t *testing.T) {
	e := NewEngine()
	cases := []struct{ in, want string }{
		{"select 1\n{{ foo( }}", "models/m.sql:2:"},
		{"select\n\n  {% if x %}\nopen", "models/m.sql:3:3: {% if %} is never closed: expected {% endif %}"},
		{"a\n{% endfor %}", "models/m.sql:2:1: unexpected {% endfor %}"},
		{"x {{ 'abc }}", "unterminated string"},
		{"{{\n  config(\n materialized='x',\n bad=) }}", "models/m.sql:4:6: expected a value, got ')'"},
	}
	for _, c := range cases {
		_, err := e.Parse("models/m.sql", c.in)
		if err == nil {
			tpl, _ := e.Parse("models/m.sql", c.in)
			_, err = tpl.Render(nil)
		}
		require.Error(t, err, c.in)
		require.Contains(t, err.Error(), c.want, c.in)
	}
	_ = strings.TrimSpace
}

// TestSharedSkeletons: templates written alike share one parsed pongo2
// template, and each still renders its own values, calls macros of other
// files, and reports errors in its own file, also when rendered at once.
func TestSharedSkeletons(t *testing.T) {
	e := NewEngine()
	require.NoError(t, e.AddMacros([]File{{Path: "macros/m.sql",
		Src: `{% macro wrap(x) %}{% if x %}[{{ x }}]{% endif %}{% endmacro %}`}}, nil))
	const n = 40
	tpls := make([]*Template, n)
	for i := range tpls {
		src := fmt.Sprintf("{%% set v = %d %%}{%% for i in [1, 2] %%}{{ v * i }}{%% if not loop.last %%},{%% endif %%}{%% endfor %%}\n{{ wrap('t%d') }} {{ 10 // (v - 7) }}", i, i)
		tpl, err := e.Parse(fmt.Sprintf("models/m%d.sql", i), src)
		require.NoError(t, err)
		tpls[i] = tpl
	}
	for i := range tpls {
		require.Same(t, tpls[0].tpl, tpls[i].tpl, "template %d", i)
	}
	var wg sync.WaitGroup
	outs, errs := make([]string, n), make([]error, n)
	for i := range tpls {
		wg.Go(func() { outs[i], errs[i] = tpls[i].Render(nil) })
	}
	wg.Wait()
	for i := range tpls {
		if i == 7 {
			var je *Error
			require.ErrorAs(t, errs[i], &je)
			assert.Equal(t, "models/m7.sql", je.File)
			assert.Equal(t, 2, je.Line)
			continue
		}
		require.NoError(t, errs[i], "template %d", i)
		assert.Equal(t, fmt.Sprintf("%d,%d\n[t%d] %d", i, 2*i, i, pyFloorDiv(10, i-7)), outs[i])
	}
	// a template that defines a macro is parsed on its own
	a, err := e.Parse("models/a.sql", `{% macro m() %}a{% endmacro %}{{ m() }}`)
	require.NoError(t, err)
	b, err := e.Parse("models/b.sql", `{% macro m() %}b{% endmacro %}{{ m() }}`)
	require.NoError(t, err)
	require.NotSame(t, a.tpl, b.tpl)
	for want, tpl := range map[string]*Template{"a": a, "b": b} {
		out, err := tpl.Render(nil)
		require.NoError(t, err)
		assert.Equal(t, want, out)
	}
}

// pyFloorDiv is Python's // on ints.
func pyFloorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// TestSharedSkeletonsSetForms: a value set and a block set must not share
// a skeleton (they parse to different trees), in either order.
func TestSharedSkeletonsSetForms(t *testing.T) {
	a := "{% set cols = ['a'] %}\n{% set q %}\nselect 1\n{% endset %}\n{{ q }}"
	b := "{% set q %}\n{% set cols = ['a'] %}\nselect 1\n{% endset %}\n{{ q }}"
	for _, order := range [][]string{{a, b}, {b, a}} {
		e := NewEngine()
		for i, src := range order {
			tpl, err := e.Parse(fmt.Sprintf("models/m%d.sql", i), src)
			require.NoError(t, err)
			out, err := tpl.Render(nil)
			require.NoError(t, err, "%q", src)
			assert.Contains(t, out, "\nselect 1\n")
		}
	}
}

// genStatements appends up to three random statements (text, prints, sets
// of both forms, do, if/elif/else, for/else with break and continue,
// filter, a macro call, a division that may fail) nested up to depth 3.
func genStatements(r *rand.Rand, depth int, inLoop bool, b *strings.Builder) {
	block := func(open string, loop bool) { // a tag, then its body
		b.WriteString(open)
		genStatements(r, depth+1, loop, b)
	}
	for range r.IntN(4) {
		k := r.IntN(11)
		if depth >= 3 && k >= 4 && k <= 7 {
			k = r.IntN(4)
		}
		v := fmt.Sprintf("v%d", r.IntN(3))
		switch k {
		case 0:
			b.WriteString("t")
		case 1:
			b.WriteString("{{ " + v + " }}")
		case 2:
			fmt.Fprintf(b, "{%% set %s = %d %%}", v, r.IntN(5))
		case 3:
			switch {
			case inLoop && r.IntN(2) == 0:
				b.WriteString([]string{"{% break %}", "{% continue %}"}[r.IntN(2)])
			default:
				b.WriteString("{% do [" + v + "] %}")
			}
		case 4:
			block("{% set "+v+" %}", false)
			b.WriteString("{% endset %}")
		case 5:
			block("{% if "+v+" %}", inLoop)
			if r.IntN(2) == 0 {
				block("{% elif "+v+" > 1 %}", inLoop)
			}
			if r.IntN(2) == 0 {
				block("{% else %}", inLoop)
			}
			b.WriteString("{% endif %}")
		case 6:
			block("{% for "+v+" in [1, 2] %}", true)
			if r.IntN(2) == 0 {
				block("{% else %}", inLoop)
			}
			b.WriteString("{% endfor %}")
		case 7:
			block("{% filter upper %}", inLoop)
			b.WriteString("{% endfilter %}")
		case 8:
			b.WriteString("{{ " + v + " ~ 'x' }}")
		case 9:
			b.WriteString("{{ 1 // " + v + " }}")
		case 10:
			b.WriteString("{{ mm(" + v + ") }}")
		}
	}
}

// TestSharedSkeletonsMatchOwnParse renders random templates through the
// shared skeletons and through a parse of their own: output and errors
// (file, line, column, message) must be the same.
func TestSharedSkeletonsMatchOwnParse(t *testing.T) {
	e := NewEngine()
	require.NoError(t, e.AddMacros([]File{{Path: "macros/m.sql",
		Src: "{% macro mm(a) %}{% set q %}{{ a }}{% endset %}{% for i in [a] %}{{ q }}{% endfor %}{% endmacro %}"}}, nil))
	r := rand.New(rand.NewPCG(3, 5))
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	for i := range n {
		var b strings.Builder
		b.WriteString("{% set v0 = 0 %}{% set v1 = 1 %}{% set v2 = 2 %}")
		genStatements(r, 0, false, &b)
		src := b.String()
		path := fmt.Sprintf("models/m%d.sql", i)
		rw, err := Rewrite(path, src)
		if err != nil {
			continue
		}
		shared, err := e.Parse(path, src)
		require.NoError(t, err, src)
		own, err := rw.parseNew()
		require.NoError(t, err, src)
		got, gotErr := shared.Render(nil)
		want, wantErr := (&Template{Path: path, engine: e, tpl: own, prog: rw.prog}).Render(nil)
		require.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr), src)
		require.Equal(t, want, got, src)
	}
}

// countingLocals makes each value on demand and counts the lookups.
type countingLocals struct {
	vals  map[string]any
	asked map[string]int
}

func (l *countingLocals) Local(name string) (any, bool) {
	l.asked[name]++
	v, ok := l.vals[name]
	return v, ok
}

func (l *countingLocals) LocalNames() []string { return []string{"who", "greeting"} }

// TestExecLocals: values given as Locals are looked up only when a
// template (or a macro it calls) reads them, win over shared values, and
// are offered in suggestions; CallLocals gives a macro the same.
func TestExecLocals(t *testing.T) {
	e := testEngine(t)
	tpl, err := e.Parse("models/m.sql", "{{ greeting }} {{ who }} {{ cents('x') }}")
	require.NoError(t, err)
	l := &countingLocals{vals: map[string]any{"who": "local", "greeting": "hi"}, asked: map[string]int{}}
	out, err := tpl.ExecLocals(l, map[string]any{"who": "shared", "unused": 1})
	require.NoError(t, err)
	assert.Equal(t, "hi local round(x / 100.0, 2)", out.Text)
	assert.Equal(t, map[string]int{"greeting": 1, "who": 1, "cents": 1}, l.asked, "only the names read, each once here")

	tpl, err = e.Parse("models/m.sql", "{{ greetin() }}")
	require.NoError(t, err)
	_, err = tpl.ExecLocals(l, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "greeting", "a lazy name is suggested")

	out, err = e.CallLocals(Pos{File: "x", Line: 1, Col: 1}, "cents", l, nil, []any{"y"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "round(y / 100.0, 2)", out.Text)
}

// TestFoundMacros: a macro a template finds other than as a call's
// callee is recorded (Found): its removal would change the render, which
// does not list it among the macros it called.
func TestFoundMacros(t *testing.T) {
	for _, c := range []struct {
		src   string
		found []string
	}{
		{"{{ cents('x') }}", nil},
		{"{% call cents('x') %}y{% endcall %}", nil},
		{"{% if cents is defined %}1{% endif %}", []string{"cents"}},
		{"{% set f = cents %}{{ f('x') }}", []string{"cents"}},
		{"{{ cents(cols) }}", []string{"cols"}},
		{"{% if nothing is defined %}1{% endif %}", nil},
	} {
		e := testEngine(t)
		render(t, e, c.src, nil)
		assert.Equal(t, c.found, e.Found(), c.src)
	}
}

// A value with no text of its own (a macro, a function, a Go object of
// the context) prints the same text on every render: Go's %v of it held
// addresses, so two compiles of one project wrote different SQL (found by
// review).
func TestObjectsPrintTheSameEveryTime(t *testing.T) {
	e := testEngine(t)
	type object struct{ p *int }
	n := 1
	ctx := map[string]any{
		"ref":    Func(func(args []any, kw map[string]any) (any, error) { return "", nil }),
		"config": &object{&n},
		"plain":  func() {},
	}
	src := `{{ cents }}|{{ cents ~ "" }}|{{ [cents, ref] }}|{{ {'r': ref} }}|{{ config }}|{{ plain }}|{% for i in [1, 2] %}{{ loop }}{% endfor %}|` +
		`{% macro local() %}{% endmacro %}{{ local }}|{{ cents | string | length }}`
	want := `<Macro 'cents'>|<Macro 'cents'>|[<Macro 'cents'>, <function>]|{'r': <function>}|<object>|<function>|<LoopContext 1/2><LoopContext 2/2>|<Macro 'local'>|15`
	assert.Equal(t, want, render(t, e, src, ctx))
}

// Go values a context may hold print as Python would print them: a map of
// another type than map[string]any (which recursed through Str and repr
// until the stack overflowed) and an unsigned integer past the largest int
// (which printed negative). Found by review.
func TestOtherGoValuesPrint(t *testing.T) {
	assert.Equal(t, "{'a': 1, 'b': 2}", Str(map[string]int{"b": 2, "a": 1}))
	assert.Equal(t, "[{1: 'x'}]", Str([]map[int]string{{1: "x"}}))
	assert.Equal(t, "9223372036854775808", Str(uint64(1<<63)))
	assert.Equal(t, "18446744073709551615", Str(^uint(0)))
}
