package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// review45b: commands that load from a snapshot patched after an env var
// changed (cc8d114) against the same commands with --no-partial-parse.

func envProject(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: envp\nmodels:\n  envp:\n    +materialized: table\n")
	writeFile(t, dir, "macros/m.sql", "{% macro stamp() %}'{{ env_var(\"R_M\", \"m\") }}'{% endmacro %}\n")
	writeFile(t, dir, "models/a.sql", "select 1 as id, '{{ env_var(\"R_A\", \"a\") }}' as a\n")
	writeFile(t, dir, "models/b.sql", "select id, a, {{ stamp() }} as m from {{ ref('a') }}\n")
	writeFile(t, dir, "models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id, '{{ env_var(\"R_E\", \"e\") }}' as e\n")
	writeFile(t, dir, "models/c.sql", "select * from {{ ref('eph') }}\n")
	writeFile(t, dir, "models/inc.sql", "{{ config(materialized='incremental', unique_key='id') }}\nselect id, '{{ env_var(\"R_I\", \"i\") }}' as i from {{ ref('a') }}\n{% if is_incremental() %}where '{{ env_var(\"R_I2\", \"j\") }}' <> 'skip'{% endif %}\n")
	writeFile(t, dir, "models/h.sql", "{{ config(post_hook=\"create or replace table main.audit as select '{{ env_var('R_H', 'h') }}' as h\") }}\nselect 1 as id\n")
	writeFile(t, dir, "models/ok.sql", "{{ config(enabled=env_var('R_EN', 'no') == 'yes') }}\nselect 1 as id\n")
	writeFile(t, dir, "models/uses_ok.sql", "select 1 as id\n")
	writeFile(t, dir, "tests/t.sql", "select * from {{ ref('a') }} where a = '{{ env_var(\"R_T\", \"never\") }}'\n")
	return dir
}

func TestReview45bRunsAfterEnvChanges(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	light, whole := envProject(t), envProject(t)
	for _, dir := range []string{light, whole} {
		r := martEnv(t, dir, []string{"R_A=1", "R_M=1", "R_E=1", "R_I=1", "R_H=1"}, "build")
		require.Equal(t, 0, r.Code, r.String())
	}
	for i, step := range []struct {
		env  []string
		args []string
	}{
		{[]string{"R_A=2", "R_M=1", "R_E=1", "R_I=1", "R_H=1"}, []string{"build", "--select", "c"}},
		{[]string{"R_A=2", "R_M=1", "R_E=1", "R_I=1", "R_H=1"}, []string{"build", "--select", "a"}},
		{[]string{"R_A=2", "R_M=2", "R_E=2", "R_I=1", "R_H=1"}, []string{"run", "--select", "b"}},
		{[]string{"R_A=2", "R_M=2", "R_E=2", "R_I=1", "R_H=1"}, []string{"run", "--select", "c"}},
		{[]string{"R_A=3", "R_M=2", "R_E=2", "R_I=2", "R_H=2"}, []string{"build", "--select", "inc", "h"}},
		{[]string{"R_A=3", "R_M=2", "R_E=2", "R_I=2", "R_I2=skip", "R_H=3"}, []string{"build", "--select", "inc", "h"}},
		{[]string{"R_A=4", "R_M=2", "R_E=2", "R_I=2", "R_H=3", "R_T=4"}, []string{"build", "--select", "a", "t"}},
		{[]string{"R_A=4", "R_M=2", "R_E=2", "R_I=2", "R_H=3", "R_T=4", "R_EN=yes"}, []string{"build", "--select", "ok"}},
		{[]string{"R_A=5", "R_M=3", "R_E=2", "R_I=2", "R_H=3", "R_EN=yes"}, []string{"build"}},
	} {
		what := fmt.Sprintf("step %d: %v mart %s", i, step.env, strings.Join(step.args, " "))
		args := step.args
		if args[0] == "build" || args[0] == "run" {
			args = append(args, "--threads", "1")
		}
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, step.env...), args...)
		b := martEnv(t, whole, step.env, append(args, "--no-partial-parse")...)
		require.True(t, strings.Contains(a.Stderr, "mart timing: load") || strings.Contains(a.Stderr, "mart timing: list") || len(args) == 1 || slices.Contains(args, "--inline"), "%s: loaded from the patch: %s", what, noSelectionReason(a.Stderr))
		t.Logf("%s: %s", what, noSelectionReason(a.Stderr))
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
		require.Equal(t, tables(t, whole), tables(t, light), what)
	}
}

