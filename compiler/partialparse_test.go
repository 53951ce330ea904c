package compiler

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/bench/projgen"
	"github.com/mart-dev/mart/compiler/jinja"
)

// TestPartialParseWarmEqualsCold edits random files of a generated project
// over many steps and, after each, compiles it warm (with the cache the
// previous warm compile left) and cold: the manifests must be the same
// bytes (compiled SQL included) and the diagnostics the same.
// PP_STEPS and PP_SEEDS make it longer.
func TestPartialParseWarmEqualsCold(t *testing.T) {
	steps, seeds := envInt("PP_STEPS", 60), envInt("PP_SEEDS", 3)
	if testing.Short() {
		steps, seeds = 15, 1
	}
	for seed := envInt("PP_SEED0", 1); seed < envInt("PP_SEED0", 1)+seeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Setenv("MART_PROFILES_DIR", "")
			t.Setenv("PP_TEST_ENV", "a")
			p := newMutatedProject(t, int64(seed))
			hits, failed := 0, false
			for step := 0; step < steps; step++ {
				did := p.mutate(1 + p.rng.Intn(3))
				if failed && p.rng.Intn(3) == 0 {
					did = append(did, p.restoreAll())
				}
				var h int
				h, failed = p.compareWarmCold(step, did)
				hits += h
			}
			require.Positive(t, hits, "no render was ever reused")
			t.Logf("%d steps, %d renders reused", steps, hits)
		})
	}
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
		return n
	}
	return def
}

type mutatedProject struct {
	t   *testing.T
	dir string
	rng *rand.Rand
	n   int // mutations so far (names new things)
	// clock, when set, gives each written file an mtime of its own in the
	// past, so a change is seen by its stat, not as a racy file
	clock time.Time
	// toggled is the macro file the last step toggled (patch_test.go): the
	// next step toggles it back
	toggled string
	trash   map[string][]byte // deleted files, to bring back
	// removedDefs: macros removeMacro took out with their calls left,
	// each as [file, definition], for restoreAll to bring back
	removedDefs [][2]string
	cliVars     map[string]any // --vars (patch_test.go)
	fullRefresh bool           // --full-refresh (patch_test.go)
	// undocumented: entries taken out of a properties file, their models
	// kept (patch_test.go's editEntries), by model file
	undocumented map[string]string
	settings     struct {
		v, w         int
		moreVars     string // more lines in vars:
		layer2       string
		layer1Schema string
		layer0       string // more lines of layer_0's folder configs
		extra        string // the extra folder's configs (its ephemeral models)
		seeds        string // a seeds: entry (patchseeds.go)
		snapshots    string // a snapshots: entry (patchsnapshots.go)
		sources      string // a sources: entry (patchsources.go)
		head         string // lines above the settings (comments)
	}
}

