package compiler

import (
	"strings"
	"testing"
)

// Scenarios of review 35c (d1b332e: an edit of on-run-start or on-run-end
// hooks is patched, settingsSum and withoutVars leave them out). Every
// step is compared with a cold compile (runPatchSteps: manifest.json,
// target/compiled, diagnostics); a hook-only edit is asserted patched (the
// change's claim), anything else is not (PP_VERBOSE=1 logs it).

func r35cProj(head, tail string) string {
	return "name: rc\nversion: \"1.0.0\"\n" + head + "vars:\n  n: 1\nmodels:\n  rc:\n    +materialized: view\n" + tail
}

var r35cModels = map[string]string{
	"models/a.sql": "select {{ var('n') }} as n\n",
	"models/b.sql": "select n from {{ ref('a') }}\n",
}

func r35cFiles(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range r35cModels {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// hooks in a dbt-style project (dbt_project.yml, no mart.yml)
func TestReview35cHooksDbtProject(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"dbt_project.yml": r35cProj("", "")})},
		{name: "on-run-start added", patched: true, files: map[string]string{"dbt_project.yml": r35cProj("on-run-start: \"select 1\"\n", "")}},
		{name: "on-run-end added at the end", patched: true, files: map[string]string{"dbt_project.yml": r35cProj("on-run-start: \"select 1\"\n", "on-run-end:\n  - select 2\n  - \"{{ var('n') }}\"\n")}},
		{name: "both removed", patched: true, files: map[string]string{"dbt_project.yml": r35cProj("", "")}},
	})
}

// every YAML shape a hook may take, one after the other: the cold
// compile's say (loadProject reads them with strList, no diagnostic)
func TestReview35cHookShapes(t *testing.T) {
	shapes := []string{
		"on-run-start: \"select 1\"\n",
		"on-run-start: [\"select 1\", \"select 2\"]\n",
		"on-run-start: {a: 1}\n",
		"on-run-start: null\n",
		"on-run-start: ~\n",
		"on-run-start:\n",
		"on-run-start: 5\n",
		"on-run-start: 5.0\n",
		"on-run-start: [[select 1], {a: b}]\n",
		"on-run-start: |\n  select 1;\n  select 2\n",
		"on-run-start: !!binary aGVsbG8=\n",
		// (a hook naming graph is left out: the patched compile is the
		// cold one, but runPatchSteps wants every node loadable for a
		// run, which readsGraph refuses by design; e2e covers it)
		"on-run-start: \"{{ grap.nodes | length }}\"\n",
		"on-run-start: \"{% if true %}select 1{% endif\"\n", // a broken template: no compile renders it
		"on-run-start: []\n",
	}
	steps := []patchStep{{name: "cold", files: r35cFiles(map[string]string{"mart.yml": r35cProj("", "")})}}
	// (a number, a mapping, a list of other than strings and a binary
	// are errors since hookList, as in dbt: both compiles fail)
	invalid := map[string]bool{"on-run-start: {a: 1}\n": true, "on-run-start: 5\n": true, "on-run-start: 5.0\n": true,
		"on-run-start: [[select 1], {a: b}]\n": true, "on-run-start: !!binary aGVsbG8=\n": true}
	for _, s := range shapes {
		steps = append(steps, patchStep{name: strings.TrimSpace(s), any: true, coldFails: invalid[s], files: map[string]string{"mart.yml": r35cProj(s, "")}})
	}
	runPatchSteps(t, steps)
}

// a hook shares an anchor with a var (the whole text is hashed then), and
// a var is edited through it
func TestReview35cHookAnchorSharedWithVar(t *testing.T) {
	proj := func(v string) string {
		return "name: rc\nvars:\n  n: &h \"select " + v + "\"\non-run-start: [*h]\nmodels:\n  rc:\n    +materialized: view\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": proj("1")})},
		{name: "the anchored var edited (hook with it)", any: true, files: map[string]string{"mart.yml": proj("2")}},
		{name: "the alias gone, the hook its own", any: true, files: map[string]string{"mart.yml": "name: rc\nvars:\n  n: 2\non-run-start: [\"2\"]\nmodels:\n  rc:\n    +materialized: view\n"}},
		{name: "the var edited, the hook kept", any: true, files: map[string]string{"mart.yml": "name: rc\nvars:\n  n: 3\non-run-start: [\"2\"]\nmodels:\n  rc:\n    +materialized: view\n"}},
		{name: "a hook anchored and aliased in a folder config", any: true, files: map[string]string{"mart.yml": "name: rc\nvars:\n  n: 3\non-run-start: &h [\"select 9\"]\nmodels:\n  rc:\n    +materialized: view\n    +post-hook: *h\n"}},
		{name: "the anchored hook edited (the model's post-hook with it)", any: true, files: map[string]string{"mart.yml": "name: rc\nvars:\n  n: 3\non-run-start: &h [\"select 10\"]\nmodels:\n  rc:\n    +materialized: view\n    +post-hook: *h\n"}},
	})
}