func TestReview45bListShowCompileAfterEnvChanges(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	light, whole := envProject(t), envProject(t)
	for _, dir := range []string{light, whole} {
		r := martEnv(t, dir, []string{"R_A=1"}, "build")
		require.Equal(t, 0, r.Code, r.String())
	}
	for i, step := range []struct {
		env  []string
		args []string
	}{
		{[]string{"R_A=2"}, []string{"ls", "--output", "json", "--output-keys", "unique_id", "compiled_code"}},
		{[]string{"R_A=3", "R_E=3"}, []string{"show", "--select", "c"}},
		{[]string{"R_A=4", "R_E=3"}, []string{"show", "--select", "b"}},
		{[]string{"R_A=5", "R_M=5"}, []string{"compile", "--select", "b"}},
		{[]string{"R_A=6", "R_EN=yes"}, []string{"ls", "--output", "json", "--output-keys", "unique_id", "compiled_code"}},
		{[]string{"R_A=6", "R_EN=yes"}, []string{"ls", "--select", "ok"}},
		{[]string{"R_A=7", "R_EN=no"}, []string{"compile", "--select", "a", "--inline", "select * from {{ ref('a') }}"}},
	} {
		what := fmt.Sprintf("step %d: %v mart %s", i, step.env, strings.Join(step.args, " "))
		args := step.args
		if args[0] == "build" || args[0] == "run" {
			args = append(args, "--threads", "1")
		}
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, step.env...), args...)
		b := martEnv(t, whole, step.env, append(args, "--no-partial-parse")...)
		require.True(t, strings.Contains(a.Stderr, "mart timing: load") || strings.Contains(a.Stderr, "mart timing: list") || len(args) == 1 || slices.Contains(args, "--inline"), "%s: loaded from the patch: %s", what, noSelectionReason(a.Stderr))
		t.Logf("%s: %s", what, noSelectionReason(a.Stderr))
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
	}
}

func TestReview45bStateModifiedAfterEnvChange(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	light, whole := envProject(t), envProject(t)
	for _, dir := range []string{light, whole} {
		r := martEnv(t, dir, []string{"R_A=1"}, "build")
		require.Equal(t, 0, r.Code, r.String())
		writeFile(t, dir, "prod-state/manifest.json", readFile(t, dir, "target/manifest.json"))
	}
	for i, step := range []struct {
		env  []string
		args []string
	}{
		{[]string{"R_A=2"}, []string{"ls", "--select", "state:modified+", "--state", "prod-state"}},
		{[]string{"R_A=2", "R_M=2"}, []string{"ls", "--select", "state:modified", "--state", "prod-state"}},
		{[]string{"R_A=3", "R_M=2", "R_E=3"}, []string{"build", "--select", "state:modified+", "--state", "prod-state", "--threads", "1"}},
		{[]string{"R_A=4", "R_M=2", "R_E=3"}, []string{"build", "--select", "c", "--defer", "--state", "prod-state", "--threads", "1"}},
		{[]string{"R_A=4", "R_M=2", "R_E=4"}, []string{"build", "--select", "c", "--defer", "--state", "prod-state", "--threads", "1"}},
		{[]string{"R_A=5", "R_M=2", "R_E=4"}, []string{"ls", "--select", "state:modified.body", "--state", "prod-state"}},
		{[]string{"R_A=5", "R_M=2", "R_E=4"}, []string{"ls", "--select", "state:modified.configs", "--state", "prod-state"}},
	} {
		what := fmt.Sprintf("step %d: %v mart %s", i, step.env, strings.Join(step.args, " "))
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, step.env...), step.args...)
		b := martEnv(t, whole, step.env, append(step.args, "--no-partial-parse")...)
		t.Logf("%s: %s", what, noSelectionReason(a.Stderr))
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		if step.args[0] == "build" {
			require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
			require.Equal(t, tables(t, whole), tables(t, light), what)
		}
	}
}