func newMutatedProject(t *testing.T, seed int64) *mutatedProject {
	dir := t.TempDir()
	require.NoError(t, projgen.Generate(dir, projgen.Options{Models: 60, Seed: seed, Layers: 3, MacrosFiles: 3, Package: true}))
	p := &mutatedProject{t: t, dir: dir, rng: rand.New(rand.NewSource(seed)), trash: map[string][]byte{}}
	p.settings.v, p.settings.w, p.settings.layer2 = 1, 5, "view"
	p.writeMartYML()
	for name, text := range map[string]string{
		"models/extra/eph.sql":      "{{ config(materialized='ephemeral') }}\nselect id, name, amount from {{ ref('m_0') }}\n",
		"models/extra/uses_eph.sql": "select id from {{ ref('eph') }} where '{{ ref('m_1').identifier }}' <> '{{ this.schema }}'\n",
		// an ephemeral model that reads another, and what reads it (their
		// CTEs, through both)
		"models/extra/eph2.sql":       "{{ config(materialized='ephemeral') }}\nselect id, {{ var('v') }} as v, '{{ config.get('tags', []) | join(',') }}' as t from {{ ref('eph') }}\n",
		"models/extra/uses_eph2.sql":  "with own as (select 1 as k)\nselect * from {{ ref('eph2') }}, own\n",
		"tests/assert_eph2_small.sql": "select * from {{ ref('eph2') }} where id > 1000000\n",
		"models/extra/cfg.sql": "{{ config(schema='custom', materialized='table', colour='red') }}\n" +
			"select {{ var('w', 5) }} as w, '{{ env_var('PP_TEST_ENV', 'x') }}' as e, {{ my_thing() }} as t from {{ ref('m_2') }}\n",
		"models/extra/volatile.sql": "select '{{ run_started_at }}' as t, {{ var('v') }} as v, {{ audit_stamp() }} as inv\n",
		"macros/audit.sql":          "{% macro audit_stamp() %}'{{ invocation_id }}'{% endmacro %}\n",
		// models disabled by target, as prod-only models are: every patch
		// renders the volatile one again, and those whose macros or vars
		// changed (patchdisabled.go); toggleProd enables them
		"models/extra/prod_only.sql":  "{{ config(enabled=target.name == 'prod') }}\nselect {{ bound_ok() }} as ok, {{ var('v') }} as v from {{ ref('m_1') }}\n",
		"models/extra/prod_stamp.sql": "{{ config(enabled=is_prod()) }}\nselect {{ audit_stamp() }} as s\n",
		// a generic test of the project's and a macro it calls, which a
		// model calls too (toggleMacro edits both: patchtestmacros.go)
		"macros/tests/bounded.sql":    "{% test bounded(model, column_name) %}\n{% set x = 100000 %}select * from {{ model }} where {{ column_name }} > ({{ x }} * 1) and {{ bound_ok() }}\n{% endtest %}\n",
		"macros/bound_ok.sql":         "{% macro bound_ok() %}{% set x = 1 %}({{ x }} * 1) = 1{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n",
		"models/extra/uses_bound.sql": "select {{ bound_ok() }} as ok\n",
		"models/extra/src.sql":        "select * from {{ source('raw', 'things') }}\n",
		"models/extra/empties.sql":    "{{ config(meta={}, post_hook=[], persist_docs={}, grants={'select': []}) }}\nselect 1 as id\n",
		"models/extra/_props.yml": "version: 2\nsources:\n  - name: raw\n    schema: raw_data\n    tables:\n      - name: things\n" +
			"        columns:\n          - name: id\n            description: '{{ doc(\"thing_id\") }}'\n            data_tests: [not_null, bounded]\n" +
			"models:\n  - name: src\n    description: reads {{ var('y', 'raw') }} things\n    config:\n      materialized: table\n" +
			"  - name: eph\n    description: an ephemeral one\n    columns:\n      - name: id\n        description: its key\n        data_tests: [not_null, bounded]\n" +
			// generic tests whose arguments and where: read vars, an env
			// var and --full-refresh: a change makes them again
			// (patchtestvars.go)
			"      - name: amount\n        data_tests:\n          - accepted_values:\n              values: \"{{ [var('v'), 2, 3] }}\"\n" +
			"          - not_null:\n              config:\n                where: \"id > {{ var('w', 5) }}\"\n" +
			"          - bounded:\n              where: \"'{{ env_var('PP_TEST_ENV', 'x') }}' <> '{{ 'f' if flags.FULL_REFRESH else 't' }}'\"\n",
		"macros/naming.sql": "{% macro generate_schema_name(custom_schema_name, node) -%}\n" +
			"{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ target.schema }}_{{ custom_schema_name | trim }}{{ var('schema_sfx', '') }}{%- endif -%}\n{%- endmacro %}\n",
		"macros/disp.sql": "{% macro my_thing() %}{{ return(adapter.dispatch('my_thing')()) }}{% endmacro %}\n" +
			"{% macro default__my_thing() %}1{% endmacro %}\n",
		"tests/assert_positive.sql": "select * from {{ ref('m_3') }} where amount < 0\n",
		"seeds/_seeds.yml":          "version: 2\nseeds:\n  - name: base\n    description: the base rows\n    columns:\n      - name: id\n        data_tests: [unique, bounded]\n",
		"snapshots/_snaps.yml": "version: 2\nsnapshots:\n  - name: m0_history\n    relation: ref('m_0')\n    config: {unique_key: id, strategy: check, check_cols: all}\n" +
			"    description: m_0 kept\n    columns:\n      - name: id\n        data_tests: [not_null]\n" +
			"  - name: hist\n    description: the history\n    columns:\n      - name: id\n        data_tests: [unique]\n",
		"analyses/look.sql": "select count(*) from {{ ref('m_4') }}\n",
		// a model a unit test tests: patched while its refs stay
		"models/extra/tested.sql": "select id, amount + {{ var('v') }} as n from {{ ref('m_0') }}\n",
		"models/extra/_unit.yml": "version: 2\nunit_tests:\n  - name: tested_adds_v\n    model: tested\n    given:\n" +
			"      - input: ref('m_0')\n        rows:\n          - {id: 1, amount: 2}\n    expect:\n      rows:\n          - {id: 1, n: 3}\n" +
			"models:\n  - name: tested\n    description: '{{ doc(\"tested_note\") }} to the amount'\n",
		// a snapshot of SQL (patchable as a model: editSQL), and what reads it
		"models/extra/uses_hist.sql": "select id from {{ ref('hist') }}\n",
		"snapshots/hist.sql":         "{% snapshot hist %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect id, amount from {{ ref('m_1') }}\n{% endsnapshot %}\n",
		// a file of two snapshots: an edit of it renders both again
		// (patchblocks.go); one calls a macro
		"snapshots/pair.sql": "-- two snapshots\n{% snapshot pair_a %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\n" +
			"select id, amount from {{ ref('m_2') }} where {{ my_thing() }} = 1\n{% endsnapshot %}\n\n" +
			"{% snapshot pair_b %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\n" +
			"select id, amount from {{ ref('hist') }}\n{% endsnapshot %}\n",
		"models/extra/uses_pair.sql": "select id from {{ ref('pair_b') }}\n",
		// variants of one name, one enabled by the target: not patchable (they
		// share a unique id), an edit of one compiles whole
		"models/extra/vdev/variant.sql":  "{{ config(enabled=target.name != 'prod') }}\nselect 1 as id\n",
		"models/extra/vprod/variant.sql": "{{ config(enabled=target.name == 'prod', materialized='table') }}\nselect 2 as id\n",
		"models/extra/uses_variant.sql":  "select id from {{ ref('variant') }}\n",
		// docs blocks the descriptions above call (editDocs)
		"models/extra/docs.md": "# Notes\n\n{% docs thing_id %}\nThe thing's key.\n{% enddocs %}\n\n{% docs tested_note %}adds v{% enddocs %}\n",
		// names a macro added later may take (mutateOnce's case 8)
		"models/extra/probe.sql": "select {% if maybe_m is defined %}{{ maybe_m() }}{% else %}0{% endif %} as p,\n" +
			"  {% if synth.ns_m is defined %}1{% else %}0{% endif %} as q\n",
	} {
		p.write(name, text)
	}
	return p
}

