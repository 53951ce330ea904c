package compiler

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A node's fingerprint changes when a macro it calls changes (also through
// another macro) or a var or env var it reads changes, and only then.
func TestFingerprints(t *testing.T) {
	files := map[string]string{
		"mart.yml":         "name: p\nvars: {rate: 2}\n",
		"macros/outer.sql": "{% macro outer(x) %}{{ inner(x) }} * {{ var('rate') }}{% endmacro %}\n\n{% macro other() %}1{% endmacro %}\n",
		"macros/inner.sql": "{% macro inner(x) %}({{ x }} + 1){% endmacro %}\n",
		"models/a.sql":     "select {{ outer('id') }} as v from (select 1 as id) t",
		"models/b.sql":     "select {{ other() }} as v, '{{ env_var('MART_FP_ENV', 'x') }}' as e",
		"models/c.sql":     "select 1 as v",
	}
	t.Setenv("MART_PROFILES_DIR", "")
	t.Setenv("MART_FP_ENV", "one")
	fp := func(files map[string]string) map[string]*Fingerprint {
		t.Helper()
		res, diags := Compile(Options{ProjectDir: writeProject(t, files)})
		require.False(t, diags.HasErrors(), "%v", diags)
		out := map[string]*Fingerprint{}
		for _, n := range []string{"a", "b", "c"} {
			out[n] = res.Manifest.Nodes["model.p."+n].Fingerprint
		}
		return out
	}
	base := fp(files)
	require.NotNil(t, base["a"])
	assert.Equal(t, []string{"rate"}, base["a"].VarNames, "read by a macro it calls")
	assert.Equal(t, []string{"MART_FP_ENV"}, base["b"].EnvVarNames)
	assert.Nil(t, base["c"], "no macros, no vars")

	changed := func(edit map[string]string) map[string]*Fingerprint {
		t.Helper()
		next := map[string]string{}
		for k, v := range files {
			next[k] = v
		}
		for k, v := range edit {
			next[k] = v
		}
		return fp(next)
	}
	inner := changed(map[string]string{"macros/inner.sql": "{% macro inner(x) %}({{ x }} + 2){% endmacro %}\n"})
	assert.NotEqual(t, base["a"].Macros, inner["a"].Macros, "a calls inner through outer")
	assert.Equal(t, base["b"].Macros, inner["b"].Macros, "b does not call inner")

	other := changed(map[string]string{"macros/outer.sql": "{% macro outer(x) %}{{ inner(x) }} * {{ var('rate') }}{% endmacro %}\n\n{% macro other() %}2{% endmacro %}\n"})
	assert.Equal(t, base["a"].Macros, other["a"].Macros, "a macro of the same file that a does not call")
	assert.NotEqual(t, base["b"].Macros, other["b"].Macros)

	rate := changed(map[string]string{"mart.yml": "name: p\nvars: {rate: 3}\n"})
	assert.NotEqual(t, base["a"].Vars, rate["a"].Vars)
	assert.Equal(t, base["b"].Vars, rate["b"].Vars)

	t.Setenv("MART_FP_ENV", "two")
	env := fp(files)
	assert.NotEqual(t, base["b"].Vars, env["b"].Vars)
	assert.Equal(t, base["a"].Vars, env["a"].Vars)
}

func TestScanCalls(t *testing.T) {
	text := `{{ var("a") }} {{ var( 'b', 1) }} {{ env_var('E') }} {{ x.var('no') }} {{ myvar('no') }} {{ var(name) }} {{ var('a') }}`
	assert.Equal(t, []string{"a", "b"}, scanCalls(text, "var"))
	assert.Equal(t, []string{"E"}, scanCalls(text, "env_var"))
}