func TestReview45bWarehouseModelEnv(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	mk := func() string {
		dir := t.TempDir()
		writeFile(t, dir, "mart.yml", "name: wq\nmodels:\n  wq:\n    +materialized: table\n")
		writeFile(t, dir, "models/base.sql", "select 1 as id\n")
		writeFile(t, dir, "models/wq.sql", "{% set n = run_query(\"select count(*) from \" ~ ref('base') ~ \" where id <> \" ~ env_var('R_W', '0')).columns[0].values()[0] if execute else 0 %}\nselect {{ n }} as n, '{{ env_var('R_W', '0') }}' as w\n")
		writeFile(t, dir, "models/after.sql", "select * from {{ ref('wq') }}\n")
		return dir
	}
	light, whole := mk(), mk()
	for _, dir := range []string{light, whole} {
		r := martEnv(t, dir, []string{"R_W=0"}, "build", "--threads", "1")
		require.Equal(t, 0, r.Code, r.String())
	}
	for i, step := range []struct {
		env  []string
		args []string
	}{
		{[]string{"R_W=1"}, []string{"build", "--select", "wq", "after", "--threads", "1"}},
		{[]string{"R_W=2"}, []string{"compile"}},
		{[]string{"R_W=3"}, []string{"ls", "--output", "json", "--output-keys", "unique_id", "compiled_code"}},
		{[]string{"R_W=4"}, []string{"run", "--select", "after", "--threads", "1"}},
		{[]string{"R_W=4"}, []string{"run", "--select", "wq", "--threads", "1"}},
	} {
		what := fmt.Sprintf("step %d: %v mart %s", i, step.env, strings.Join(step.args, " "))
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, step.env...), step.args...)
		b := martEnv(t, whole, step.env, append(step.args, "--no-partial-parse")...)
		t.Logf("%s: %s", what, noSelectionReason(a.Stderr))
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		if step.args[0] == "build" || step.args[0] == "run" {
			require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
			require.Equal(t, tables(t, whole), tables(t, light), what)
		}
		if step.args[0] == "compile" {
			require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what)
			require.Equal(t, readFile(t, whole, "target/compiled/models/wq.sql"), readFile(t, light, "target/compiled/models/wq.sql"), what)
		}
	}
}

// FINDING (pre-existing: cc8d114's parent does the same). A disabled
// model whose config() reads an env var, rendered from the render cache
// (target/partial_parse.gob, which a run's first compile writes) by a
// whole compile: the snapshot does not watch that env var. After it
// changes to enable the model, `mart build --select solo` loads from the
// patch, where solo is still disabled, and builds nothing; without
// partial parsing it builds main.solo.
func TestReview45bCachedDisabledModelEnabledByEnv(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	mk := func() string {
		dir := t.TempDir()
		writeFile(t, dir, "mart.yml", "name: p\n")
		writeFile(t, dir, "models/solo.sql", "{{ config(enabled=env_var('R_EN3', 'no') == 'yes') }}\nselect 1 as id\n")
		writeFile(t, dir, "models/c.sql", "select 1 as id\n")
		writeFile(t, dir, "models/_p.yml", "version: 2\nmodels:\n  - name: c\n    description: \"{{ env_var('R_CB', 'x') }}\"\n")
		return dir
	}
	light, whole := mk(), mk()
	for i, step := range []struct {
		env  []string
		args []string
	}{
		{[]string{"R_CB=1"}, []string{"build", "--threads", "1"}},
		{[]string{"R_CB=2"}, []string{"compile"}}, // whole: an env var a YAML file reads
		{[]string{"R_CB=2", "R_EN3=yes"}, []string{"build", "--select", "solo", "--threads", "1"}},
	} {
		what := fmt.Sprintf("step %d: %v mart %s", i, step.env, strings.Join(step.args, " "))
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, step.env...), step.args...)
		b := martEnv(t, whole, step.env, append(step.args, "--no-partial-parse")...)
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
	}
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
}

