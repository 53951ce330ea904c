package compiler

import (
	"strings"
	"testing"
)

// Scenarios of review 35b (c05f7e1: a properties file added or removed
// with unit tests is patched; cdbaf05/6c4dd73: the unit_tests object
// filled from empty or emptied). Every step is compared with a cold
// compile (runPatchSteps); whether it is patched is not asserted
// (PP_VERBOSE=1 logs it).

func r35bUnit(name, model string, given, expect, extra string) string {
	if given == "" {
		given = "      - input: ref('a')\n        rows:\n          - {id: 1}\n"
	}
	if expect == "" {
		expect = "      rows:\n          - {id: 1}\n"
	}
	return "  - name: " + name + "\n    model: " + model + "\n" + extra + "    given:\n" + given + "    expect:\n" + expect
}

func r35bFile(units ...string) string { return "version: 2\nunit_tests:\n" + strings.Join(units, "") }

func r35bBase(name string) map[string]string {
	return map[string]string{
		"mart.yml":     "name: " + name + "\nversion: \"1.0.0\"\n",
		"models/a.sql": "select 1 as id\n",
		"models/b.sql": "select id from {{ ref('a') }}\n",
		"models/c.sql": "select id from {{ ref('a') }}\n",
	}
}

func r35bWith(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// 1. a file of unit tests in a new folder (no model there), removed, the
// folder left empty, and added again
func TestReview35bUnitFileNewFolder(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb1")},
		{name: "a file in a new folder", any: true, files: map[string]string{"models/tests/unit/_b.yml": r35bFile(r35bUnit("b_one", "b", "", "", ""))}},
		{name: "a second in that folder", any: true, files: map[string]string{"models/tests/unit/_c.yml": r35bFile(r35bUnit("c_one", "c", "", "", ""))}},
		{name: "the first removed", any: true, remove: []string{"models/tests/unit/_b.yml"}},
		{name: "the second removed: the folder empty", any: true, remove: []string{"models/tests/unit/_c.yml"}},
		{name: "one back", any: true, files: map[string]string{"models/tests/unit/_c.yml": r35bFile(r35bUnit("c_one", "c", "", "", ""))}},
	})
}

// 2. givens in CSV and SQL, and an expect in CSV, added and removed
func TestReview35bUnitFileFormats(t *testing.T) {
	csv := "      - input: ref('a')\n        format: csv\n        rows: |\n          id\n          1\n          2\n"
	sqlg := "      - input: ref('a')\n        format: sql\n        rows: |\n          select 1 as id union all select 2\n"
	csvExp := "      format: csv\n      rows: |\n        id\n        1\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb2")},
		{name: "csv", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("b_csv", "b", csv, csvExp, ""))}},
		{name: "sql added in another file", any: true, files: map[string]string{"models/_u2.yml": r35bFile(r35bUnit("b_sql", "b", sqlg, "", ""))}},
		{name: "both removed", any: true, remove: []string{"models/_u.yml", "models/_u2.yml"}},
		{name: "sql and csv in one", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("b_sql", "b", sqlg, "", ""), r35bUnit("c_csv", "c", csv, csvExp, ""))}},
		{name: "expect rows: []", any: true, files: map[string]string{"models/_u3.yml": r35bFile(r35bUnit("c_empty", "c", "", "      rows: []\n", ""))}},
		{name: "given: [] and expect {}", any: true, files: map[string]string{"models/_u4.yml": r35bFile("  - name: c_none\n    model: c\n    given: []\n    expect: {}\n")}},
		{name: "removed", any: true, remove: []string{"models/_u3.yml", "models/_u4.yml"}},
	})
}

// 3. overrides (macros, vars, env_vars), config tags and meta, and the
// project's unit_tests: folder configs
func TestReview35bUnitFileOverridesConfigs(t *testing.T) {
	ov := "    overrides:\n      macros:\n        is_incremental: true\n        current_timestamp: \"'2020-01-01'\"\n      vars:\n        v: 1\n      env_vars:\n        E: x\n"
	cfg := "    config:\n      tags: [slow, nightly]\n      meta: {owner: ana, n: 1}\n"
	files := r35bBase("rb3")
	files["mart.yml"] = "name: rb3\nversion: \"1.0.0\"\nunit_tests:\n  rb3:\n    +tags: [unit]\n    sub:\n      +tags: [subunit]\n      +meta: {folder: sub}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "overrides", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("b_ov", "b", "", "", ov))}},
		{name: "config", any: true, files: map[string]string{"models/sub/_u.yml": r35bFile(r35bUnit("c_cfg", "c", "", "", cfg))}},
		{name: "a third in sub without config", any: true, files: map[string]string{"models/sub/_v.yml": r35bFile(r35bUnit("b_sub", "b", "", "", ""))}},
		{name: "removed", any: true, remove: []string{"models/sub/_u.yml", "models/_u.yml"}},
		{name: "sub's last removed", any: true, remove: []string{"models/sub/_v.yml"}},
	})
}

