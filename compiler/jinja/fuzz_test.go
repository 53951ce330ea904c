package jinja

import (
	"errors"
	"strings"
	"testing"
)

// FuzzRewrite feeds arbitrary text to the pre-pass. It must never panic;
// an error must be an *Error inside the file; on success the rewritten
// text must parse with pongo2 and render (with no context) without
// panicking, failing only with an *Error. The corpus is kept under
// testdata/fuzz/FuzzRewrite.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{
		"select 1",
		"{{ ref('a') }}",
		"{{ config(materialized='table', unique_key=['a', 'b'], meta={'k': {'n': 1}}) }}",
		"{% set xs = [1, 2] %}{% for x in xs if x > 1 %}{{ loop.index }}{{ x }}{% else %}e{% endfor %}",
		"{%- if a -%}x{%- elif b -%}y{%- else -%}z{%- endif -%}",
		"{% macro m(a, b=2) %}{{ a ~ b }}{{ return(a) }}{% endmacro %}{{ m(1, b=3) }}",
		"{% raw %}{{ x }}{% endraw %}{# c #}",
		"{{ 'a' | upper | replace('A', 'b') }} {{ x is not none }} {{ [1,2][::-1] }} {{ {'a': 1}.items() }}",
		"{% set ns = namespace(n=0) %}{% for k, v in {'a': 1}.items() %}{% set ns.n = ns.n + v %}{% endfor %}{{ ns.n }}",
		"{% filter upper %}x{% endfilter %}{% set s %}b{% endset %}{{ s }}",
		"{% for i in range(3) %}{% if i %}{% break %}{% endif %}{% continue %}{% endfor %}",
		"{{ 1 / 0 }}", "{{ '%s' % 1 }}", "{{ 'x' * 3 }}", "{{ (1, 2) }}", "{{ -x ** 2 }}",
		"{% snapshot s %}select 1{% endsnapshot %}{% docs d %}x{% enddocs %}",
		"{% test t(model) %}{{ model }}{% endtest %}{% materialization m, default %}{% endmaterialization %}",
		"a{ {{- x -}} }b", "{{", "{%", "{#", "}}", "{{ 'unterminated }}", "{% if %}", "{% endfor %}",
	} {
		f.Add(s)
	}
	old := MaxSteps
	MaxSteps = 20_000
	defer func() { MaxSteps = old }()
	f.Fuzz(func(t *testing.T, src string) { rewriteAndRender(t, src, nil) })
}

func checkError(t *testing.T, src string, err error) {
	t.Helper()
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("error is not an *Error: %T %v\nsource: %q", err, err, src)
	}
	if je.File != "models/f.sql" {
		t.Fatalf("error in file %q: %v\nsource: %q", je.File, err, src)
	}
	if lines := strings.Count(src, "\n") + 1; je.Line < 1 || je.Line > lines || je.Col < 1 {
		t.Fatalf("error position %d:%d outside the source (%d lines): %v\nsource: %q", je.Line, je.Col, lines, err, src)
	}
	for _, leak := range []string{"[Error", "__mart", "pongo2"} {
		if strings.Contains(je.Msg, leak) {
			t.Fatalf("error leaks %q: %v\nsource: %q", leak, err, src)
		}
	}
}

// FuzzExpr fuzzes the expression parser and evaluator: the input is put
// inside {{ }}, so most mutations stay expressions.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{
		"1 + 2 * 3", "'a' ~ 1.5", "[1, 2][0]", "{'a': [1, 2]}['a'][-1]", "x if y else z", "none or 'd'",
		"'%s-%d' % ('a', 1)", "'{}'.format(1)", "[3, 1, 2] | sort | join(',')", "range(3) | list",
		"1 < 2 < 3", "'a' in 'abc'", "not 1 == 2", "2 ** -1", "7 // -2", "'abc'[::-1]", "(1,)",
		"namespace(a=1).a", "dict(a=1).items() | list", "'x' is string", "5 is divisibleby 2",
		"[{'k': 1}] | map(attribute='k') | sum", "'a b' | title | replace('A', 'b') | length",
		"zip([1], ['a'])", "'a,b'.split(',')", "{'a': 1}.get('b', 2)", "-3 | abs", "3.7 | int",
		"'{:>5}'.format('a')", "'%05.1f' % 3.14159", "[1, 2] + [3]", "'x' * 3", "'' or [] or 0",
	} {
		f.Add(s)
	}
	old := MaxSteps
	MaxSteps = 20_000
	defer func() { MaxSteps = old }()
	f.Fuzz(func(t *testing.T, x string) {
		if strings.Contains(x, "}}") {
			return
		}
		rewriteAndRender(t, "{{ "+x+" }}", map[string]any{"x": 1, "y": []any{1, "a"}, "z": map[string]any{"k": 2.5}})
	})
}

// rewriteAndRender runs src through the pre-pass, pongo2's parse and a
// render with ctx: an error must be an *Error inside the file, and the
// rewritten text must always parse.
func rewriteAndRender(t *testing.T, src string, ctx map[string]any) {
	rw, err := Rewrite("models/f.sql", src)
	if err != nil {
		checkError(t, src, err)
		return
	}
	tpl, err := rw.parse()
	if err != nil {
		t.Fatalf("the rewritten text does not parse: %v\nsource: %q\nrewritten: %q", err, src, rw.Text)
	}
	_, err = (&Template{Path: "models/f.sql", engine: NewEngine(), tpl: tpl, prog: rw.prog}).Render(ctx)
	if err != nil {
		checkError(t, src, err)
	}
}
