package jinja

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Regression tests: one per bug found in the pongo2-based pre-pass. The
// broader Jinja behaviour is pinned by TestJinjaCompat.

func renderErr(t *testing.T, e *Engine, src string, ctx map[string]any) error {
	t.Helper()
	tpl, err := e.Parse("models/m.sql", src)
	if err != nil {
		return err
	}
	_, err = tpl.Render(ctx)
	require.Error(t, err, src)
	return err
}

func TestJinjaFloatsPrintLikePython(t *testing.T) {
	// pongo2 printed 0.500000
	e := NewEngine()
	require.Equal(t, "0.5 1.0 2.5 1e+20 0.1", render(t, e, `{{ 0.5 }} {{ 1.0 }} {{ 1.25 * 2 }} {{ 1e20 }} {{ 0.1 }}`, nil))
	require.Equal(t, "a1.5", render(t, e, `{{ 'a' ~ 1.5 }}`, nil))
	require.Equal(t, "[0.5, 1.5]", render(t, e, `{{ [0.5, 1.5] }}`, nil))
}

func TestJinjaUnknownIsTestIsAnError(t *testing.T) {
	// `x is foo` was silently false
	_, err := NewEngine().Parse("models/m.sql", "{% if x is nonee %}{% endif %}")
	require.EqualError(t, err, "models/m.sql:1:12: unknown test 'nonee' in 'is nonee': did you mean 'none'?")
}

func TestJinjaErrorsDoNotLeakRewrittenNames(t *testing.T) {
	// messages used to mention __kw, __list, __dict or forloop
	e := testEngine(t)
	for _, src := range []string{
		"{{ cents(nope=1) }}",
		"{{ [1, 2] | join(1, 2, 3) }}",
		"{% for x in [1] %}{{ loop.index.foo() }}{% endfor %}",
		"{{ {'a': 1}.nope() }}",
		"{{ cents() ~ missing() }}",
	} {
		err := renderErr(t, e, src, nil)
		for _, leak := range []string{"__", "forloop", "pongo2", "[Error"} {
			require.NotContains(t, err.Error(), leak, src)
		}
	}
}

func TestJinjaForOverDictItems(t *testing.T) {
	e := NewEngine()
	require.Equal(t, "b=2;a=1;", render(t, e, `{% set d = {'b': 2, 'a': 1} %}{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}`, nil))
	require.Equal(t, "a=1;b=2;", render(t, e, `{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}`, map[string]any{"m": map[string]any{"b": 2, "a": 1}}))
}

func TestJinjaTildeConcatenatesNumbers(t *testing.T) {
	// `1 ~ 2` added the numbers
	require.Equal(t, "12 a1 x_3", render(t, NewEngine(), `{{ 1 ~ 2 }} {{ 'a' ~ 1 }} {{ 'x_' ~ (1 + 2) }}`, nil))
}

func TestJinjaConfigInsideMacro(t *testing.T) {
	e := NewEngine()
	require.NoError(t, e.AddMacros([]File{{Path: "macros/m.sql", Src: `{% macro as_table() %}{{ config(materialized='table', tags=['a', 'b']) }}{% endmacro %}`}}, nil))
	got := map[string]any{}
	ctx := map[string]any{"config": Func(func(args []any, kw map[string]any) (any, error) {
		for k, v := range kw {
			got[k] = Native(v)
		}
		return "", nil
	})}
	require.Equal(t, "select 1", render(t, e, "{{ as_table() }}select 1", ctx))
	require.Equal(t, map[string]any{"materialized": "table", "tags": []any{"a", "b"}}, got)
}

func TestJinjaSetInsideForIsLoopLocal(t *testing.T) {
	// pongo2 carried the value across iterations: "13|0"; Jinja gives "12|0"
	e := NewEngine()
	require.Equal(t, "12|0", render(t, e, `{% set n = 0 %}{% for x in [1, 2] %}{% set n = n + x %}{{ n }}{% endfor %}|{{ n }}`, nil))
	require.Equal(t, "3", render(t, e, `{% set ns = namespace(n=0) %}{% for x in [1, 2] %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}`, nil))
	require.Equal(t, "[1, 2]", render(t, e, `{% set xs = [] %}{% for x in [1, 2] %}{% do xs.append(x) %}{% endfor %}{{ xs }}`, nil))
}