// 4. a folder config disables the unit tests of a folder: a file added
// there, and removed
func TestReview35bUnitFileFolderDisabled(t *testing.T) {
	files := r35bBase("rb4")
	files["mart.yml"] = "name: rb4\nversion: \"1.0.0\"\nunit_tests:\n  rb4:\n    off:\n      +enabled: false\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "an enabled one elsewhere", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("b_on", "b", "", "", ""))}},
		{name: "a file in off/", any: true, files: map[string]string{"models/off/_u.yml": r35bFile(r35bUnit("c_off", "c", "", "", ""))}},
		{name: "the off file removed", any: true, remove: []string{"models/off/_u.yml"}},
		{name: "the off file back", any: true, files: map[string]string{"models/off/_u.yml": r35bFile(r35bUnit("c_off", "c", "", "", ""))}},
		{name: "the off file edited: its unit test renamed", any: true, files: map[string]string{"models/off/_u.yml": r35bFile(r35bUnit("c_off2", "c", "", "", ""))}},
		{name: "the off file's unit test dropped", any: true, files: map[string]string{"models/off/_u.yml": "version: 2\nunit_tests: []\n"}},
		{name: "the off file removed again", any: true, remove: []string{"models/off/_u.yml"}},
	})
}

// 5. a unit test of an ephemeral model, of a model over an ephemeral one
func TestReview35bUnitFileEphemeral(t *testing.T) {
	files := r35bBase("rb5")
	files["models/e.sql"] = "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('a') }}\n"
	files["models/f.sql"] = "select id from {{ ref('e') }}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "of e", any: true, files: map[string]string{"models/_e.yml": r35bFile(r35bUnit("e_one", "e", "", "", ""))}},
		{name: "of f (given e)", any: true, files: map[string]string{"models/_f.yml": r35bFile(r35bUnit("f_one", "f", "      - input: ref('e')\n        rows:\n          - {id: 1}\n", "", ""))}},
		{name: "both removed", any: true, remove: []string{"models/_e.yml", "models/_f.yml"}},
		{name: "e made a table", any: true, files: map[string]string{"models/e.sql": "{{ config(materialized='table') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "of e again", any: true, files: map[string]string{"models/_e.yml": r35bFile(r35bUnit("e_one", "e", "", "", ""))}},
		{name: "e ephemeral again", any: true, files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('a') }}\n"}},
	})
}

// 6. a unit test of a model whose enabled is toggled, and of a model
// another package's model of the same name shadows (the root's disabled)
func TestReview35bUnitFileEnabledToggled(t *testing.T) {
	files := r35bBase("rb6")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "of c, c disabled in the same save", coldFails: true, files: map[string]string{"models/_c.yml": r35bFile(r35bUnit("c_one", "c", "", "", "")),
			"models/c.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "c enabled", any: true, files: map[string]string{"models/c.sql": "select id from {{ ref('a') }}\n"}},
		{name: "c disabled while its file is removed", any: true, remove: []string{"models/_c.yml"},
			files: map[string]string{"models/c.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "c enabled and its file back in one save", any: true, files: map[string]string{"models/_c.yml": r35bFile(r35bUnit("c_one", "c", "", "", "")),
			"models/c.sql": "select id from {{ ref('a') }}\n"}},
		{name: "c disabled by a new YAML file while its unit test file is removed", any: true, remove: []string{"models/_c.yml"},
			files: map[string]string{"models/_cfg.yml": "version: 2\nmodels:\n  - name: c\n    config:\n      enabled: false\n"}},
		{name: "c enabled by removing that file while the unit test file is added", any: true, remove: []string{"models/_cfg.yml"},
			files: map[string]string{"models/_c.yml": r35bFile(r35bUnit("c_one", "c", "", "", ""))}},
	})
}

func TestReview35bUnitFilePackageShadow(t *testing.T) {
	files := r35bBase("rb6p")
	files["dbt_packages/pk/dbt_project.yml"] = "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"
	files["dbt_packages/pk/models/pa.sql"] = "select 7 as id\n"
	files["dbt_packages/pk/models/pb.sql"] = "select id from {{ ref('pa') }}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "a unit test of a package's model", any: true, files: map[string]string{"models/_pb.yml": r35bFile(r35bUnit("pb_one", "pb", "      - input: ref('pa')\n        rows:\n          - {id: 1}\n", "", ""))}},
		{name: "removed", any: true, remove: []string{"models/_pb.yml"}},
		{name: "back, with a given the package model does not read", coldFails: true, files: map[string]string{"models/_pb.yml": r35bFile(r35bUnit("pb_one", "pb", "", "", ""))}},
		{name: "the package's model edited while the unit test file is fixed", any: true, files: map[string]string{"models/_pb.yml": r35bFile(r35bUnit("pb_one", "pb", "      - input: ref('pa')\n        rows:\n          - {id: 1}\n", "", "")),
			"dbt_packages/pk/models/pb.sql": "select id, 1 as x from {{ ref('pa') }}\n"}},
		{name: "a file in the package with a unit test", any: true, files: map[string]string{"dbt_packages/pk/models/_u.yml": r35bFile(r35bUnit("pb_pk", "pb", "      - input: ref('pa')\n        rows: []\n", "", ""))}},
	})
}