func (p *mutatedProject) writeMartYML() {
	s := p.settings
	text := fmt.Sprintf(`%sname: synth
version: "1.0.0"
model-paths: ["models"]
macro-paths: ["macros"]
seed-paths: ["seeds"]
test-paths: ["tests"]
analysis-paths: ["analyses"]
vars:
  v: %d
  w: %d
%smodels:
  synth:
    layer_0:
      +materialized: view
%s    layer_1:
      +materialized: table
%s    layer_2:
      +materialized: %s
    off:
      +enabled: false
%s%s%s%s`, s.head, s.v, s.w, s.moreVars, s.layer0, schemaLine(s.layer1Schema), s.layer2, s.extra, s.seeds, s.snapshots, s.sources)
	p.write("mart.yml", text)
}

func schemaLine(s string) string {
	if s == "" {
		return ""
	}
	return "      +schema: " + s + "\n"
}

// toggle replaces a in text by b, or b by a when text has no a.
func toggle(text, a, b string) string {
	if strings.Contains(text, a) {
		return strings.Replace(text, a, b, 1)
	}
	return strings.Replace(text, b, a, 1)
}

func (p *mutatedProject) write(rel, text string) {
	writeProjectFile(p.t, p.dir, rel, text)
	if !p.clock.IsZero() {
		full := filepath.Join(p.dir, rel)
		p.clock = p.clock.Add(time.Second)
		require.NoError(p.t, os.Chtimes(full, p.clock, p.clock))
	}
}

func (p *mutatedProject) exists(rel string) bool {
	_, err := os.Stat(filepath.Join(p.dir, rel))
	return err == nil
}

func (p *mutatedProject) read(rel string) string {
	b, err := os.ReadFile(filepath.Join(p.dir, rel))
	require.NoError(p.t, err)
	return string(b)
}

