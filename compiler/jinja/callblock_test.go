package jinja

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// {% call %} blocks: a macro sees the body as caller(), with caller
// arguments; a Go function gets it as the keyword argument "caller".
func TestCallBlocks(t *testing.T) {
	e := NewEngine()
	require.NoError(t, e.AddMacros([]File{{Path: "macros/m.sql", Src: `
{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}
{% macro each(xs) %}{% for x in xs %}{{ caller(x, loop.index) }}{% endfor %}{% endmacro %}
{% macro unused() %}{% call statement('never', fetch_result=True) %}select 1{% endcall %}{% endmacro %}
`}}, nil))
	var got []string
	statement := Func(func(args []any, kw map[string]any) (any, error) {
		caller := kw["caller"].(Func)
		body, err := caller(nil, nil)
		if err != nil {
			return nil, err
		}
		got = append(got, Str(args[0])+":"+Str(body))
		return "", nil
	})
	ctx := map[string]any{"statement": statement}
	assert.Equal(t, "<b>x 7</b>", render(t, e, `{% set n = 7 %}{% call wrap('b') %}x {{ n }}{% endcall %}`, ctx))
	assert.Equal(t, "a1;b2;", render(t, e, `{% call(item, i) each(['a', 'b']) %}{{ item }}{{ i }};{% endcall %}`, ctx))
	assert.Equal(t, "", render(t, e, "{% call statement('main') %}select {{ 1 + 1 }} as two{% endcall %}", ctx))
	assert.Equal(t, []string{"main:select 2 as two"}, got)
	// a macro that is never called may hold a call block: it parses
	assert.Equal(t, "ok", render(t, e, `ok`, ctx))

	_, err := e.Parse("models/bad.sql", "{% call 1 + 2 %}x{% endcall %}")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "models/bad.sql:1:9: {% call %} needs a call")
	_, err = e.Parse("models/bad.sql", "{% call wrap('b') %}x")
	require.Error(t, err)
}

func TestYAMLHelpers(t *testing.T) {
	e := NewEngine()
	assert.Equal(t, "2 b", render(t, e, `{% set d = fromyaml("a: 2\nxs: [a, b]") %}{{ d.a }} {{ d.xs[1] }}`, nil))
	assert.Equal(t, "a: 1\n", render(t, e, `{{ toyaml({'a': 1}) }}`, nil))
	assert.Equal(t, "none", render(t, e, `{{ fromyaml("{", 'none') }}`, nil))
}