func TestJinjaErrorsInsideMacrosPointAtTheMacro(t *testing.T) {
	e := NewEngine()
	require.NoError(t, e.AddMacros([]File{{Path: "macros/m.sql", Src: "{% macro outer() %}\n{{ inner() }}\n{% endmacro %}\n{% macro inner() %}\nline 5\n  {{ undefined_thing() }}\n{% endmacro %}\n"}}, nil))
	err := renderErr(t, e, "select\n  {{ outer() }}", nil)
	var je *Error
	require.ErrorAs(t, err, &je)
	require.Equal(t, "macros/m.sql", je.File)
	require.Equal(t, 6, je.Line)
	require.Equal(t, 6, je.Col)
	require.Equal(t, "'undefined_thing' is undefined: no macro, function or variable of that name", je.Msg)
	require.Equal(t, "in macro inner, called from macros/m.sql:2:4\nin macro outer, called from models/m.sql:2:6", je.Detail)
}

func TestJinjaUnknownFunctionsAreErrors(t *testing.T) {
	// pongo2 printed nothing for {{ foo(1) }}
	err := renderErr(t, testEngine(t), "select\n  {{ centz('a') }}", nil)
	require.EqualError(t, err, "models/m.sql:2:6: 'centz' is undefined: no macro, function or variable of that name; did you mean 'cents'?")
	_, err = NewEngine().Parse("models/m.sql", "{{ 'x' | nofilter }}")
	require.EqualError(t, err, "models/m.sql:1:10: unknown filter 'nofilter'")
}

func TestJinjaAndOrReturnTheirOperands(t *testing.T) {
	// pongo2's `or` returned True, breaking {% set s = custom or default %}
	e := NewEngine()
	require.Equal(t, "dflt|x|0", render(t, e, `{{ none or 'dflt' }}|{{ 'x' or 'y' }}|{{ 0 and 1 }}`, nil))
	// and binds tighter than or; not looser than ==
	require.Equal(t, "True True", render(t, e, `{{ false and x or true }} {{ not 1 == 2 }}`, nil))
}

func TestJinjaArithmeticIsPython(t *testing.T) {
	// 3 / 2 was 1; 1 / 0 panicked
	e := NewEngine()
	require.Equal(t, "1.5 1 -4 8 1", render(t, e, `{{ 3 / 2 }} {{ 3 // 2 }} {{ -7 // 2 }} {{ 2 ** 3 }} {{ 7 % 3 }}`, nil))
	require.EqualError(t, renderErr(t, e, `{{ 1 / 0 }}`, nil), "models/m.sql:1:6: division by zero")
	require.EqualError(t, renderErr(t, e, `{{ 1 % 0 }}`, nil), "models/m.sql:1:6: integer division or modulo by zero")
	require.Equal(t, "[1, 2, 3] abab", render(t, e, `{{ [1, 2] + [3] }} {{ 'ab' * 2 }}`, nil))
}

func TestJinjaStringEscapesKeepUnknownBackslashes(t *testing.T) {
	// '\d' lost its backslash; regexes in SQL need it
	require.Equal(t, `\d+ a	b it's`, render(t, NewEngine(), `{{ '\d+' }} {{ "a\tb" }} {{ 'it\'s' }}`, nil))
}

func TestJinjaNoneAndUndefined(t *testing.T) {
	e := NewEngine()
	require.Equal(t, "None||d|False", render(t, e, `{{ none }}|{{ missing }}|{{ missing | default('d') }}|{{ missing is defined }}`, nil))
	require.EqualError(t, renderErr(t, e, `{{ missing.attr }}`, nil), "models/m.sql:1:4: 'missing' is undefined, so it has no attribute 'attr'")
}

func TestJinjaSubscriptsAndSlices(t *testing.T) {
	// {'a': {'b': 1}}['a'] and 'abc'[1:] did not parse
	require.Equal(t, "1 bc [3, 2, 1] c", render(t, NewEngine(), `{{ {'a': {'b': 1}}['a']['b'] }} {{ 'abc'[1:] }} {{ [1, 2, 3][::-1] }} {{ 'abc'[-1] }}`, nil))
}

func TestJinjaConditionalExpressionIsLazy(t *testing.T) {
	// only the branch taken runs: a ref() in the other must not count
	calls := 0
	ctx := map[string]any{"ref": Func(func(args []any, kw map[string]any) (any, error) {
		calls++
		return Str(args[0]), nil
	})}
	require.Equal(t, "a", render(t, NewEngine(), `{{ ref('a') if true else ref('b') }}`, ctx))
	require.Equal(t, 1, calls)
}