// files lists the project's files under a folder with a suffix, sorted.
func (p *mutatedProject) files(under, suffix string) []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(p.dir, under), func(fp string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(fp, suffix) {
			rel, _ := filepath.Rel(p.dir, fp)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func (p *mutatedProject) pick(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[p.rng.Intn(len(xs))]
}

var modelNameRE = regexp.MustCompile(`([A-Za-z0-9_]+)\.sql$`)

// modelNames are the names of the project's model files.
func (p *mutatedProject) modelNames() []string {
	var out []string
	for _, f := range p.files("models", ".sql") {
		out = append(out, modelNameRE.FindStringSubmatch(f)[1])
	}
	return out
}

// pickRef picks a model to ref, an ephemeral one a quarter of the time
// (when there is one): its CTEs go in front of the SQL of a model added,
// moved or whose refs change (resolveMade).
func (p *mutatedProject) pickRef(names []string) string {
	var eph []string
	for _, n := range names {
		if strings.HasPrefix(n, "eph") {
			eph = append(eph, n)
		}
	}
	if len(eph) > 0 && p.rng.Intn(4) == 0 {
		return p.pick(eph)
	}
	return p.pick(names)
}

// mutate applies k random edits and says what they were.
func (p *mutatedProject) mutate(k int) []string {
	var did []string
	for i := 0; i < k; i++ {
		p.n++
		did = append(did, p.mutateOnce())
	}
	return did
}

func (p *mutatedProject) mutateOnce() string {
	r := p.rng
	model := p.pick(p.files("models", ".sql"))
	switch r.Intn(20) {
	case 0: // a comment in a model, at its end or its top (its config() calls move)
		if r.Intn(5) == 0 && p.exists("snapshots/pair.sql") {
			// or in the file of two snapshots: on top, or in its first
			// block (the second's lines move)
			text := p.read("snapshots/pair.sql")
			if r.Intn(2) == 0 {
				text = fmt.Sprintf("-- edit %d\n", p.n) + text
			} else {
				text = strings.Replace(text, "{% endsnapshot %}", fmt.Sprintf("-- edit %d\n{%% endsnapshot %%}", p.n), 1)
			}
			p.write("snapshots/pair.sql", text)
			return "comment in snapshots/pair.sql"
		}
		if r.Intn(2) == 0 {
			p.write(model, fmt.Sprintf("-- edit %d\n", p.n)+p.read(model))
			return "comment on top " + model
		}
		p.write(model, p.read(model)+fmt.Sprintf("\n-- edit %d\n", p.n))
		return "comment " + model
	case 1: // a config() call
		opts := []string{"materialized='table'", "materialized='view'", "alias='al_" + strconv.Itoa(p.n) + "'",
			"schema='s" + strconv.Itoa(r.Intn(3)) + "'", "enabled=false", "tags=['x']", "tags=[]", "meta={}", "post_hook=[]", "persist_docs={'relation': true}", "unique_key=['id', 'name'], materialized='incremental'", "colour='blue'", "materialized='ephemeral'"}
		opt := p.pick(opts)
		p.write(model, "{{ config("+opt+") }}\n"+p.read(model))
		return "config(" + opt + ") " + model
	case 2: // drop the config() calls of a model
		if filepath.Base(model) == "variant.sql" {
			// (their config() is what keeps one of the two: without it the
			// project has a duplicate name, which no later step undoes)
			p.write(model, p.read(model)+fmt.Sprintf("\n-- edit %d\n", p.n))
			return "comment " + model
		}
		re := regexp.MustCompile(`\{\{ config\([^}]*\) \}\}\n?`)
		p.write(model, re.ReplaceAllString(p.read(model), ""))
		return "no config " + model
	case 3: // a var read by some models
		// at a line's select: not one in a template (empties.sql's
		// grants={'select': []}, which seed 29009 broke for good)
		text, read := p.read(model), fmt.Sprintf("select {{ var('v', 1) }} + %d as vv%d,", p.n, p.n)
		if at := regexp.MustCompile(`(?m)^select`).FindStringIndex(text); at != nil {
			text = text[:at[0]] + read + text[at[1]:]
		} else {
			text = strings.Replace(text, "select", read, 1)
		}
		p.write(model, text)
		return "var read " + model
	case 4: // the vars' values, and lines of the vars that no node reads
		p.settings.v, p.settings.w = 1+r.Intn(3), 5+r.Intn(2)
		p.settings.moreVars = p.pick([]string{"", "  # a note\n", "  unused: [1, 2]\n", "  unused:\n    - 1\n\n  bench_utils:\n    k: 2\n",
			"  schema_sfx: _s\n", "  schema_sfx: _t\n"})
		p.writeMartYML()
		return fmt.Sprintf("vars v=%d w=%d more %q", p.settings.v, p.settings.w, p.settings.moreVars)
	case 5: // folder configs (patchfolder.go)
		switch r.Intn(8) {
		case 7: // the sources' folder configs: their tables made again
			p.settings.sources = p.pick([]string{"", "sources:\n  synth:\n    raw:\n      +meta: {k: 1}\n", "sources:\n  synth:\n    raw:\n      things:\n        +tags: [th]\n",
				"sources:\n  synth:\n    +tags: [src]\n"})
		case 6: // the snapshots' folder configs: hist's made again in place; the YAML snapshot's (whole)
			p.settings.snapshots = p.pick([]string{"", "snapshots:\n  synth:\n    +tags: [snap]\n", "snapshots:\n  synth:\n    hist:\n      +meta: {k: 1}\n",
				"snapshots:\n  synth:\n    hist:\n      +invalidate_hard_deletes: true\n      +tags: [h]\n"})
		case 5: // the seeds' folder configs: made again in place, or their relation moves (whole)
			p.settings.seeds = p.pick([]string{"", "seeds:\n  synth:\n    +tags: [s]\n", "seeds:\n  synth:\n    +meta: {k: 1}\n    +column_types: {id: bigint}\n",
				"seeds:\n  synth:\n    +schema: raw\n"})
		case 4: // the extra folder, whose ephemeral models' readers stay or not (eph2's SQL reads its tags)
			p.settings.extra = p.pick([]string{"", "    extra:\n      +tags: [x]\n", "    extra:\n      +meta: {k: 1}\n", "    extra:\n      +tags: [y]\n      +docs: {show: false}\n"})
		case 3: // a comment: no setting changed (settingsSum)
			p.settings.head = p.pick([]string{"", "# the synth project\n", "# the synth project, edited\n\n"})
		case 0:
			p.settings.layer2 = p.pick([]string{"view", "table"})
		case 1:
			p.settings.layer1Schema = p.pick([]string{"", "inter", "other"})
		default:
			p.settings.layer0 = p.pick([]string{"", "      # staging\n", "      +tags: [staging]\n", "      +meta: {owner: ann}\n      +tags: [s]\n",
				"      +docs: {show: false}\n", "      +materialized: table\n", "      g_1:\n        +tags: [g1]\n"})
		}
		p.writeMartYML()
		return fmt.Sprintf("folder config %s %s %q %q %q %q %q %q", p.settings.layer2, p.settings.layer1Schema, p.settings.layer0, p.settings.extra, p.settings.seeds, p.settings.snapshots, p.settings.sources, p.settings.head)
	case 6: // a macro body
		f := p.pick(p.files("macros", ".sql"))
		text := p.read(f)
		text = strings.Replace(text, "* {{ factor }})", fmt.Sprintf("* {{ factor }} * %d)", 1+r.Intn(2)), 1)
		text = strings.Replace(text, "least(greatest", "least( greatest", 1)
		p.write(f, text)
		return "macro body " + f
	case 7: // lines above macros (their positions change)
		f := p.pick(p.files("macros", ".sql"))
		p.write(f, "{# moved #}\n"+p.read(f))
		return "macro lines " + f
	case 8: // a new macro
		return p.addMacro(model)
	case 9: // remove an added macro file
		var added []string
		for _, f := range p.files("macros", ".sql") {
			if strings.Contains(f, "/new_") {
				added = append(added, f)
			}
		}
		if f := p.pick(added); f != "" {
			// its definitions, which a model may call: restoreAll puts them
			// back (seed 19010 stayed broken from step 9 on)
			for _, d := range regexp.MustCompile(`(?s)\{% macro .*?\{% endmacro %\}\n?`).FindAllString(p.read(f), -1) {
				p.removedDefs = append(p.removedDefs, [2]string{f, d})
			}
			require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
			return "rm " + f
		}
		return "nothing"
	case 10: // the naming macro
		p.write("macros/naming.sql", toggle(p.read("macros/naming.sql"), "}}_{{", "}}__{{"))
		return "naming macro"
	case 11: // YAML properties: a description, a model's config; a seed's description, columns, tests
		if r.Intn(4) == 0 {
			if r.Intn(3) == 0 { // a snapshot's: its description over lines, a test, the SQL one's config (patchsnapshots.go)
				text := p.read("snapshots/_snaps.yml")
				switch r.Intn(3) {
				case 0:
					text = toggle(text, "description: m_0 kept\n", "description: >\n      m_0\n      kept\n")
				case 1:
					text = toggle(text, "[not_null]", "[not_null, unique]")
				default:
					text = toggle(text, "    description: the history\n", "    description: the history\n    config:\n      tags: [hh]\n")
				}
				p.write("snapshots/_snaps.yml", text)
				return "snapshot yaml"
			}
			text := p.read("seeds/_seeds.yml")
			switch r.Intn(4) {
			case 3: // its config (the seed made again: patchseeds.go)
				// (taken out when there: toggle would add it twice, as the
				// description it goes before is in both texts)
				if cfg := "    config: {tags: [b]}\n"; strings.Contains(text, cfg) {
					text = strings.Replace(text, cfg, "", 1)
				} else {
					text = strings.Replace(text, "    description: the base rows", cfg+"    description: the base rows", 1)
				}
			case 0:
				text = regexp.MustCompile(`description: the base rows.*`).ReplaceAllString(text, "description: the base rows"+strings.Repeat("\n      and more", r.Intn(2)))
				text = strings.Replace(text, "description: the base rows\n      and more", "description: >\n      the base rows\n      and more", 1)
			case 1:
				text = toggle(text, "[unique]", "[unique, not_null]")
			default:
				if col := "      - name: name\n        description: the name\n"; strings.Contains(text, col) {
					text = strings.Replace(text, col, "", 1)
				} else {
					text += col
				}
			}
			p.write("seeds/_seeds.yml", text)
			return "seed yaml"
		}
		f := p.pick(p.files("models", ".yml"))
		text := p.read(f)
		if ghost := fmt.Sprintf("  - name: ghost_%d\n    description: no such model\n", r.Intn(2)); r.Intn(5) == 0 && strings.Contains(text, "\nmodels:\n") {
			// an entry that names no model (a warning: the compile keeps
			// it while models are added, removed or made again, unless
			// one is named close to it: patchadd.go, danglingKept)
			p.write(f, toggle(text, "\nmodels:\n"+ghost, "\nmodels:\n"))
			return "ghost entry in " + f
		}
		text = strings.Replace(text, "description: \"Synthetic", fmt.Sprintf("description: \"Edited %d", p.n), 1)
		if strings.Contains(text, "    config:\n      materialized: ") && r.Intn(2) == 0 {
			text = regexp.MustCompile(`    config:\n      materialized: \w+\n`).ReplaceAllString(text, "")
		} else if names := regexp.MustCompile(`(?m)^  - name: m_\d+\n`).FindAllString(text, -1); len(names) > 0 {
			entry := p.pick(names)
			text = strings.Replace(text, entry, entry+"    config:\n      materialized: "+p.pick([]string{"table", "view"})+"\n", 1)
		}
		p.write(f, text)
		return "yaml " + f
	case 12: // the source's schema, a table added or removed, or its table's tests, columns and description (lines move)
		for _, f := range p.files("models", ".yml") {
			text := p.read(f)
			if !strings.Contains(text, "schema: raw_") {
				continue
			}
			switch r.Intn(4) {
			case 3: // a key of the source's own added or removed (sharedKeys)
				p.write(f, toggle(text, "    meta: {owner: ops}\n    tables:\n", "    tables:\n"))
				return "source meta " + f
			case 0:
				text = regexp.MustCompile(`schema: raw_\w+`).ReplaceAllString(text, "schema: raw_"+strconv.Itoa(r.Intn(3)))
				p.write(f, text)
				return "source schema " + f
			case 1: // a table added, changed or removed (patchsources.go), a model reading it or not
				more := regexp.MustCompile(`(?m)^      - name: more\n(        .*\n)*`)
				if loc := more.FindStringIndex(text); loc != nil && r.Intn(2) == 0 {
					text = text[:loc[0]] + text[loc[1]:]
				} else {
					table := "      - name: more\n" + p.pick([]string{"", "        identifier: more_" + strconv.Itoa(r.Intn(2)) + "\n",
						"        meta: {owner: o" + strconv.Itoa(r.Intn(2)) + "}\n", "        columns:\n          - name: id\n            data_tests: [unique]\n",
						"        description: '{{ doc(\"thing_id\") }} more'\n"})
					if loc != nil {
						text = text[:loc[0]] + table + text[loc[1]:]
					} else {
						text = strings.Replace(text, "    tables:\n", "    tables:\n"+table, 1)
					}
				}
				p.write(f, text)
				reader := filepath.ToSlash(filepath.Join(filepath.Dir(f), "reads_more.sql"))
				if r.Intn(2) == 0 {
					p.write(reader, "select * from {{ source('raw', 'more') }}\n")
				} else {
					_ = os.Remove(filepath.Join(p.dir, reader))
				}
				return "source table " + f
			}
			tests := p.pick([]string{" [not_null]", " [not_null, unique]", "\n              - unique\n              - not_null",
				"\n              - accepted_values:\n                  values: [1, 2]"})
			text = regexp.MustCompile(`(?m)(            data_tests:)( \[.*\]|(\n              .*)+)`).ReplaceAllString(text, "${1}"+tests)
			if label := "          - name: label\n            description: a label\n"; strings.Contains(text, label) {
				text = strings.Replace(text, label, "", 1)
			} else if r.Intn(2) == 0 {
				text = strings.Replace(text, "        columns:\n", "        columns:\n"+label, 1)
			}
			if strings.Contains(text, "\n        description: ") {
				text = regexp.MustCompile(`(?m)^        description: .*\n`).ReplaceAllString(text, "")
			} else if r.Intn(2) == 0 {
				text = strings.Replace(text, "      - name: things\n", "      - name: things\n        description: the things\n", 1)
			}
			p.write(f, text)
			return "source tests " + f
		}
		return "nothing"
	case 13: // an env var
		os.Setenv("PP_TEST_ENV", p.pick([]string{"a", "b"}))
		return "env"
	case 14: // delete a model, often one added (no YAML describes it)
		if added := p.files("models/extra", ".sql"); len(added) > 0 && r.Intn(2) == 0 {
			model = p.pick(added)
		}
		if model == "" {
			return "nothing"
		}
		p.trash[model] = []byte(p.read(model))
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, model)))
		return "rm " + model
	case 15: // bring one back
		for _, f := range sortedKeys(p.trash) {
			p.write(f, string(p.trash[f]))
			delete(p.trash, f)
			return "restore " + f
		}
		return "nothing"
	case 16: // a new model, or a singular test, or one removed
		names := p.modelNames()
		name := fmt.Sprintf("new_%d", p.n)
		if r.Intn(6) == 0 { // the name of a ghost entry (case 11), or one close to it
			name = p.pick([]string{"ghost_0", "ghost_1", "ghost_1b", fmt.Sprintf("ghost_0_%d", p.n)})
		}
		switch tests := p.files("tests/more", ".sql"); {
		case r.Intn(7) == 0: // a seed added (patched since session 33), with a model that refs it, or removed with it
			if seeds := p.files("seeds", ".csv"); len(seeds) > 1 && r.Intn(2) == 0 {
				for _, f := range seeds {
					if m := modelNameRE.FindStringSubmatch(strings.Replace(f, ".csv", ".sql", 1)); strings.HasPrefix(m[1], "more_") {
						os.Remove(filepath.Join(p.dir, "models/extra/uses_"+m[1]+".sql"))
						require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
						return "rm " + f
					}
				}
			}
			seed := fmt.Sprintf("more_%d", p.n)
			p.write("seeds/"+seed+".csv", fmt.Sprintf("id,amount\n%d,1\n", p.n))
			if r.Intn(2) == 0 {
				p.write("models/extra/uses_"+seed+".sql", fmt.Sprintf("select * from {{ ref('%s') }}\n", seed))
				return "new seed " + seed + " and its reader"
			}
			return "new seed " + seed
		case r.Intn(8) == 0: // an analysis added (patched since session 39, the first of analyses/more too), or removed
			if ans := p.files("analyses/more", ".sql"); len(ans) > 0 && r.Intn(2) == 0 {
				f := p.pick(ans)
				require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
				return "rm " + f
			}
			p.write("analyses/more/an_"+name+".sql", fmt.Sprintf("select count(*) as n from {{ ref('%s') }}\n", p.pickRef(names)))
			return "new analysis an_" + name
		case r.Intn(3) > 0:
			head := ""
			if r.Intn(5) == 0 { // an ephemeral one, which pickRef picks (patchadd.go: ephemeralsMade)
				name, head = "eph_"+name, "{{ config(materialized='ephemeral') }}\n"
			}
			p.write("models/extra/"+name+".sql", head+fmt.Sprintf("select id, name, amount from {{ ref('%s') }}\n", p.pickRef(names)))
			return "new model " + name
		case len(tests) > 0 && r.Intn(2) == 0:
			f := p.pick(tests)
			require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
			return "rm " + f
		default:
			p.write("tests/more/assert_"+name+".sql", fmt.Sprintf("select id from {{ ref('%s') }} where amount < -%d\n", p.pick(names), p.n))
			return "new singular test " + name
		}
	case 17: // rename a folder
		dirs := map[string]bool{}
		for _, f := range p.files("models", ".sql") {
			dirs[filepath.Dir(f)] = true
		}
		d := p.pick(sortedKeys(dirs))
		to := fmt.Sprintf("%s_r%d", d, p.n)
		require.NoError(p.t, os.Rename(filepath.Join(p.dir, d), filepath.Join(p.dir, to)))
		return "mv " + d + " " + to
	case 18: // a ref to another model
		names := p.modelNames()
		ref := p.pickRef(names)
		p.write(model, p.read(model)+fmt.Sprintf("\n-- {{ ref('%s') }}\n", ref))
		return "ref " + ref + " in " + model
	default: // nothing changes
		return "no change"
	}
}