// a hook edit in the same save as a var, a folder config and a model edit
func TestReview35cHookWithOtherEdits(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": r35cProj("on-run-start: [\"select 1\"]\n", "")})},
		{name: "hook and var", any: true, files: map[string]string{"mart.yml": strings.Replace(r35cProj("on-run-start: [\"select 2\"]\n", ""), "n: 1", "n: 2", 1)}},
		{name: "hook and model", any: true, files: map[string]string{"mart.yml": strings.Replace(r35cProj("on-run-start: [\"select 3\"]\n", ""), "n: 1", "n: 2", 1),
			"models/b.sql": "select n + 1 as n from {{ ref('a') }}\n"}},
		{name: "hook and folder config", any: true, files: map[string]string{"mart.yml": strings.Replace(r35cProj("on-run-start: [\"select 4\"]\n", ""), "+materialized: view", "+materialized: table", 1)}},
		{name: "hook and a model added", any: true, files: map[string]string{"mart.yml": strings.Replace(r35cProj("on-run-start: [\"select 5\"]\n", ""), "+materialized: view", "+materialized: table", 1),
			"models/c.sql": "select * from {{ ref('b') }}\n"}},
		{name: "hook and a model removed", any: true, remove: []string{"models/c.sql"}, files: map[string]string{"mart.yml": r35cProj("", "on-run-end: [\"select 6\"]\n")}},
	})
}

// a folder config warns (an unknown config key, at its line of mart.yml):
// a hook added above it moves that line, the cold compile names the new
// line
func TestReview35cHookMovesFolderConfigWarning(t *testing.T) {
	proj := func(hooks string) string {
		return "name: rc\n" + hooks + "vars:\n  n: 1\nmodels:\n  rc:\n    +materialized: view\n    +materialised: table\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": proj("")})},
		{name: "a hook above it", any: true, files: map[string]string{"mart.yml": proj("on-run-start:\n  - select 1\n  - select 2\n")}},
		{name: "a hook line more", any: true, files: map[string]string{"mart.yml": proj("on-run-start:\n  - select 1\n  - select 2\n  - select 3\n")}},
		{name: "hooks gone", any: true, files: map[string]string{"mart.yml": proj("")}},
		{name: "the warning gone, a hook added", any: true, files: map[string]string{"mart.yml": strings.Replace(proj("on-run-start: [x]\n"), "    +materialised: table\n", "", 1)}},
		{name: "hook lines added (nothing warns)", patched: true, files: map[string]string{"mart.yml": strings.Replace(proj("on-run-start:\n  - x\n  - y\n"), "    +materialised: table\n", "", 1)}},
		{name: "the warning back below the hooks", any: true, files: map[string]string{"mart.yml": proj("on-run-start:\n  - x\n  - y\n")}},
		{name: "and the hooks shortened", any: true, files: map[string]string{"mart.yml": proj("on-run-start: [x]\n")}},
	})
}

// a config value a folder sets that a check warns about (a model's
// warning names the folder config's line): hooks above it edited
func TestReview35cHookMovesFolderConfigError(t *testing.T) {
	proj := func(hooks string) string {
		return "name: rc\n" + hooks + "models:\n  rc:\n    +materialized: incremental\n    +on_schema_change: bogus\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": proj(""), "models/a.sql": "select 1 as n\n"})},
		{name: "a hook above", any: true, files: map[string]string{"mart.yml": proj("on-run-start: [\"select 1\"]\n")}},
		{name: "two hook lines", any: true, files: map[string]string{"mart.yml": proj("on-run-start:\n  - select 1\n  - select 2\n")}},
		{name: "the model edited too", any: true, files: map[string]string{"mart.yml": proj("on-run-start:\n  - select 1\n"), "models/a.sql": "select 2 as n\n"}},
	})
}

// the project file warns itself (an unknown top-level key, at its line):
// a hook added above moves it
func TestReview35cHookMovesProjectWarning(t *testing.T) {
	proj := func(hooks string) string {
		return "name: rc\n" + hooks + "vars:\n  n: 1\nmystery: 1\nmodels:\n  rc:\n    +materialized: view\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": proj("")})},
		{name: "a hook above", any: true, files: map[string]string{"mart.yml": proj("on-run-start: [\"select 1\"]\n")}},
		{name: "more hook lines", any: true, files: map[string]string{"mart.yml": proj("on-run-start:\n  - select 1\n  - select 2\n")}},
		{name: "the hook after the unknown key", any: true, files: map[string]string{"mart.yml": proj("") + "on-run-end: [\"select 1\"]\n"}},
	})
}