// 4b. the same as edits of a file that stays (before c05f7e1 too)
func TestReview35bUnitFileFolderDisabledEdits(t *testing.T) {
	files := r35bBase("rb4b")
	files["mart.yml"] = "name: rb4b\nversion: \"1.0.0\"\nunit_tests:\n  rb4b:\n    off:\n      +enabled: false\n"
	files["models/off/_u.yml"] = r35bFile(r35bUnit("c_off", "c", "", "", ""))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "renamed", any: true, files: map[string]string{"models/off/_u.yml": r35bFile(r35bUnit("c_off2", "c", "", "", ""))}},
		{name: "dropped", any: true, files: map[string]string{"models/off/_u.yml": "version: 2\nunit_tests: []\n"}},
		{name: "back", any: true, files: map[string]string{"models/off/_u.yml": r35bFile(r35bUnit("c_off", "c", "", "", ""))}},
	})
}

// 7. a file renamed with edits; two files added in one save declaring
// one name for two models, and for one
func TestReview35bUnitFileRenamesAndNames(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb7")},
		{name: "a file", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("t1", "b", "", "", ""), r35bUnit("t2", "c", "", "", ""))}},
		{name: "renamed, one unit test renamed, one's rows edited", any: true, remove: []string{"models/_u.yml"},
			files: map[string]string{"models/_v.yml": r35bFile(r35bUnit("t1x", "b", "", "", ""), r35bUnit("t2", "c", "      - input: ref('a')\n        rows:\n          - {id: 5}\n", "", ""))}},
		{name: "renamed back, into a subfolder", any: true, remove: []string{"models/_v.yml"},
			files: map[string]string{"models/s/_u.yml": r35bFile(r35bUnit("t1", "b", "", "", ""), r35bUnit("t2", "c", "", "", ""))}},
		{name: "two files, one name, two models", any: true, files: map[string]string{
			"models/_x.yml": r35bFile(r35bUnit("same", "b", "", "", "")), "models/_y.yml": r35bFile(r35bUnit("same", "c", "", "", ""))}},
		{name: "two files, one name, one model", coldFails: true, files: map[string]string{
			"models/_y.yml": r35bFile(r35bUnit("same", "b", "", "", ""))}},
		{name: "fixed by removing", any: true, remove: []string{"models/_y.yml"}},
		{name: "two more new files, same id", coldFails: true, files: map[string]string{
			"models/_p.yml": r35bFile(r35bUnit("dup", "c", "", "", "")), "models/_q.yml": r35bFile(r35bUnit("dup", "c", "", "", ""))}},
		{name: "one of them removed", any: true, remove: []string{"models/_q.yml"}},
		{name: "a new file's unit test also added to an edited one", coldFails: true, files: map[string]string{
			"models/_r.yml":   r35bFile(r35bUnit("dup2", "c", "", "", "")),
			"models/s/_u.yml": r35bFile(r35bUnit("t1", "b", "", "", ""), r35bUnit("t2", "c", "", "", ""), r35bUnit("dup2", "c", "", "", ""))}},
		{name: "the edited one back", any: true, files: map[string]string{"models/s/_u.yml": r35bFile(r35bUnit("t1", "b", "", "", ""), r35bUnit("t2", "c", "", "", ""))}},
	})
}

// 8. a file with unit tests, models and sources added at once, and
// removed
func TestReview35bUnitFileWithModelsAndSources(t *testing.T) {
	all := "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\nmodels:\n  - name: b\n    description: the b\n    columns:\n      - name: id\n        data_tests: [not_null]\n" +
		"unit_tests:\n" + r35bUnit("b_one", "b", "", "", "")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb8")},
		{name: "all at once", any: true, files: map[string]string{"models/_all.yml": all}},
		{name: "removed", any: true, remove: []string{"models/_all.yml"}},
		{name: "with a new model reading the source", any: true, files: map[string]string{"models/_all.yml": all + r35bUnit("s_one", "s", "      - input: source('ext', 't1')\n        rows:\n          - {id: 1}\n", "", ""),
			"models/s.sql": "select id from {{ source('ext', 't1') }}\n"}},
		{name: "removed with the model", any: true, remove: []string{"models/_all.yml", "models/s.sql"}},
		{name: "model first", any: true, files: map[string]string{"models/s.sql": "select 1 as id\n"}},
		{name: "model reads a source the new file declares, with a unit test of it", any: true, files: map[string]string{"models/_all.yml": all + r35bUnit("s_one", "s", "      - input: source('ext', 't1')\n        rows:\n          - {id: 1}\n", "", ""),
			"models/s.sql": "select id from {{ source('ext', 't1') }}\n"}},
	})
}