// restoreAll brings every deleted model back, enables the disabled ones
// and takes the refs added back (one may close a cycle).
func (p *mutatedProject) restoreAll() string {
	for f, data := range p.trash {
		p.write(f, string(data))
	}
	p.trash = map[string][]byte{}
	// a macro removed with its calls left, unless a file defines its name
	// again (twice would be an error no step undoes)
	for _, rd := range p.removedDefs {
		name := rd[1][len("{% macro "):strings.IndexByte(rd[1], '(')]
		defined := false
		for _, f := range p.files("macros", ".sql") {
			defined = defined || strings.Contains(p.read(f), "{% macro "+name+"(")
		}
		if !defined {
			text := ""
			if _, err := os.Stat(filepath.Join(p.dir, rd[0])); err == nil {
				text = p.read(rd[0])
			}
			p.write(rd[0], text+rd[1])
		}
	}
	p.removedDefs = nil
	// the docs block a description calls, taken out by editDocs (in
	// models/extra/docs.md, wherever a folder rename moved it)
	for _, f := range p.files("models", ".md") {
		if filepath.Base(f) == "docs.md" && !strings.Contains(p.read(f), "{% docs thing_id %}") {
			p.write(f, p.read(f)+"{% docs thing_id %}The thing's key, back.{% enddocs %}\n")
		}
	}
	added := regexp.MustCompile(`\n-- \{\{ ref\('[^']*'\) \}\}\n`)
	for _, f := range p.files("models", ".sql") {
		text := p.read(f)
		restored := added.ReplaceAllString(strings.ReplaceAll(text, "{{ config(enabled=false) }}", ""), "")
		if restored != text {
			p.write(f, restored)
		}
	}
	return "restore all"
}