// An incremental model (rendered again when it runs, is_incremental()
// true) and a unit test over a model, both inlining an ephemeral model
// that reads an env var; their runs load from the patch after the env var
// changed.
func TestReview45bRunTimeRenderOfEphemeralReader(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	mk := func() string {
		dir := t.TempDir()
		writeFile(t, dir, "mart.yml", "name: rt\n")
		writeFile(t, dir, "macros/m.sql", "{% macro tag() %}'{{ env_var(\"R_RM\", \"m\") }}'{% endmacro %}\n")
		writeFile(t, dir, "models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id, '{{ env_var(\"R_RE\", \"e\") }}' as e, {{ tag() }} as t\n")
		writeFile(t, dir, "models/inc.sql", "{{ config(materialized='incremental', unique_key='id') }}\nselect id, e, t, '{{ env_var(\"R_RI\", \"i\") }}' as i from {{ ref('eph') }}\n{% if is_incremental() %}where id >= (select min(id) from {{ this }}){% endif %}\n")
		writeFile(t, dir, "models/u.sql", "select id, e || '-' || t as et from {{ ref('eph') }}\n")
		writeFile(t, dir, "models/_u.yml", "version: 2\nunit_tests:\n  - name: ut\n    model: u\n    given:\n      - input: ref('eph')\n        rows:\n          - {id: 1, e: a, t: b}\n    expect:\n      rows:\n        - {id: 1, et: a-b}\n")
		return dir
	}
	light, whole := mk(), mk()
	for i, step := range []struct {
		env  []string
		args []string
	}{
		{[]string{"R_RE=1", "R_RM=1", "R_RI=1"}, []string{"build", "--threads", "1"}},
		{[]string{"R_RE=2", "R_RM=1", "R_RI=1"}, []string{"build", "--select", "inc", "--threads", "1"}},
		{[]string{"R_RE=2", "R_RM=2", "R_RI=1"}, []string{"build", "--select", "inc", "--threads", "1"}},
		{[]string{"R_RE=3", "R_RM=3", "R_RI=3"}, []string{"build", "--select", "inc", "u", "--threads", "1"}},
		{[]string{"R_RE=4", "R_RM=3", "R_RI=3"}, []string{"test", "--select", "u", "--threads", "1"}},
		{[]string{"R_RE=4", "R_RM=4", "R_RI=4"}, []string{"run", "--select", "inc", "--threads", "1"}},
	} {
		what := fmt.Sprintf("step %d: %v mart %s", i, step.env, strings.Join(step.args, " "))
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, step.env...), step.args...)
		b := martEnv(t, whole, step.env, append(step.args, "--no-partial-parse")...)
		t.Logf("%s: %s", what, noSelectionReason(a.Stderr))
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
		require.Equal(t, tables(t, whole), tables(t, light), what)
	}
}

// profiles.yml's schema from an env var that a model reads too: its
// change renames every relation (compiled whole).
func TestReview45bProfileEnvVar(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	mk := func() string {
		dir := t.TempDir()
		writeFile(t, dir, "mart.yml", "name: pe\nprofile: pe\n")
		writeFile(t, dir, "profiles.yml", "pe:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/mart.duckdb\n      schema: \"{{ env_var('R_PSCH', 'main') }}\"\n")
		writeFile(t, dir, "models/a.sql", "select '{{ env_var(\"R_PSCH\", \"main\") }}' as s\n")
		writeFile(t, dir, "models/b.sql", "select * from {{ ref('a') }}\n")
		return dir
	}
	light, whole := mk(), mk()
	for i, step := range []struct {
		env  []string
		args []string
	}{
		{[]string{"R_PSCH=s1"}, []string{"build", "--threads", "1"}},
		{[]string{"R_PSCH=s2"}, []string{"build", "--select", "b", "--threads", "1"}},
		{[]string{"R_PSCH=s3"}, []string{"ls", "--output", "json", "--output-keys", "unique_id", "compiled_code", "relation_name"}},
		{[]string{"R_PSCH=s3"}, []string{"compile"}},
	} {
		what := fmt.Sprintf("step %d: %v mart %s", i, step.env, strings.Join(step.args, " "))
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, step.env...), step.args...)
		b := martEnv(t, whole, step.env, append(step.args, "--no-partial-parse")...)
		t.Logf("%s: %s", what, noSelectionReason(a.Stderr))
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		if step.args[0] == "build" {
			require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
			require.Equal(t, tables(t, whole), tables(t, light), what)
		}
	}
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
}