// 9. givens of a source, a seed, this; a description calling doc()
func TestReview35bUnitFileGivensKinds(t *testing.T) {
	files := r35bBase("rb9")
	files["seeds/sd.csv"] = "id\n1\n"
	files["models/_src.yml"] = "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\n"
	files["models/s.sql"] = "select s.id from {{ source('ext', 't1') }} s join {{ ref('sd') }} d on s.id = d.id\n"
	files["models/i.sql"] = "{{ config(materialized='incremental') }}\nselect id from {{ ref('a') }}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}\n"
	files["models/docs.md"] = "{% docs ud %}a unit test's doc{% enddocs %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "a source and a seed", any: true, files: map[string]string{"models/_s.yml": r35bFile(r35bUnit("s_one", "s",
			"      - input: source('ext', 't1')\n        rows:\n          - {id: 1}\n      - input: ref('sd')\n        rows:\n          - {id: 1}\n", "", ""))}},
		{name: "this", any: true, files: map[string]string{"models/_i.yml": r35bFile(r35bUnit("i_one", "i",
			"      - input: ref('a')\n        rows:\n          - {id: 2}\n      - input: this\n        rows:\n          - {id: 1}\n", "      rows:\n          - {id: 2}\n",
			"    overrides:\n      macros:\n        is_incremental: true\n"))}},
		{name: "a description with doc()", any: true, files: map[string]string{"models/_d.yml": r35bFile(r35bUnit("c_doc", "c", "", "", "    description: '{{ doc(\"ud\") }}'\n"))}},
		{name: "the doc edited", any: true, files: map[string]string{"models/docs.md": "{% docs ud %}a unit test's doc, edited{% enddocs %}\n"}},
		{name: "a given of a source it does not read", coldFails: true, files: map[string]string{"models/_bad.yml": r35bFile(r35bUnit("c_bad", "c", "      - input: source('ext', 't1')\n        rows:\n          - {id: 1}\n", "", ""))}},
		{name: "bad removed", any: true, remove: []string{"models/_bad.yml"}},
		{name: "all removed", any: true, remove: []string{"models/_s.yml", "models/_i.yml", "models/_d.yml"}},
	})
}

// 10. a unit test file removed while its model is edited in the same
// save, and added while its model is edited
func TestReview35bUnitFileModelEditedSameSave(t *testing.T) {
	files := r35bBase("rb10")
	files["models/_b.yml"] = r35bFile(r35bUnit("b_one", "b", "", "", ""))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "removed while b reads c too", any: true, remove: []string{"models/_b.yml"}, files: map[string]string{"models/b.sql": "select a.id from {{ ref('a') }} a join {{ ref('c') }} c on a.id = c.id\n"}},
		{name: "added while b reads a only again", any: true, files: map[string]string{"models/_b.yml": r35bFile(r35bUnit("b_one", "b", "", "", "")), "models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "b's text edited, refs the same, the file removed", any: true, remove: []string{"models/_b.yml"}, files: map[string]string{"models/b.sql": "select id, 2 as two from {{ ref('a') }}\n"}},
		{name: "added while b's config changes", any: true, files: map[string]string{"models/_b.yml": r35bFile(r35bUnit("b_one", "b", "", "", "")), "models/b.sql": "{{ config(materialized='table', tags=['x']) }}\nselect id, 2 as two from {{ ref('a') }}\n"}},
		{name: "added another while b reads c no more (given c)", coldFails: true, files: map[string]string{"models/_b2.yml": r35bFile(r35bUnit("b_two", "b", "      - input: ref('c')\n        rows:\n          - {id: 1}\n", "", "")),
			"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "b reads c", any: true, files: map[string]string{"models/b.sql": "select a.id from {{ ref('a') }} a join {{ ref('c') }} c on a.id = c.id\n"}},
		{name: "b reads c no more: the added file's given (UnitTested)", coldFails: true, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "b_two's file removed in the same save as b reads a alone", any: true, remove: []string{"models/_b2.yml"}, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n"}},
	})
}

// 11. the project's only unit test file removed and added back, several
// times, with other edits between
func TestReview35bOnlyUnitFileRoundTrip(t *testing.T) {
	only := r35bFile(r35bUnit("b_one", "b", "", "", ""), r35bUnit("c_one", "c", "", "", ""))
	files := r35bBase("rb11")
	files["models/_u.yml"] = only
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "removed", any: true, remove: []string{"models/_u.yml"}},
		{name: "back", any: true, files: map[string]string{"models/_u.yml": only}},
		{name: "removed again", any: true, remove: []string{"models/_u.yml"}},
		{name: "a model edit", any: true, files: map[string]string{"models/a.sql": "select 2 as id\n"}},
		{name: "back under another name", any: true, files: map[string]string{"models/_w.yml": only}},
		{name: "edited to none", any: true, files: map[string]string{"models/_w.yml": "version: 2\nunit_tests: []\n"}},
		{name: "that file removed", any: true, remove: []string{"models/_w.yml"}},
		{name: "back once more", any: true, files: map[string]string{"models/_u.yml": only}},
		{name: "a c unit test edited", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("b_one", "b", "", "", ""), r35bUnit("c_one", "c", "", "      rows:\n          - {id: 2}\n", ""))}},
	})
}

// 12. YAML anchors and aliases in an added file, in a removed one
func TestReview35bUnitFileAnchors(t *testing.T) {
	anch := "version: 2\nunit_tests:\n  - name: b_one\n    model: b\n    given: &g\n      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect: &e\n      rows:\n          - {id: 1}\n" +
		"  - name: c_one\n    model: c\n    given: *g\n    expect: *e\n"
	merge := "version: 2\nunit_tests:\n  - &base\n    name: b_m\n    model: b\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1}\n" +
		"  - <<: *base\n    name: c_m\n    model: c\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb12")},
		{name: "anchors", any: true, files: map[string]string{"models/_a.yml": anch}},
		{name: "removed", any: true, remove: []string{"models/_a.yml"}},
		{name: "merge keys", any: true, files: map[string]string{"models/_m.yml": merge}},
		{name: "a plain one beside", any: true, files: map[string]string{"models/_p.yml": r35bFile(r35bUnit("b_p", "b", "", "", ""))}},
		{name: "merge keys removed", any: true, remove: []string{"models/_m.yml"}},
		{name: "anchors back", any: true, files: map[string]string{"models/_a.yml": anch}},
		{name: "anchors removed with the plain one", any: true, remove: []string{"models/_a.yml", "models/_p.yml"}},
	})
}