// compareWarmCold compiles warm and cold and fails on any difference. It
// returns how many renders the warm compile reused, and whether the
// compile failed.
func (p *mutatedProject) compareWarmCold(step int, did []string) (int, bool) {
	t := p.t
	t.Helper()
	opt := Options{ProjectDir: p.dir, InvocationID: "inv", RunStartedAt: fmt.Sprintf("2026-12-02 00:00:%02d", step%60)}
	warmOpt := opt
	warmOpt.PartialParse = true
	warm, wd, hits := compileWithHits(warmOpt)
	cold, cd := Compile(opt)
	what := fmt.Sprintf("step %d (%s)", step, strings.Join(did, "; "))
	if os.Getenv("PP_VERBOSE") != "" {
		t.Logf("%s: %d reused, %d diagnostics, failed=%v", what, hits, len(wd), warm == nil)
		for _, d := range wd {
			t.Logf("  %s", d.String())
		}
	}
	require.Equal(t, diagLines(cd), diagLines(wd), "diagnostics differ after %s", what)
	require.Equal(t, cold == nil, warm == nil, "one compile failed after %s", what)
	if cold == nil {
		return hits, true
	}
	require.NoError(t, warm.WriteTarget(nil)) // and the cache
	if c, w := manifestBytes(t, cold.Manifest), manifestBytes(t, warm.Manifest); !bytes.Equal(c, w) {
		i := 0
		for i < len(c) && i < len(w) && c[i] == w[i] {
			i++
		}
		from := max(0, i-300)
		t.Fatalf("manifests differ after %s, at byte %d:\ncold: %s\nwarm: %s", what, i, c[from:min(len(c), i+200)], w[from:min(len(w), i+200)])
	}
	return hits, false
}

