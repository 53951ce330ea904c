package jinja

import (
	"testing"
)

// A model as bench/projgen writes them: refs, a macro call with keyword
// arguments, a loop over a list literal.
const benchModel = `{{ config(materialized='table', tags=['t0', 'synth']) }}
-- m_1666 (layer_1/g_0): joins m_1570, m_193 on id.
{% set cols = ['id', 'name'] %}

with p1 as (
    select id, name, amount from {{ ref('m_1570') }}
),
p2 as (
    select id, name, amount from {{ ref('m_193') }}
)

select
    {% for c in cols %}p1.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %},
    cast(({{ add_one('p1.amount', step=4) }} + p2.amount + {{ var('v', 1) }}) % 1000 as integer) as amount
from p1
join p2 using (id)
`

func benchEngine(b *testing.B) (*Engine, map[string]any) {
	e := NewEngine()
	if err := e.AddMacros([]File{{Path: "macros/m.sql", Src: `{% macro add_one(x, step=1) %}({{ x }} + {{ step }}){% endmacro %}`}}, nil); err != nil {
		b.Fatal(err)
	}
	noop := Func(func(args []any, kw map[string]any) (any, error) { return "", nil })
	ref := Func(func(args []any, kw map[string]any) (any, error) { return Str(args[0]), nil })
	return e, map[string]any{"config": noop, "ref": ref, "var": ref}
}

func BenchmarkParse(b *testing.B) {
	e, _ := benchEngine(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Parse("models/m.sql", benchModel); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	e, ctx := benchEngine(b)
	tpl, err := e.Parse("models/m.sql", benchModel)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Render(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