// 13. files of unit tests in other resource folders (seeds/, snapshots/,
// analyses/, macros/, tests/), .yaml, CRLF, a BOM
func TestReview35bUnitFileOddPlaces(t *testing.T) {
	files := r35bBase("rb13")
	files["seeds/sd.csv"] = "id\n1\n"
	files["analyses/an.sql"] = "select 1 as x\n"
	files["macros/m.sql"] = "{% macro m() %}1{% endmacro %}\n"
	u := r35bFile(r35bUnit("b_one", "b", "", "", ""))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "in seeds/", any: true, files: map[string]string{"seeds/_u.yml": u}},
		{name: "removed from seeds/", any: true, remove: []string{"seeds/_u.yml"}},
		{name: "in snapshots/ (a new folder)", any: true, files: map[string]string{"snapshots/_u.yml": u}},
		{name: "removed from snapshots/", any: true, remove: []string{"snapshots/_u.yml"}},
		{name: "in analyses/", any: true, files: map[string]string{"analyses/_u.yml": u}},
		{name: "removed from analyses/", any: true, remove: []string{"analyses/_u.yml"}},
		{name: "in macros/", any: true, files: map[string]string{"macros/_u.yml": u}},
		{name: "removed from macros/", any: true, remove: []string{"macros/_u.yml"}},
		{name: "in tests/", any: true, files: map[string]string{"tests/_u.yml": u}},
		{name: "removed from tests/", any: true, remove: []string{"tests/_u.yml"}},
		{name: ".yaml", any: true, files: map[string]string{"models/_u.yaml": u}},
		{name: ".yaml removed", any: true, remove: []string{"models/_u.yaml"}},
		{name: "CRLF", any: true, files: map[string]string{"models/_crlf.yml": strings.ReplaceAll(u, "\n", "\r\n")}},
		{name: "a BOM", any: true, files: map[string]string{"models/_bom.yml": "\ufeff" + r35bFile(r35bUnit("c_bom", "c", "", "", ""))}},
		{name: "both removed", any: true, remove: []string{"models/_crlf.yml", "models/_bom.yml"}},
		{name: "in a folder outside the model paths", any: true, files: map[string]string{"other/_u.yml": u}},
	})
}

// 14. added files the compile says something of, or does not take
func TestReview35bUnitFileDiagnostics(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb14")},
		{name: "an unknown key", any: true, files: map[string]string{"models/_k.yml": r35bFile(r35bUnit("b_k", "b", "", "", "    foo: bar\n"))}},
		{name: "removed", any: true, remove: []string{"models/_k.yml"}},
		{name: "a unit test without a model", coldFails: true, files: map[string]string{"models/_n.yml": "version: 2\nunit_tests:\n  - name: nm\n    given: []\n    expect: {rows: []}\n"}},
		{name: "removed", any: true, remove: []string{"models/_n.yml"}},
		{name: "a unit test without expect", any: true, files: map[string]string{"models/_e.yml": "version: 2\nunit_tests:\n  - name: ne\n    model: b\n    given: []\n"}},
		{name: "removed again", any: true, remove: []string{"models/_e.yml"}},
		{name: "rows not a list", any: true, files: map[string]string{"models/_r.yml": r35bFile(r35bUnit("b_r", "b", "      - input: ref('a')\n        rows: 3\n", "", ""))}},
		{name: "removed r", any: true, remove: []string{"models/_r.yml"}},
		{name: "unit_tests not a list", coldFails: true, files: map[string]string{"models/_l.yml": "version: 2\nunit_tests:\n  name: x\n"}},
		{name: "removed l", any: true, remove: []string{"models/_l.yml"}},
		{name: "a given's input not a ref", coldFails: true, files: map[string]string{"models/_i.yml": r35bFile(r35bUnit("b_i", "b", "      - input: a\n        rows: []\n", "", ""))}},
		{name: "removed i", any: true, remove: []string{"models/_i.yml"}},
		{name: "a name with odd characters", any: true, files: map[string]string{"models/_o.yml": r35bFile(r35bUnit("b-one.two", "b", "", "", ""), r35bUnit("B_Upper", "b", "", "", ""))}},
		{name: "a version: 1 file", any: true, files: map[string]string{"models/_v1.yml": "version: 1\nunit_tests:\n" + r35bUnit("c_v1", "c", "", "", "")}},
		{name: "a file without version:", any: true, files: map[string]string{"models/_nv.yml": "unit_tests:\n" + r35bUnit("c_nv", "c", "", "", "")}},
		{name: "all removed", any: true, remove: []string{"models/_o.yml", "models/_v1.yml", "models/_nv.yml"}},
	})
}