// compileWithHits is Compile, and how many renders came from the cache.
func compileWithHits(opt Options) (*Result, Diagnostics, int) {
	hits := 0
	compileHook = func(c *compilation) {
		if c.pp != nil {
			hits = c.pp.hits
		}
	}
	defer func() { compileHook = nil }()
	res, diags := Compile(opt)
	return res, diags, hits
}

func diagLines(ds Diagnostics) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

func manifestBytes(t *testing.T, m *Manifest) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	require.NoError(t, encodeManifest(w, m))
	require.NoError(t, w.Flush())
	return b.Bytes()
}

// A cache that is not one (or is damaged) is ignored with a note, and
// replaced by a good one.
func TestPartialParseCorruptCache(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := writeProject(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
		"models/b.sql": "select * from {{ ref('a') }}\n",
	})
	opt := Options{ProjectDir: dir, InvocationID: "i", RunStartedAt: "t", PartialParse: true}
	cold, _ := Compile(Options{ProjectDir: dir, InvocationID: "i", RunStartedAt: "t"})
	file := filepath.Join(dir, "target", ParseCacheFile)
	for _, junk := range [][]byte{[]byte("not a cache"), []byte(parseCacheMagic + "1\n\x00\x01garbage"), []byte(parseCacheMagic + "999\n")} {
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, junk, 0o644))
		res, diags := Compile(opt)
		require.NotNil(t, res)
		require.Len(t, diags, 1)
		require.Contains(t, diags[0].String(), "partial-parse cache ignored")
		require.Equal(t, manifestBytes(t, cold.Manifest), manifestBytes(t, res.Manifest))
		require.NoError(t, res.WriteTarget(nil))
		res, diags = Compile(opt) // the cache was rewritten
		require.NotNil(t, res)
		require.Empty(t, diags)
	}
}