func TestJinjaMacroDefaultsAndReturn(t *testing.T) {
	e := NewEngine()
	require.NoError(t, e.AddMacros([]File{{Path: "macros/m.sql", Src: `
{% macro pick(xs, n=2, sep=', ') %}{{ return(xs[:n] | join(sep)) }}{% endmacro %}
{% macro kw(a) %}{{ a }}{% for k, v in kwargs.items() %} {{ k }}={{ v }}{% endfor %}{% endmacro %}
`}}, nil))
	require.Equal(t, "a, b|a-b-c|1 x=2", render(t, e, `{{ pick(['a', 'b', 'c']) }}|{{ pick(['a', 'b', 'c'], 3, sep='-') }}|{{ kw(1, x=2) }}`, nil))
	require.Equal(t, 2, e.Macro("pick").Line)
}

func TestJinjaLoopControls(t *testing.T) {
	require.Equal(t, "01|024", render(t, NewEngine(), `{% for i in range(5) %}{% if i == 2 %}{% break %}{% endif %}{{ i }}{% endfor %}|{% for i in range(5) %}{% if i is odd %}{% continue %}{% endif %}{{ i }}{% endfor %}`, nil))
	_, err := NewEngine().Parse("models/m.sql", "{% break %}")
	require.EqualError(t, err, "models/m.sql:1:1: {% break %} outside of a {% for %} loop")
}

func TestJinjaTextThatLooksLikeATag(t *testing.T) {
	// literal braces next to tags must stay text
	e := NewEngine()
	require.Equal(t, "a{{x}", render(t, e, "a{ {{- '' -}} {x}", nil))
	require.Equal(t, "{%", render(t, e, "{{ '{' }}%", nil))
	require.Equal(t, "{", render(t, e, "{{- '' }}{", nil))
	require.Equal(t, "{#x", render(t, e, "{ {#- c -#} #x", nil))
}

func TestJinjaWhitespaceControl(t *testing.T) {
	e := NewEngine()
	require.Equal(t, "a\nbc", render(t, e, "a\n{%- if true %}\nb{% endif -%}\n c", nil))
	require.Equal(t, "x", render(t, e, "  {#- comment -#}  x", nil))
	require.Equal(t, "line\n", render(t, e, "line\n\n", nil), "one trailing newline is dropped, as in Jinja")
}

func TestJinjaDictLiteralsKeepTheirOrder(t *testing.T) {
	src := `{% set cols = {'z': 'int', 'a': 'text', 'm': 'date'} %}{% for c, t in cols.items() %}{{ c }} {{ t }}{{ ', ' if not loop.last }}{% endfor %}`
	require.Equal(t, "z int, a text, m date", render(t, NewEngine(), src, nil))
}

func TestJinjaUnsupportedTagsSayWhat(t *testing.T) {
	for src, want := range map[string]string{
		"{% include 'x.sql' %}": "{% include %} is not supported",
	} {
		_, err := NewEngine().Parse("models/m.sql", src)
		require.Error(t, err, src)
		require.True(t, strings.Contains(err.Error(), want), "%s: %v", src, err)
	}
}

// Keyword arguments keep their call order (Python's), through **kwargs too.
func TestKwargsCallOrder(t *testing.T) {
	e := NewEngine()
	for src, want := range map[string]string{
		`{% macro m() %}{{ kwargs }}{% endmacro %}{{ m(z=1, a=2, **{'y': 3, 'b': 4}) }}`: `{'z': 1, 'a': 2, 'y': 3, 'b': 4}`,
		`{{ dict(z=1, a=2) }}|{{ dict({'q': 0}, z=1, a=2) }}`:                            `{'z': 1, 'a': 2}|{'q': 0, 'z': 1, 'a': 2}`,
		`{% set d = {'a': 0} %}{% do d.update(z=1, a=2, m=3) %}{{ d }}`:                  `{'a': 2, 'z': 1, 'm': 3}`,
		`{% macro m(b) %}{{ kwargs }}{% endmacro %}{{ m(z=dict(y=1, x=2), b=1, a=2) }}`:  `{'z': {'y': 1, 'x': 2}, 'a': 2}`,
	} {
		tpl, err := e.Parse("m.sql", src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tpl.Render(nil)
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", src, got, err, want)
		}
	}
}