// 15. typed rows (dates, floats, nulls, nested), a multi-line description
// and a description that a later edit changes, in added files
func TestReview35bUnitFileTypedRows(t *testing.T) {
	files := r35bBase("rb15")
	files["models/w.sql"] = "select id, date '2026-03-01' as d, 1.5 as x, null as z from {{ ref('a') }}\n"
	rows := "      rows:\n          - {id: 1, d: 2026-03-01, x: 1.5, z: null}\n          - {id: 2, d: 2026-03-01T10:00:00Z, x: .inf, z: ~}\n          - {id: 0x10, d: '2026', x: 1e3, z: [1, 2]}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "typed rows", any: true, files: map[string]string{"models/_w.yml": r35bFile(r35bUnit("w_t", "w", "", rows, "    description: |\n      line one\n      line two\n"))}},
		{name: "removed", any: true, remove: []string{"models/_w.yml"}},
		{name: "back", any: true, files: map[string]string{"models/_w.yml": r35bFile(r35bUnit("w_t", "w", "", rows, "    description: |\n      line one\n      line two\n"))}},
		{name: "its description edited", any: true, files: map[string]string{"models/_w.yml": r35bFile(r35bUnit("w_t", "w", "", rows, "    description: one line\n"))}},
	})
}

// 16. an added file of unit tests with entries of other models, with
// sources and their tests, a string tag; removed
func TestReview35bUnitFileBesideOtherEntries(t *testing.T) {
	withC := "version: 2\nmodels:\n  - name: c\n    description: the c\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n" +
		"unit_tests:\n" + r35bUnit("b_one", "b", "", "", "    config:\n      tags: single\n      meta: {k: v}\n")
	withSrc := "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\n        columns:\n          - name: id\n            data_tests: [not_null]\n" +
		"unit_tests:\n" + r35bUnit("c_one", "c", "", "", "")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb16")},
		{name: "c's entry and a unit test of b", any: true, files: map[string]string{"models/_c.yml": withC}},
		{name: "removed", any: true, remove: []string{"models/_c.yml"}},
		{name: "a source with a test and a unit test of c", any: true, files: map[string]string{"models/_s.yml": withSrc}},
		{name: "both files", any: true, files: map[string]string{"models/_c.yml": withC}},
		{name: "the source's file removed", any: true, remove: []string{"models/_s.yml"}},
		{name: "c's removed", any: true, remove: []string{"models/_c.yml"}},
		{name: "inert keys beside (exposures? no: macros)", any: true, files: map[string]string{"models/_x.yml": r35bFile(r35bUnit("b_x", "b", "", "", "")) + "exposures:\n  - name: dash\n    type: dashboard\n    owner: {name: ana}\n    depends_on: [ref('b')]\n"}},
		{name: "that removed", any: true, remove: []string{"models/_x.yml"}},
	})
}

// 17. the only enabled unit test removed beside a disabled one, and back
func TestReview35bUnitFileBesideDisabled(t *testing.T) {
	files := r35bBase("rb17")
	files["models/_off.yml"] = r35bFile(r35bUnit("c_off", "c", "", "", "    config:\n      enabled: false\n"))
	files["models/_on.yml"] = r35bFile(r35bUnit("b_on", "b", "", "", ""))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "the enabled removed", any: true, remove: []string{"models/_on.yml"}},
		{name: "back", any: true, files: map[string]string{"models/_on.yml": r35bFile(r35bUnit("b_on", "b", "", "", ""))}},
		{name: "the enabled one gets the disabled one's name (another model)", any: true, files: map[string]string{"models/_on.yml": r35bFile(r35bUnit("c_off", "b", "", "", ""))}},
		{name: "the enabled one: the disabled one's id", coldFails: true, files: map[string]string{"models/_on.yml": r35bFile(r35bUnit("c_off", "c", "", "", ""))}},
		{name: "removed", any: true, remove: []string{"models/_on.yml"}},
		{name: "added with the disabled one's id", coldFails: true, files: map[string]string{"models/_on2.yml": r35bFile(r35bUnit("c_off", "c", "", "", ""))}},
		{name: "the disabled one's file removed", any: true, remove: []string{"models/_off.yml"}},
	})
}

// 18. a package model's unit test: its model edited after the file was
// added (UnitTested)
func TestReview35bUnitFilePackageModelEdited(t *testing.T) {
	files := r35bBase("rb18")
	files["dbt_packages/pk/dbt_project.yml"] = "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"
	files["dbt_packages/pk/models/pa.sql"] = "select 7 as id\n"
	files["dbt_packages/pk/models/pb.sql"] = "select id from {{ ref('pa') }}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "a unit test of pb", any: true, files: map[string]string{"models/_pb.yml": r35bFile(r35bUnit("pb_one", "pb", "      - input: ref('pa')\n        rows:\n          - {id: 1}\n", "", ""))}},
		{name: "pb reads pa no more", coldFails: true, files: map[string]string{"dbt_packages/pk/models/pb.sql": "select 1 as id\n"}},
		{name: "pb reads pa and a", any: true, files: map[string]string{"dbt_packages/pk/models/pb.sql": "select id from {{ ref('pa') }} union all select id from {{ ref('a') }}\n"}},
		{name: "the unit test file removed", any: true, remove: []string{"models/_pb.yml"}},
		{name: "a root unit test of a, whose model a package model reads", any: true, files: map[string]string{"models/_a.yml": r35bFile(r35bUnit("a_one", "a", "      []\n", "", ""))}},
	})
}