// Config values the cache accepts come back with the same types and
// values (gob keeps int, int64 and float64 apart).
func TestParseCacheRoundTrip(t *testing.T) {
	conf := map[string]any{"a": 1, "b": int64(2), "c": 1.5, "d": "x", "e": true, "f": nil,
		"g": []any{nil, 1, "y", []any{}, map[string]any{"k": nil}}, "h": map[string]any{"m": []string{"p"}}, "i": []any{}}
	conf["j"] = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // a YAML date
	require.True(t, cacheableValue(conf))
	require.False(t, cacheableValue(map[string]any{"t": struct{}{}}))
	require.False(t, cacheableValue(map[string]any{"t": time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600))}))
	file := filepath.Join(t.TempDir(), ParseCacheFile)
	pc := &parseCache{Build: "b", Project: "p", Global: "g", Entries: map[string]*cachedRender{"model.p.a": {Key: "k", Config: conf,
		Warnings: Diagnostics{warnf("f", 1, 2, "w")}, ConfigAt: map[string]configCall{"x": {At: jinja.Pos{File: "f", Line: 1, Col: 2}, Set: []any{"t"}}}}}}
	require.NoError(t, writeParseCache(file, pc))
	back, err := readParseCache(file)
	require.NoError(t, err)
	require.Equal(t, conf, restoredMap(back.Entries["model.p.a"].Config))
	back.Entries["model.p.a"].Config = conf
	require.Equal(t, pc, back)
}

// removeMacro takes a macro addMacro added out of its file: moved to
// another macro file, or removed, its calls with it or not (the project
// then fails until a later step restores it), or its whole file removed.
func (p *mutatedProject) removeMacro() string {
	r := p.rng
	def := regexp.MustCompile(`\{% macro (\w+)\(x=1, step=1\) %\}\(2 \+ \{\{ x \}\}\)\{% endmacro %\}\n`)
	var in []string
	for _, f := range p.files("macros", ".sql") {
		if def.MatchString(p.read(f)) {
			in = append(in, f)
		}
	}
	// the probe reads the project's namespace, after which no removal
	// is patched (macroRemoved): it stops now and then, and starts again
	var probe string // models/extra/, or where a rename moved it
	for _, m := range p.files("models", ".sql") {
		if strings.HasSuffix(m, "/probe.sql") {
			probe = m
		}
	}
	if probe != "" && r.Intn(2) == 0 {
		p.write(probe, toggle(p.read(probe), "{% if synth.ns_m is defined %}1{% else %}0{% endif %}", "1"))
	}
	f := p.pick(in)
	if f == "" {
		return "namespace probe toggled"
	}
	text := p.read(f)
	m := def.FindStringSubmatch(text)
	name := m[1]
	if strings.Contains(f, "/new_") && r.Intn(3) == 0 {
		for _, d := range def.FindAllString(text, -1) {
			p.removedDefs = append(p.removedDefs, [2]string{f, d})
		}
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
		return "rm " + f + " (defines " + name + ")"
	}
	p.write(f, strings.Replace(text, m[0], "", 1))
	switch r.Intn(3) {
	case 0:
		to := p.pick(p.files("macros", ".sql"))
		if to != f && !strings.Contains(p.read(to), "{% macro "+name+"(") {
			p.write(to, p.read(to)+m[0])
			return "macro " + name + " moved from " + f + " to " + to
		}
	case 1:
		call := regexp.MustCompile(`\{\{ ` + name + `\(\d+\) \}\} as f\d+,`)
		for _, model := range p.files("models", ".sql") {
			if t := p.read(model); call.MatchString(t) {
				p.write(model, call.ReplaceAllString(t, ""))
			}
		}
		return "macro " + name + " removed from " + f + " with its calls"
	}
	p.removedDefs = append(p.removedDefs, [2]string{f, m[0]})
	return "macro " + name + " removed from " + f
}

// addMacro adds a macro, in a file of its own or beside others: sometimes
// overriding, dispatching, or under a name a render looked for, or called
// by model, edited with it.
func (p *mutatedProject) addMacro(model string) string {
	r := p.rng
	name := p.pick([]string{"duckdb__my_thing", "extra_m", "generate_alias_name", "maybe_m", "ns_m", fmt.Sprintf("fresh_%d", p.n)})
	body := "2"
	if name == "generate_alias_name" {
		body = "{%- if custom_alias_name -%}{{ custom_alias_name }}{%- else -%}{{ node.name }}_a{%- endif -%}"
		p.write("macros/new_"+name+".sql", "{% macro generate_alias_name(custom_alias_name=none, node=none) -%}"+body+"{%- endmacro %}\n")
		return "macro file " + name
	}
	// a name some file defines already would be defined twice, an error
	// no later step undoes (seed 20 at 150 steps stayed broken)
	for _, f := range p.files("macros", ".sql") {
		if strings.Contains(p.read(f), "{% macro "+name+"(") {
			name = fmt.Sprintf("fresh_%d", p.n)
		}
	}
	def := "{% macro " + name + "(x=1, step=1) %}(" + body + " + {{ x }}){% endmacro %}\n"
	did := "macro file " + name
	if f := p.pick(p.files("macros", ".sql")); r.Intn(2) == 0 && f != "" && !strings.Contains(f, "/new_") {
		p.write(f, p.read(f)+def)
		did = "macro " + name + " added to " + f
	} else {
		p.write("macros/new_"+name+".sql", def)
	}
	if r.Intn(2) == 0 {
		p.write(model, strings.Replace(p.read(model), "select", fmt.Sprintf("select {{ %s(%d) }} as f%d,", name, p.n, p.n), 1))
		did += ", called by " + model
	}
	return did
}