// a package's project file has hooks (no run reads them): edited
func TestReview35cPackageHooks(t *testing.T) {
	pkg := func(hooks string) string {
		return "name: pk\nversion: \"1.0.0\"\n" + hooks + "models:\n  pk:\n    +materialized: table\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": r35cProj("", ""),
			"dbt_packages/pk/dbt_project.yml": pkg(""), "dbt_packages/pk/models/pm.sql": "select 1 as id\n"})},
		{name: "a package hook added", patched: true, files: map[string]string{"dbt_packages/pk/dbt_project.yml": pkg("on-run-start: [\"select 1\"]\n")}},
		{name: "a package hook edited, more lines", patched: true, files: map[string]string{"dbt_packages/pk/dbt_project.yml": pkg("on-run-start:\n  - select 2\non-run-end:\n  - select 3\n")}},
		{name: "the package's hook and its folder config", any: true, files: map[string]string{"dbt_packages/pk/dbt_project.yml": strings.Replace(pkg("on-run-start: [x]\n"), "table", "view", 1)}},
		{name: "and the root's", patched: true, files: map[string]string{"mart.yml": r35cProj("on-run-start: [y]\n", "")}},
	})
}

// the hooks key written in other ways: quoted, twice, in a flow-style
// top mapping, with CRLF line ends, moved around the models: entry
func TestReview35cHookKeySpellings(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": r35cProj("", "")})},
		{name: "quoted key", any: true, files: map[string]string{"mart.yml": r35cProj("\"on-run-start\": [\"select 1\"]\n", "")}},
		{name: "written twice", any: true, files: map[string]string{"mart.yml": r35cProj("on-run-start: [\"select 1\"]\n", "on-run-start: [\"select 2\"]\n")}},
		{name: "once again", any: true, files: map[string]string{"mart.yml": r35cProj("", "on-run-start: [\"select 2\"]\n")}},
		{name: "moved up above models", any: true, files: map[string]string{"mart.yml": r35cProj("on-run-start: [\"select 2\"]\n", "")}},
		{name: "flow-style top mapping", any: true, files: map[string]string{"mart.yml": "{name: rc, version: \"1.0.0\", on-run-start: [\"select 3\"], vars: {n: 1}, models: {rc: {+materialized: view}}}\n"}},
		{name: "flow-style, hook edited", any: true, files: map[string]string{"mart.yml": "{name: rc, version: \"1.0.0\", on-run-start: [\"select 4\"], vars: {n: 1}, models: {rc: {+materialized: view}}}\n"}},
		{name: "block again, CRLF", any: true, files: map[string]string{"mart.yml": strings.ReplaceAll(r35cProj("on-run-start: [\"select 4\"]\n", ""), "\n", "\r\n")}},
		{name: "CRLF, hook edited", any: true, files: map[string]string{"mart.yml": strings.ReplaceAll(r35cProj("on-run-start:\n  - select 5\n  - select 6\n", ""), "\n", "\r\n")}},
		{name: "CRLF, hook after models", any: true, files: map[string]string{"mart.yml": strings.ReplaceAll(r35cProj("", "on-run-start:\n  - select 5\n"), "\n", "\r\n")}},
		{name: "LF, hooks between models and seeds", any: true, files: map[string]string{"mart.yml": r35cProj("", "on-run-start:\n  - select 5\nseeds:\n  rc:\n    +schema: s\n")}},
		{name: "the hook edited between", patched: true, files: map[string]string{"mart.yml": r35cProj("", "on-run-start:\n  - select 7\n  - select 8\nseeds:\n  rc:\n    +schema: s\n")}},
		{name: "a comment in the models block moved into the hooks", any: true, files: map[string]string{"mart.yml": r35cProj("", "# about hooks\non-run-start:\n  - select 7\n  - select 8\nseeds:\n  rc:\n    +schema: s\n")}},
	})
}

// --vars given, and a hook reading a var, edited with it
func TestReview35cHookWithCLIVars(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": r35cProj("on-run-start: [\"select {{ var('n') }}\"]\n", "")}), vars: map[string]any{"n": 5}},
		{name: "the hook edited, --vars kept", patched: true, vars: map[string]any{"n": 5}, files: map[string]string{"mart.yml": r35cProj("on-run-start: [\"select {{ var('n') }} + 1\"]\n", "")}},
		{name: "the hook edited, --vars changed", any: true, vars: map[string]any{"n": 6}, files: map[string]string{"mart.yml": r35cProj("on-run-start: [\"select {{ var('n') }} + 2\"]\n", "")}},
		{name: "the hook edited, --vars dropped", any: true, files: map[string]string{"mart.yml": r35cProj("on-run-start: [\"select {{ var('n') }} + 3\"]\n", "")}},
	})
}

// a model's name-setting macro and a hook in one save, and a project
// whose name is templated
func TestReview35cHookWithEnvName(t *testing.T) {
	proj := func(hooks string) string {
		return "name: rc\ntarget-path: \"{{ env_var('R35C_TP', 'target') }}\"\n" + hooks + "vars:\n  n: 1\nmodels:\n  rc:\n    +materialized: view\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35cFiles(map[string]string{"mart.yml": proj("")})},
		{name: "a hook", any: true, files: map[string]string{"mart.yml": proj("on-run-start: [\"select '{{ env_var('R35C_H', 'x') }}'\"]\n")}},
		{name: "the hook's env var set", any: true, env: map[string]string{"R35C_H": "y"}, files: map[string]string{"mart.yml": proj("on-run-start: [\"select '{{ env_var('R35C_H', 'x') }}' as h\"]\n")}},
	})
}