// 19. a disabled unit test (its own config, a folder's) of a model
// removed, or whose refs change
func TestReview35bDisabledUnitTestsModel(t *testing.T) {
	files := r35bBase("rb19")
	files["mart.yml"] = "name: rb19\nversion: \"1.0.0\"\nunit_tests:\n  rb19:\n    off:\n      +enabled: false\n"
	files["models/off/_u.yml"] = r35bFile(r35bUnit("c_off", "c", "", "", ""))
	files["models/_own.yml"] = r35bFile(r35bUnit("b_off", "b", "", "", "    config: {enabled: false}\n"))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "c removed", coldFails: true, remove: []string{"models/c.sql"}},
		{name: "c reads b (not a)", coldFails: true, files: map[string]string{"models/c.sql": "select id from {{ ref('b') }}\n"}},
		{name: "c back", any: true, files: map[string]string{"models/c.sql": "select id from {{ ref('a') }}\n"}},
		{name: "b reads c (not a)", coldFails: true, files: map[string]string{"models/b.sql": "select id from {{ ref('c') }}\n"}},
		{name: "b back", any: true, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "c's text edited", any: true, files: map[string]string{"models/c.sql": "select id, 1 as x from {{ ref('a') }}\n"}},
		{name: "a file of a third enabled unit test", any: true, files: map[string]string{"models/_on.yml": r35bFile(r35bUnit("b_on", "b", "", "", ""))}},
	})
}

// 20. a file added by a patch, then edited many ways (its text is the
// snapshot's now), empty unit_tests: lists and nulls
func TestReview35bUnitFileAddedThenEdited(t *testing.T) {
	u := r35bFile(r35bUnit("b_one", "b", "", "", ""), r35bUnit("c_one", "c", "", "", ""))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bBase("rb20")},
		{name: "added", any: true, files: map[string]string{"models/_u.yml": u}},
		{name: "a comment above: lines move", any: true, files: map[string]string{"models/_u.yml": "# top\n# more\n" + u}},
		{name: "rows edited", any: true, files: map[string]string{"models/_u.yml": "# top\n# more\n" + strings.Replace(u, "{id: 1}", "{id: 9}", 1)}},
		{name: "a model entry appended", any: true, files: map[string]string{"models/_u.yml": u + "models:\n  - name: b\n    description: the b\n"}},
		{name: "its description edited", any: true, files: map[string]string{"models/_u.yml": u + "models:\n  - name: b\n    description: the b, edited\n"}},
		{name: "the model entry dropped, one unit test renamed", any: true, files: map[string]string{"models/_u.yml": strings.Replace(u, "c_one", "c_two", 1)}},
		{name: "a unit test dropped", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("c_two", "c", "", "", ""))}},
		{name: "unit_tests: []", any: true, files: map[string]string{"models/_u.yml": "version: 2\nunit_tests: []\n"}},
		{name: "removed", any: true, remove: []string{"models/_u.yml"}},
		{name: "a file of unit_tests: [] and a model entry", any: true, files: map[string]string{"models/_e.yml": "version: 2\nunit_tests: []\nmodels:\n  - name: c\n    description: the c\n"}},
		{name: "a file of unit_tests: null", any: true, files: map[string]string{"models/_n.yml": "version: 2\nunit_tests:\n"}},
		{name: "a file of unit_tests: {}", coldFails: true, files: map[string]string{"models/_m.yml": "version: 2\nunit_tests: {}\n"}},
		{name: "that removed", any: true, remove: []string{"models/_m.yml"}},
		{name: "the empty ones filled", any: true, files: map[string]string{"models/_n.yml": u, "models/_e.yml": "version: 2\nunit_tests:\n" + r35bUnit("c_e", "c", "", "", "") + "models:\n  - name: c\n    description: the c\n"}},
		{name: "a unit test without a name", any: true, files: map[string]string{"models/_nn.yml": "version: 2\nunit_tests:\n  - model: b\n    given: []\n    expect: {rows: []}\n"}},
		{name: "named", any: true, files: map[string]string{"models/_nn.yml": "version: 2\nunit_tests:\n  - model: b\n    name: nn\n    given: []\n    expect: {rows: []}\n"}},
		{name: "all removed", any: true, remove: []string{"models/_nn.yml", "models/_n.yml", "models/_e.yml"}},
	})
}

// 21. versioned models: unit tests with versions: include/exclude in an
// added file; vars and env vars changed in the save that adds a file
func TestReview35bUnitFileVersionedAndVars(t *testing.T) {
	files := r35bBase("rb21")
	files["models/vm_v1.sql"] = "select id from {{ ref('a') }}\n"
	files["models/vm_v2.sql"] = "select id, 2 as two from {{ ref('a') }}\n"
	files["models/_vm.yml"] = "version: 2\nmodels:\n  - name: vm\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "a unit test of vm, every version", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("vm_all", "vm", "", "", ""))}},
		{name: "include 1", any: true, files: map[string]string{"models/_u2.yml": r35bFile(r35bUnit("vm_one", "vm", "", "", "    versions:\n      include: [1]\n"))}},
		{name: "exclude 2", any: true, files: map[string]string{"models/_u3.yml": r35bFile(r35bUnit("vm_ex", "vm", "", "", "    versions:\n      exclude: [2]\n"))}},
		{name: "removed", any: true, remove: []string{"models/_u.yml", "models/_u2.yml", "models/_u3.yml"}},
	})
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r35bWith(r35bBase("rb21b"), "models/d.sql", "select {{ var('k', 1) }} as id, '{{ env_var('PP_R35B', 'x') }}' as e from {{ ref('a') }}\n")},
		{name: "a file added with --vars", any: true, vars: map[string]any{"k": 2}, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("d_one", "d", "", "", ""))}},
		{name: "removed, vars back", any: true, remove: []string{"models/_u.yml"}},
		{name: "added with an env var", any: true, env: map[string]string{"PP_R35B": "y"}, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("d_one", "d", "", "", ""))}},
		{name: "a second with a target", any: true, target: "dev", files: map[string]string{"models/_u2.yml": r35bFile(r35bUnit("d_two", "d", "", "", ""))}},
	})
}

// 22. a unit test of a model that renders differently at every compile
// (invocation_id, run_started_at), added in a file, then its model's refs
// changed; unit tests of a seed, an analysis
func TestReview35bUnitFileVolatileModel(t *testing.T) {
	files := r35bBase("rb22")
	files["models/vt.sql"] = "select '{{ invocation_id }}' as inv, id from {{ ref('a') }}\n"
	files["seeds/sd.csv"] = "id\n1\n"
	files["analyses/an.sql"] = "select 1 as id\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "a unit test of vt", any: true, files: map[string]string{"models/_vt.yml": r35bFile(r35bUnit("vt_one", "vt", "", "", ""))}},
		{name: "vt reads b, not a", coldFails: true, files: map[string]string{"models/vt.sql": "select '{{ invocation_id }}' as inv, id from {{ ref('b') }}\n"}},
		{name: "vt reads a and b", any: true, files: map[string]string{"models/vt.sql": "select '{{ invocation_id }}' as inv, id from {{ ref('a') }} union all select '', id from {{ ref('b') }}\n"}},
		{name: "vt reads b only again", coldFails: true, files: map[string]string{"models/vt.sql": "select '{{ invocation_id }}' as inv, id from {{ ref('b') }}\n"}},
		{name: "the file removed in that save", any: true, remove: []string{"models/_vt.yml"}},
		{name: "a file of a unit test of a seed", coldFails: true, files: map[string]string{"models/_sd.yml": r35bFile(r35bUnit("sd_one", "sd", "      []\n", "", ""))}},
		{name: "of an analysis", coldFails: true, remove: []string{"models/_sd.yml"}, files: map[string]string{"models/_an.yml": r35bFile(r35bUnit("an_one", "an", "      []\n", "", ""))}},
		{name: "clean", any: true, remove: []string{"models/_an.yml"}},
	})
}

// 4c. the smallest: a file whose only unit test the project file's
// unit_tests: folder config disables, removed (patched as nothing to do:
// manifest.json's disabled object keeps it)
func TestReview35bUnitFileFolderDisabledRemoved(t *testing.T) {
	files := r35bBase("rb4c")
	files["mart.yml"] = "name: rb4c\nversion: \"1.0.0\"\nunit_tests:\n  rb4c:\n    off:\n      +enabled: false\n"
	files["models/off/_u.yml"] = r35bFile(r35bUnit("c_off", "c", "", "", ""))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "removed", any: true, remove: []string{"models/off/_u.yml"}},
	})
}

// 4d. the project file disables the unit tests of one model (by fqn): a
// file of an enabled one and a disabled one; the disabled one dropped
// while the enabled one's rows change, or the file removed
func TestReview35bUnitFileFqnDisabledMixed(t *testing.T) {
	files := r35bBase("rb4d")
	files["mart.yml"] = "name: rb4d\nversion: \"1.0.0\"\nunit_tests:\n  rb4d:\n    c:\n      +enabled: false\n"
	both := r35bFile(r35bUnit("b_on", "b", "", "", ""), r35bUnit("c_off", "c", "", "", ""))
	files["models/_u.yml"] = both
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "the disabled one dropped, the enabled one's rows edited", any: true, files: map[string]string{"models/_u.yml": r35bFile(r35bUnit("b_on", "b", "      - input: ref('a')\n        rows:\n          - {id: 2}\n", "", ""))}},
		{name: "back", any: true, files: map[string]string{"models/_u.yml": both}},
		{name: "the file removed", any: true, remove: []string{"models/_u.yml"}},
	})
}

// 4e. 4d's file removed (its enabled unit test goes: graphSplices sees the
// disabled object), or a file of the disabled one alone added beside
func TestReview35bUnitFileFqnDisabledMixedRemoved(t *testing.T) {
	files := r35bBase("rb4e")
	files["mart.yml"] = "name: rb4e\nversion: \"1.0.0\"\nunit_tests:\n  rb4e:\n    c:\n      +enabled: false\n"
	files["models/_u.yml"] = r35bFile(r35bUnit("b_on", "b", "", "", ""), r35bUnit("c_off", "c", "", "", ""))
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "the file removed", any: true, remove: []string{"models/_u.yml"}},
		{name: "a file of the disabled one alone", any: true, files: map[string]string{"models/_c.yml": r35bFile(r35bUnit("c_off", "c", "", "", ""))}},
		{name: "it removed", any: true, remove: []string{"models/_c.yml"}},
	})
}
