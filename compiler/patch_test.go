package compiler

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPatchCompileEqualsCold is TestPartialParseWarmEqualsCold for
// patching (patch.go): random edits, half of them to models' SQL only, and
// after each a compile as `mart compile` makes it (patched when it can,
// else whole, keeping a snapshot) and a cold one: target/manifest.json and
// every compiled file must be the cold compile's bytes, and the
// diagnostics the same. PP_STEPS and PP_SEEDS make it longer; PP_SEED0
// is the first seed (1).
func TestPatchCompileEqualsCold(t *testing.T) {
	steps, seeds := envInt("PP_STEPS", 60), envInt("PP_SEEDS", 3)
	if testing.Short() {
		steps, seeds = 15, 1
	}
	for seed := envInt("PP_SEED0", 1); seed < envInt("PP_SEED0", 1)+seeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Setenv("MART_PROFILES_DIR", "")
			t.Setenv("PP_TEST_ENV", "a")
			p := newMutatedProject(t, int64(seed))
			// models/extra/volatile.sql reads run_started_at (each step's
			// differs) and var('v'): every patch renders it again
			if seed%2 == 1 {
				p.clock = time.Now().Add(-time.Hour)
			}
			patched, failed := 0, false
			for step := 0; step < steps; step++ {
				var did []string
				if p.rng.Intn(10) == 0 { // alone, as a scheduler's full refresh
					did = append(did, p.toggleFullRefresh())
				} else if f := p.toggled; f != "" {
					did = append(did, p.toggleMacro(f))
					p.toggled = ""
				} else if p.rng.Intn(15) == 0 { // alone, as a refactoring's save
					did = append(did, p.removeMacro())
				} else if r := p.rng.Intn(8); r < 4 {
					for k := 1 + p.rng.Intn(3); k > 0; k-- {
						p.n++
						if p.rng.Intn(5) == 0 {
							did = append(did, p.junk())
						}
						if p.rng.Intn(6) == 0 {
							did = append(did, p.editSeed())
						}
						if p.rng.Intn(5) == 0 {
							did = append(did, p.editTests())
						}
						if p.rng.Intn(6) == 0 {
							did = append(did, p.editEntries())
						}
						if p.rng.Intn(8) == 0 {
							did = append(did, p.addMacro(p.pick(p.files("models", ".sql"))))
						}
						if p.rng.Intn(10) == 0 {
							did = append(did, p.removeMacro())
						}
						if p.rng.Intn(8) == 0 {
							did = append(did, p.editUnitTests())
						}
						if p.rng.Intn(8) == 0 {
							did = append(did, p.editDocs())
						}
						if p.rng.Intn(8) == 0 {
							did = append(did, p.editInert())
						}
						if p.rng.Intn(10) == 0 {
							did = append(did, p.describeTestsAndAnalyses())
						}
						if p.rng.Intn(10) == 0 {
							did = append(did, p.toggleProd())
						}
						if p.rng.Intn(10) == 0 {
							did = append(did, p.addOrRemoveProdOnly())
						}
						if p.rng.Intn(10) == 0 {
							did = append(did, p.toggleEnabled())
						}
						if p.rng.Intn(12) == 0 {
							did = append(did, p.toggleFullRefresh())
						}
						if p.rng.Intn(4) == 0 {
							did = append(did, p.editDescription())
						} else {
							did = append(did, p.editSQL())
						}
					}
				} else if r == 4 {
					f := p.pick(p.files("macros", ".sql"))
					did = append(did, p.toggleMacro(f))
					p.toggled = f
				} else if r == 5 {
					did = append(did, p.setCLIVars())
				} else {
					did = p.mutate(1 + p.rng.Intn(3))
				}
				if failed && p.rng.Intn(3) == 0 {
					did = append(did, p.restoreAll())
				}
				if p.rng.Intn(10) == 0 {
					did = append(did, p.touchTarget())
				}
				if p.rng.Intn(12) == 0 {
					did = append(did, p.restoreFromCache())
				}
				var ok bool
				ok, failed = p.comparePatchCold(step, did)
				if ok {
					patched++
				}
			}
			require.Positive(t, patched, "no compile was patched")
			t.Logf("%d steps, %d patched", steps, patched)
		})
	}
}

// editSQL changes a model's SQL text only, as most edits do (or a
// singular test's, an analysis's).
func (p *mutatedProject) editSQL() string {
	model := p.pick(p.files("models", ".sql"))
	if p.rng.Intn(8) == 0 {
		model = p.pick(append(append(p.files("tests", ".sql"), p.files("analyses", ".sql")...), p.files("snapshots", ".sql")...))
	}
	if model == "" {
		return "nothing"
	}
	text := p.read(model)
	switch p.rng.Intn(5) {
	case 0:
		text += fmt.Sprintf("\n-- edit %d\n", p.n)
	case 1:
		text = strings.Replace(text, "select", fmt.Sprintf("select %d as e%d,", p.n, p.n), 1)
	case 2:
		text = strings.Replace(text, "\n", "\n  ", 1)
	case 3: // a ref more (patchreshape.go), sometimes one closing a cycle
		ref := p.pick(p.modelNames())
		p.write(model, text+fmt.Sprintf("\n-- {{ ref('%s') }}\n", ref))
		return "sql ref " + ref + " in " + model
	default: // the refs added dropped
		text = regexp.MustCompile(`\n-- \{\{ ref\('\w+'\) \}\}\n`).ReplaceAllString(text, "")
		p.write(model, text)
		return "sql refs dropped in " + model
	}
	p.write(model, text)
	return "sql " + model
}

// editEntries adds a model file with its entry in its layer's properties
// file (with a test), or renames or removes one it added, file and entry
// (patchadd.go; patchtests.go), or removes a model the project has with
// its entry (the whole compile fails when another refs it), or moves a
// model to another folder of its layer, its entry kept.
func (p *mutatedProject) editEntries() string {
	var added []string
	for _, f := range p.files("models", ".sql") {
		if strings.Contains(f, "/ent_") {
			added = append(added, f)
		}
	}
	entry := func(name string) string {
		col := ""
		if len(name)%2 == 0 { // a column described by a docs block (keptEntry: docsOnlyEntry)
			col = "        description: '{{ doc(\"thing_id\") }}'\n"
		}
		return "  - name: " + name + "\n    description: \"added " + name + "\"\n    columns:\n      - name: id\n" + col + "        data_tests: [unique]\n"
	}
	schema := func(model string) string { // models/layer_N/_schema.yml of models/layer_N/g_M/x.sql
		parts := strings.Split(model, "/")
		return strings.Join(parts[:2], "/") + "/_schema.yml"
	}
	entryOf := func(f string) (y, text string, at, end int) { // model file f's entry, in its layer's file
		y = schema(f)
		text = p.read(y)
		at, end = entrySpan(text, strings.TrimSuffix(filepath.Base(f), ".sql"))
		return y, text, at, end
	}
	switch r := p.rng.Intn(4); {
	case r == 0 && len(added) > 0: // renamed
		f := p.pick(added)
		name := strings.TrimSuffix(filepath.Base(f), ".sql")
		to := fmt.Sprintf("ent_%d", p.n)
		text := p.read(f)
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
		p.write(filepath.ToSlash(filepath.Join(filepath.Dir(f), to+".sql")), text)
		y := schema(f)
		p.write(y, strings.Replace(p.read(y), "  - name: "+name+"\n    description: \"added "+name+"\"", "  - name: "+to+"\n    description: \"added "+to+"\"", 1))
		return "mv " + name + " " + to + " with its entry"
	case r == 1 && len(added) > 0, r == 2: // removed
		f := p.pick(added)
		if r == 2 || f == "" {
			f = p.pick(p.files("models/layer_1", ".sql"))
		}
		if f == "" {
			return "nothing"
		}
		y, text, at, end := entryOf(f)
		if at < 0 {
			return "nothing"
		}
		p.trash[f] = []byte(p.read(f)) // restoreAll brings it back (without its entry) when others ref it
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
		p.write(y, text[:at]+text[end:])
		return "rm " + strings.TrimSuffix(filepath.Base(f), ".sql") + " with its entry"
	case r == 3 && p.rng.Intn(2) == 0 && len(p.undocumented) > 0: // an entry taken out comes back
		f := p.pick(sortedKeys(p.undocumented))
		entry := p.undocumented[f]
		delete(p.undocumented, f)
		if _, err := os.Stat(filepath.Join(p.dir, f)); err != nil {
			return "nothing" // its model moved or went
		}
		y := schema(f)
		p.write(y, strings.Replace(p.read(y), "models:\n", "models:\n"+entry, 1))
		return "entry of " + f + " back"
	case r == 3 && p.rng.Intn(3) == 0: // an entry taken out, its model kept
		f := p.pick(p.files("models/layer_"+strconv.Itoa(p.rng.Intn(3)), ".sql"))
		if f == "" {
			return "nothing"
		}
		y, text, at, end := entryOf(f)
		if at < 0 {
			return "nothing"
		}
		if p.undocumented == nil {
			p.undocumented = map[string]string{}
		}
		p.undocumented[f] = text[at:end]
		p.write(y, text[:at]+text[end:])
		return "entry of " + f + " taken out"
	case r == 3 && p.rng.Intn(2) == 0: // moved to another folder of its layer, its entry kept (patchadd.go)
		f := p.pick(p.files("models/layer_"+strconv.Itoa(p.rng.Intn(3)), ".sql"))
		if f == "" {
			return "nothing"
		}
		parts := strings.Split(f, "/")
		to := strings.Join(parts[:2], "/") + fmt.Sprintf("/moved_%d/", p.rng.Intn(2)) + parts[len(parts)-1]
		if to == f {
			return "nothing"
		}
		text := p.read(f)
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
		p.write(to, text)
		return "mv " + f + " " + to + ", its entry kept"
	default: // added
		models := p.files("models/layer_1", ".sql")
		if len(models) == 0 {
			return "nothing"
		}
		beside := p.pick(models)
		name := fmt.Sprintf("ent_%d", p.n)
		// it refs a layer's model: one disabled by target or folder (which
		// fails the compile) would stay refed by it, renamed or not, and
		// no later step would mend the project (seed 70630 was never
		// patched again)
		var layers []string
		for _, f := range p.files("models", ".sql") {
			if strings.HasPrefix(f, "models/layer_") {
				layers = append(layers, modelNameRE.FindStringSubmatch(f)[1])
			}
		}
		p.write(filepath.ToSlash(filepath.Join(filepath.Dir(beside), name+".sql")), fmt.Sprintf("select id, name, amount from {{ ref('%s') }}\n", p.pick(layers)))
		y := schema(beside)
		p.write(y, strings.Replace(p.read(y), "models:\n", "models:\n"+entry(name), 1))
		return "new model " + name + " with its entry"
	}
}

// entrySpan is where the models: entry of name is in a properties file's
// text, up to the next entry (-1 when it has none).
func entrySpan(text, name string) (at, end int) {
	at = strings.Index(text, "  - name: "+name+"\n")
	if at < 0 {
		return -1, -1
	}
	end = strings.Index(text[at+1:], "\n  - name: ")
	if end < 0 {
		return at, len(text)
	}
	return at, end + at + 2
}

// editTests changes the tests a properties file declares on a model
// (patchtests.go): one dropped or added to a flow list, or a column's
// block list of tests added or removed (lines move).
func (p *mutatedProject) editTests() string {
	f := p.pick(p.files("models", ".yml"))
	if f == "" {
		return "nothing"
	}
	text := p.read(f)
	lists := regexp.MustCompile(`data_tests: \[[^\]\n]*\]`).FindAllStringIndex(text, -1)
	block := regexp.MustCompile(`\n        data_tests:\n          - not_null\n          - accepted_values:\n              values: \[1, 2\]\n`)
	switch r := p.rng.Intn(4); {
	case r < 2 && len(lists) > 0:
		at := lists[p.rng.Intn(len(lists))]
		list := text[at[0]:at[1]]
		switch {
		case strings.Contains(list, ", not_null"):
			list = strings.Replace(list, ", not_null", "", 1)
		case strings.Contains(list, "[]"):
			list = "data_tests: [not_null]"
		default:
			list = strings.Replace(list, "]", ", not_null]", 1)
		}
		text = text[:at[0]] + list + text[at[1]:]
	case r == 2 && block.MatchString(text):
		text = block.ReplaceAllString(text, "\n")
	default:
		names := regexp.MustCompile(`\n      - name: name\n`).FindAllStringIndex(text, -1)
		if len(names) == 0 {
			return "nothing"
		}
		at := names[p.rng.Intn(len(names))]
		text = text[:at[1]-1] + "\n        data_tests:\n          - not_null\n          - accepted_values:\n              values: [1, 2]\n" + text[at[1]:]
	}
	p.write(f, text)
	return "tests " + f
}

// editUnitTests rewrites the unit tests of models/extra/_unit.yml: an
// expected value, rows added (the lines below move), a comment above
// them, a description, a unit test added, removed or renamed, a second
// file of them added or removed (patched: patchunits.go).
func (p *mutatedProject) editUnitTests() string {
	const f = "models/extra/_unit.yml"
	if _, err := os.Stat(filepath.Join(p.dir, f)); err != nil {
		return "nothing"
	}
	text := p.read(f)
	const more = "  - name: tested_more\n    model: tested\n    given:\n      - input: ref('m_0')\n        rows: []\n    expect:\n      rows: []\n"
	switch p.rng.Intn(7) {
	case 6: // a second file of unit tests added or removed (wholePropsFiles)
		const f2 = "models/extra/_unit2.yml"
		if p.exists(f2) {
			require.NoError(p.t, os.Remove(filepath.Join(p.dir, f2)))
		} else {
			p.write(f2, "version: 2\nunit_tests:\n  - name: tested_other\n    model: tested\n    given:\n      - input: ref('m_0')\n        rows: []\n    expect:\n      rows: []\n")
		}
		return "unit tests " + f2
	case 4: // a unit test added or removed
		if strings.Contains(text, more) {
			text = strings.Replace(text, more, "", 1)
		} else {
			text = strings.Replace(text, "models:\n", more+"models:\n", 1)
		}
	case 0:
		text = regexp.MustCompile(`n: \d+\}`).ReplaceAllString(text, fmt.Sprintf("n: %d}", p.n))
	case 1:
		text = strings.Replace(text, "    expect:\n      rows:\n", fmt.Sprintf("    expect:\n      rows:\n          - {id: %d, n: %d}\n", p.n, p.n), 1)
	case 2:
		text = fmt.Sprintf("# unit tests, edit %d\n", p.n) + text
	case 3:
		text = regexp.MustCompile(`(?m)^    model: tested\n(    description: .*\n)?`).ReplaceAllString(text, fmt.Sprintf("    model: tested\n    description: adds v, %d\n", p.n))
	default:
		if strings.Contains(text, "tested_adds_v") {
			text = strings.Replace(text, "tested_adds_v", "tested_adds_w", 1)
		} else {
			text = strings.Replace(text, "tested_adds_w", "tested_adds_v", 1)
		}
	}
	p.write(f, text)
	return "unit tests " + f
}

// editDocs rewrites models/extra/docs.md: a block's text, text outside
// the blocks, a block added or removed (patched: patchdocs.go), or a
// block a description calls removed (the cold compile fails) and put back.
func (p *mutatedProject) editDocs() string {
	const f = "models/extra/docs.md"
	if _, err := os.Stat(filepath.Join(p.dir, f)); err != nil {
		return "nothing"
	}
	text := p.read(f)
	block := func(name string) *regexp.Regexp {
		return regexp.MustCompile(`\{% docs ` + name + ` %\}[^{]*\{% enddocs %\}\n?`)
	}
	switch r := p.rng.Intn(7); r {
	case 6: // another .md file added (patched since session 33) or removed; its block sometimes one docs.md defines
		const other = "models/extra/more_docs.md"
		if p.exists(other) {
			require.NoError(p.t, os.Remove(filepath.Join(p.dir, other)))
			return "rm " + other
		}
		p.write(other, fmt.Sprintf("{%% docs %s %%}more %d{%% enddocs %%}\n", p.pick([]string{"more", "more_too", "extra"}), p.n))
		return "docs " + other
	case 0, 1:
		name := []string{"thing_id", "tested_note"}[r]
		text = block(name).ReplaceAllString(text, fmt.Sprintf("{%% docs %s %%}\n%s, edit %d\n{%% enddocs %%}\n", name, name, p.n))
	case 2:
		text += fmt.Sprintf("\nMore notes, %d.\n", p.n)
	case 3:
		if block("extra").MatchString(text) {
			text = block("extra").ReplaceAllString(text, "")
		} else {
			text += fmt.Sprintf("{%% docs extra %%}extra %d{%% enddocs %%}\n", p.n)
		}
	default:
		if block("thing_id").MatchString(text) {
			text = block("thing_id").ReplaceAllString(text, "")
		} else {
			text += "{% docs thing_id %}The thing's key, back.{% enddocs %}\n"
		}
	}
	p.write(f, text)
	return "docs " + f
}

// editDescription rewrites a model's or a column's description in a
// properties file: mostly plain text (patched), sometimes with Jinja in
// it or with a line more (each compiles the whole project).
func (p *mutatedProject) editDescription() string {
	f := p.pick(p.files("models", ".yml"))
	if f == "" {
		return "nothing"
	}
	text := p.read(f)
	if p.rng.Intn(3) == 0 && strings.HasSuffix(f, "_schema.yml") { // models only: no source's tables
		return p.editColumns(f, text)
	}
	locs := regexp.MustCompile(`(?m)^ +description: (.*)$`).FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 {
		return "nothing"
	}
	at := locs[p.rng.Intn(len(locs))]
	val := fmt.Sprintf(`"described %d"`, p.n)
	switch p.rng.Intn(7) {
	case 0:
		val = fmt.Sprintf(`"v is {{ var('v') }}, %d"`, p.n)
	case 1:
		val += fmt.Sprintf("\n# a line more %d", p.n)
	case 2: // a docs block's text (patched: renderDocs)
		val = fmt.Sprintf(`'{{ doc("tested_note") }}, %d'`, p.n)
	}
	p.write(f, text[:at[2]]+val+text[at[3]:])
	return "description " + f
}

// describeTestsAndAnalyses writes, edits or removes the YAML that
// describes singular tests (data_tests:, in tests/) and analyses
// (analyses:, in analyses/): a description, a config, a name that may be
// no node's.
func (p *mutatedProject) describeTestsAndAnalyses() string {
	kind, key := "tests", "data_tests"
	if p.rng.Intn(2) == 0 {
		kind, key = "analyses", "analyses"
	}
	f := kind + "/_described.yml"
	if _, err := os.Stat(filepath.Join(p.dir, f)); err == nil && p.rng.Intn(4) == 0 {
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
		return "described removed " + f
	}
	var b strings.Builder
	b.WriteString("version: 2\n" + key + ":\n")
	seen := map[string]bool{}
	var written []string // in order: the seed's steps are the same every time
	for k := 1 + p.rng.Intn(2); k > 0; k-- {
		name := "nope"
		if sql := p.pick(p.files(kind, ".sql")); sql != "" && p.rng.Intn(5) != 0 {
			name = strings.TrimSuffix(filepath.Base(sql), ".sql")
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		written = append(written, name)
		fmt.Fprintf(&b, "  - name: %s\n    description: described %d\n", name, p.n)
		if kind == "tests" && p.rng.Intn(2) == 0 {
			b.WriteString("    config:\n      severity: warn\n")
		}
		if kind == "analyses" && p.rng.Intn(2) == 0 {
			fmt.Fprintf(&b, "    columns:\n      - name: c%d\n        description: a column\n", p.n)
		}
	}
	p.write(f, b.String())
	// now and then one described in a second file too (beside the
	// models): a singular test gets both, an analysis fails the compile
	second := "models/_described_" + kind + ".yml"
	if p.rng.Intn(4) == 0 && len(written) > 0 {
		p.write(second, fmt.Sprintf("version: 2\n%s:\n  - name: %s\n    description: again %d\n", key, written[0], p.n))
		return "described twice " + f
	}
	if _, err := os.Stat(filepath.Join(p.dir, second)); err == nil {
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, second)))
	}
	return "described " + f
}

// editInert edits what the compile does not read in a properties file
// (inertKeys): an exposures: section put before a file's entries (their
// lines move), its text changed or lengthened, or taken out; or a file of
// the semantic layer alone added, edited or removed.
func (p *mutatedProject) editInert() string {
	if p.rng.Intn(4) == 0 {
		f := "models/extra/_semantic.yml"
		if _, err := os.Stat(filepath.Join(p.dir, f)); err == nil && p.rng.Intn(2) == 0 {
			require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
			return "inert file removed"
		}
		p.write(f, fmt.Sprintf("version: 2\nsemantic_models:\n  - name: sm\n    model: ref('m_0')\n    description: sm %d\n", p.n))
		return "inert file " + f
	}
	f := p.pick(p.files("models", ".yml"))
	if f == "" {
		return "nothing"
	}
	text := p.read(f)
	const head, end = "version: 2\n", "# inert end\n"
	if !strings.HasPrefix(text, head) {
		return "nothing"
	}
	if i := strings.Index(text, end); i >= 0 {
		text = head + text[i+len(end):]
		if p.rng.Intn(3) == 0 {
			p.write(f, text)
			return "inert section removed " + f
		}
	}
	section := fmt.Sprintf("exposures:\n  - name: board\n    type: dashboard\n    description: board %d\n", p.n) +
		strings.Repeat("    # more\n", p.rng.Intn(3)) + "    owner: {name: Ann}\n" + end
	p.write(f, head+section+text[len(head):])
	return "inert section " + f
}

// editSeed adds a row to a seed's CSV (of the project or its package).
func (p *mutatedProject) editSeed() string {
	var seeds []string
	for _, f := range p.files(".", ".csv") {
		if !strings.HasPrefix(f, "target/") {
			seeds = append(seeds, f)
		}
	}
	f := p.pick(seeds)
	if f == "" {
		return "nothing"
	}
	text := p.read(f)
	cols := strings.Count(strings.SplitN(text, "\n", 2)[0], ",")
	p.write(f, text+strings.TrimSuffix(strings.Repeat(fmt.Sprintf("%d,", p.n), cols+1), ",")+"\n")
	return "seed " + f
}

// junk writes or removes a file no compile reads beside a model, as
// editors do (a swap file, a backup): patched all the same.
func (p *mutatedProject) junk() string {
	model := p.pick(p.files("models", ".sql"))
	if model == "" {
		return "nothing"
	}
	dir, base := filepath.Split(model)
	name := []string{"." + base + ".swp", base + "~", ".DS_Store", "4913"}[p.rng.Intn(4)]
	f := filepath.Join(dir, name)
	if p.rng.Intn(3) == 0 {
		_ = os.Remove(filepath.Join(p.dir, f))
		return "junk removed " + f
	}
	p.write(f, fmt.Sprintf("junk %d", p.n))
	return "junk " + f
}

// editColumns adds, removes or renames a documented column (a name and a
// description at most: patched) in a properties file, or adds one with a
// test (each compiles the whole project).
func (p *mutatedProject) editColumns(f, text string) string {
	entries := regexp.MustCompile(`(?m)^      - name: (\w+)\n(?:        description: "[^"\n]*"\n)?`).FindAllStringSubmatchIndex(text, -1)
	// the entries with no other key
	documented := entries[:0]
	for _, at := range entries {
		if !strings.HasPrefix(text[at[1]:], "        ") {
			documented = append(documented, at)
		}
	}
	if len(entries) == 0 {
		return "nothing"
	}
	switch p.rng.Intn(6) {
	case 0, 1: // a column added after another
		at := entries[p.rng.Intn(len(entries))]
		end := at[1]
		for strings.HasPrefix(text[end:], "        ") { // past the entry's other keys
			end += strings.IndexByte(text[end:], '\n') + 1
		}
		col := fmt.Sprintf("      - name: c%d\n", p.n)
		switch p.rng.Intn(5) {
		case 0:
		case 1:
			col += "        data_tests: [not_null]\n"
		case 2:
			col += fmt.Sprintf("        data_type: int\n        meta: {n: %d, owner: \"me\", on: 2026-12-%02d}\n        tags: [t%d]\n", p.n, 1+p.n%28, p.n)
		default:
			col += fmt.Sprintf("        description: \"column %d\"\n", p.n)
		}
		p.write(f, text[:end]+col+text[end:])
		return "column added " + f
	case 2, 3: // one removed
		if len(documented) == 0 {
			return "nothing"
		}
		at := documented[p.rng.Intn(len(documented))]
		p.write(f, text[:at[0]]+text[at[1]:])
		return "column removed " + f
	case 4: // a documented one typed
		if len(documented) == 0 {
			return "nothing"
		}
		at := documented[p.rng.Intn(len(documented))]
		p.write(f, text[:at[1]]+fmt.Sprintf("        data_type: varchar(%d)\n", p.n)+text[at[1]:])
		return "column typed " + f
	default: // one renamed
		at := entries[p.rng.Intn(len(entries))]
		p.write(f, text[:at[2]]+fmt.Sprintf("r%d_", p.n)+text[at[2]:])
		return "column renamed " + f
	}
}

// restoreFromCache copies the project away and back, as a CI job checks
// out the repository and restores target/ from a cache: every file holds
// what it held, under a new stat (inode, mtime).
func (p *mutatedProject) restoreFromCache() string {
	cache := p.dir + ".cache"
	copyPath(p.t, p.dir, cache)
	require.NoError(p.t, os.RemoveAll(p.dir))
	copyPath(p.t, cache, p.dir)
	require.NoError(p.t, os.RemoveAll(cache))
	return "restored from a cache"
}

// touchTarget removes or replaces a compiled file (as an editor saves:
// a new file renamed over it): the next compile must write it again. A
// file edited in place is not noticed by a patch (docs/architecture.md).
func (p *mutatedProject) touchTarget() string {
	var files []string
	_ = filepath.WalkDir(filepath.Join(p.dir, "target", "compiled"), func(fp string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, fp)
		}
		return nil
	})
	f := p.pick(files)
	if f == "" {
		return "nothing"
	}
	if p.rng.Intn(2) == 0 {
		require.NoError(p.t, os.Remove(f))
		return "rm " + f
	}
	require.NoError(p.t, os.WriteFile(f+".new", []byte("select 'edited by hand'\n"), 0o644))
	require.NoError(p.t, os.Rename(f+".new", f))
	return "replace " + f
}

// toggleProd enables or disables a model disabled by target
// (patchdisabled.go), in its file or in the macro that decides.
func (p *mutatedProject) toggleProd() string {
	// sometimes the variants of one name swap which is enabled
	if p.rng.Intn(3) == 0 && p.exists("models/extra/vdev/variant.sql") && p.exists("models/extra/vprod/variant.sql") {
		for _, f := range []string{"models/extra/vdev/variant.sql", "models/extra/vprod/variant.sql"} {
			p.write(f, toggle(p.read(f), "target.name != 'prod'", "target.name == 'prod'"))
		}
		return "variants swapped"
	}
	for _, sw := range [][2]string{
		{"models/extra/prod_only.sql", "target.name == 'prod'"},
		{"models/extra/prod_only.sql", "target.name != 'prod'"},
		{"macros/bound_ok.sql", "return(target.name == 'prod')"},
		{"macros/bound_ok.sql", "return(target.name != 'prod')"},
	}[p.rng.Intn(4):] {
		if !p.exists(sw[0]) {
			continue
		}
		text := p.read(sw[0])
		if !strings.Contains(text, sw[1]) {
			continue
		}
		other := strings.Replace(sw[1], "==", "!=", 1)
		if other == sw[1] {
			other = strings.Replace(sw[1], "!=", "==", 1)
		}
		p.write(sw[0], strings.Replace(text, sw[1], other, 1))
		return "toggle prod in " + sw[0]
	}
	return "nothing"
}

// toggleEnabled disables a model by its own config() (one others read
// makes the cold compile fail: the patch must refuse) or enables it again,
// or enables or disables the project file's disabled folder (session 38:
// made again where their files are).
func (p *mutatedProject) toggleEnabled() string {
	const off, on = "    off:\n      +enabled: false\n", "    off:\n      +enabled: true\n"
	if p.rng.Intn(3) == 0 {
		text := p.read("mart.yml")
		switch {
		case strings.Contains(text, off):
			p.write("mart.yml", strings.Replace(text, off, on, 1))
			return "off folder enabled"
		case strings.Contains(text, on):
			p.write("mart.yml", strings.Replace(text, on, off, 1))
			return "off folder disabled"
		}
	}
	const disable = "{{ config(enabled=false) }}\n"
	// mostly the last layer's, which few nodes read
	model := p.pick(p.files("models", ".sql"))
	if last := p.files("models/layer_2", ".sql"); len(last) > 0 && p.rng.Intn(4) > 0 {
		model = p.pick(last)
	}
	text := p.read(model)
	if t, ok := strings.CutPrefix(text, disable); ok {
		p.write(model, t)
		return "enabled again " + model
	}
	p.write(model, disable+text)
	return "disabled by its config() " + model
}

// addOrRemoveProdOnly adds a model disabled by target (calling a macro,
// reading a var, reffing a model), or in a disabled folder, or removes one
// it added (patchdisabled.go).
func (p *mutatedProject) addOrRemoveProdOnly() string {
	var have []string
	for _, f := range append(p.files("models/extra", ".sql"), p.files("models/off", ".sql")...) {
		if strings.Contains(f, "/prod_n") || strings.HasPrefix(f, "models/off/") {
			have = append(have, f)
		}
	}
	if len(have) > 0 && p.rng.Intn(2) == 0 {
		f := p.pick(have)
		require.NoError(p.t, os.Remove(filepath.Join(p.dir, f)))
		return "rm disabled " + f
	}
	ref := p.pick(p.modelNames())
	if p.rng.Intn(3) == 0 {
		f := fmt.Sprintf("models/off/prod_n%d.sql", p.n)
		p.write(f, fmt.Sprintf("select {{ bound_ok() }} as ok from {{ ref('%s') }}\n", ref))
		return "disabled folder's " + f
	}
	f := fmt.Sprintf("models/extra/prod_n%d.sql", p.n)
	p.write(f, fmt.Sprintf("{{ config(enabled=is_prod()) }}\nselect {{ bound_ok() }} as ok, {{ var('v') }} as v from {{ ref('%s') }}\n", ref))
	return "prod-only " + f
}

// toggleMacro flips a space in a macro body, so a file goes back and forth
// between two texts (the next step flips it back).
func (p *mutatedProject) toggleMacro(f string) string {
	if f == "" {
		return "nothing"
	}
	if _, err := os.Stat(filepath.Join(p.dir, f)); err != nil {
		return "nothing"
	}
	text := p.read(f)
	switch {
	case strings.Contains(text, "({{ x }} *"):
		text = strings.Replace(text, "({{ x }} *", "( {{ x }} *", 1)
	case strings.Contains(text, "( {{ x }} *"):
		text = strings.Replace(text, "( {{ x }} *", "({{ x }} *", 1)
	case strings.Contains(text, "}}'{%"): // the volatile audit_stamp()
		text = strings.Replace(text, "}}'{%", "}}' {%", 1)
	case strings.Contains(text, "}}' {%"):
		text = strings.Replace(text, "}}' {%", "}}'{%", 1)
	default:
		return "nothing"
	}
	p.write(f, text)
	return "toggle " + f
}

// comparePatchCold compiles as `mart compile` does and cold, and fails on
// any difference. It says whether the compile was patched, and whether it
// failed.
func (p *mutatedProject) comparePatchCold(step int, did []string) (patched, failed bool) {
	t := p.t
	t.Helper()
	opt := Options{ProjectDir: p.dir, InvocationID: "inv", RunStartedAt: fmt.Sprintf("2026-12-02 00:00:%02d", step%60), Vars: p.cliVars,
		FullRefresh: p.fullRefresh}
	what := fmt.Sprintf("step %d (%s)", step, strings.Join(did, "; "))
	cold, cd := Compile(opt)

	warmOpt := opt
	warmOpt.PartialParse = true
	var wd Diagnostics
	forgetReads()
	pt, why := CompileByPatch(warmOpt)
	if pt != nil {
		wd = pt.Diags
	} else {
		warmOpt.PatchSnapshot = true
		var warm *Result
		warm, wd = Compile(warmOpt)
		if warm != nil {
			ids := compiledIDs(warm)
			require.NoError(t, warm.WriteTarget(ids))
			warm.KeepPatch(ids, wd, nil, 0)
		}
	}
	if os.Getenv("PP_VERBOSE") != "" {
		t.Logf("%s: patched=%v (%s)", what, pt != nil, why)
		for _, d := range wd {
			t.Logf("  %s", d.String())
		}
	}
	require.Equal(t, diagLines(cd), diagLines(wd), "diagnostics differ after %s", what)
	if cold == nil {
		require.Nil(t, pt, "a patched compile succeeded where a cold one failed after %s", what)
		return false, true
	}
	got, err := os.ReadFile(filepath.Join(p.dir, "target", "manifest.json"))
	require.NoError(t, err)
	want := manifestBytes(t, cold.Manifest)
	if !bytes.Equal(want, got) {
		i := 0
		for i < len(want) && i < len(got) && want[i] == got[i] {
			i++
		}
		from := max(0, i-300)
		t.Fatalf("manifest.json differs from a cold compile's after %s (patched=%v), at byte %d:\ncold: %s\nwarm: %s",
			what, pt != nil, i, want[from:min(len(want), i+200)], got[from:min(len(got), i+200)])
	}
	requireCompiledFiles(t, p.dir, cold, what, pt != nil)
	requireSnapshotSums(t, p.dir, what)
	if loaded := requireDeclaredAsCold(t, warmOpt, cold, what); pt != nil {
		require.True(t, loaded, "after %s, patched, every node loads from the index", what)
	}
	return pt != nil, false
}

// requireSnapshotSums fails unless the snapshot's sums of target/
// (outputsum.go) are those of what is on disk: manifest.json's segments
// and each compiled directory's sum.
func requireSnapshotSums(t *testing.T, dir, step string) {
	t.Helper()
	snap, err := readPatchSnapshot(filepath.Join(dir, "target", PatchFile))
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	require.NoError(t, err, step)
	f, err := os.Open(filepath.Join(dir, "target", "manifest.json"))
	require.NoError(t, err)
	defer f.Close()
	require.True(t, segsMatch(f, snap.Manifest.Size, snap.ManifestSegs), "manifest.json's sums after %s", step)
	require.Equal(t, snap.MetaEnd, snap.ManifestSegs[0].End, "the metadata's segment after %s", step)
	for _, c := range snap.Compiled {
		sum, err := dirSum(c.Path, nil)
		require.NoError(t, err)
		require.Equal(t, sum, c.Sum, "%s's sum after %s", c.Path, step)
	}
}

// requireCompiledFiles fails unless target/compiled holds the compiled
// files of a cold compile.
func requireCompiledFiles(t *testing.T, dir string, cold *Result, step string, patched bool) {
	t.Helper()
	for _, id := range compiledIDs(cold) {
		n := cold.Manifest.Node(id)
		if n.CompiledPath == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, "target", filepath.FromSlash(compiledPath(n))))
		require.NoError(t, err, "after %s", step)
		require.Equal(t, n.CompiledCode+"\n", string(data), "%s's compiled file after %s (patched=%v)", id, step, patched)
	}
}

// compiledIDs are the nodes `mart compile` writes a compiled file of.
func compiledIDs(r *Result) []string {
	var out []string
	for _, id := range r.Manifest.AllIDs() {
		if n := r.Manifest.Node(id); n.ResourceType == TypeTest && n.TestType == "generic" {
			continue
		}
		out = append(out, id)
	}
	return out
}

// TestPatchCompileCases are edits a review found a patch got wrong: vars
// that JSON cannot tell apart or cannot encode, a config() call moved to
// another line (its warnings point at it), packages.yml added.
func TestPatchCompileCases(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	type step struct {
		name  string
		files map[string]string
		vars  map[string]any
		env   map[string]string
	}
	martYML := "name: rv\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  n: 1\n  months: {1: jan, 2: feb}\n"
	steps := []step{
		{name: "cold", files: map[string]string{"mart.yml": martYML,
			"models/a.sql": "select {{ var('n') }} as x\n",
			"models/b.sql": "{{ config(materialized='incremental', incremental_strategy='bogus') }}\nselect 1 as id\n"}},
		{name: "vars n=1 (int)", vars: map[string]any{"n": 1}},
		{name: "vars n=1.0 (float)", vars: map[string]any{"n": 1.0}},
		{name: "vars n=2", vars: map[string]any{"n": 2}},
		{name: "no vars"},
		{name: "config() a line down", files: map[string]string{
			"models/b.sql": "-- a comment\n{{ config(materialized='incremental', incremental_strategy='bogus') }}\nselect 1 as id\n"}},
		{name: "packages.yml", files: map[string]string{"packages.yml": "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.0.0\n"}},
		{name: "a edited", files: map[string]string{"models/a.sql": "select {{ var('n') }} as x, 2 as y\n"}},
		{name: "a back", files: map[string]string{"models/a.sql": "select {{ var('n') }} as x\n"}},
		{name: "two macros on one line", files: map[string]string{
			"macros/two.sql": "{% macro mm1() %}'a'{% endmacro %}{% macro mm2() %}'b'{% endmacro %}\n{% macro mm3() %}'c'\n{% endmacro %}{% macro mm4() %}'d'{% endmacro %}\n",
			"models/d.sql":   "select {{ mm1() }} as x, {{ mm3() }} as y\n",
			"models/e.sql":   "select {{ mm2() }} as x, {{ mm4() }} as y\n"}},
		{name: "both edited", files: map[string]string{
			"macros/two.sql": "{% macro mm1() %}'A'{% endmacro %}{% macro mm2() %}'B'{% endmacro %}\n{% macro mm3() %}'c'\n{% endmacro %}{% macro mm4() %}'d'{% endmacro %}\n"}},
		{name: "the end of one on the line of the next", files: map[string]string{
			"macros/two.sql": "{% macro mm1() %}'A'{% endmacro %}{% macro mm2() %}'B'{% endmacro %}\n{% macro mm3() %}'c'\n'C'{% endmacro %}{% macro mm4() %}'d'{% endmacro %}\n"}},
		{name: "a reads a new env var", files: map[string]string{"models/a.sql": "select {{ var('n') }} as x, '{{ env_var(\"PP_NEW_ENV\", \"d\") }}' as e\n"}},
		{name: "that env var changed", env: map[string]string{"PP_NEW_ENV": "changed"}},
		// a var a patched render newly reads is the snapshot's from then on
		{name: "f reads var y", files: map[string]string{"models/f.sql": "select 1 as x\n"}},
		{name: "f reads var y now", files: map[string]string{"models/f.sql": "select {{ var('y', 0) }} as x\n"}},
		{name: "vars y=5", vars: map[string]any{"y": 5}},
		{name: "a macro", files: map[string]string{"macros/mx.sql": "{% macro mx() %}1{% endmacro %}\n", "models/g.sql": "select {{ mx() }} as x\n"}},
		{name: "the macro reads var z", files: map[string]string{"macros/mx.sql": "{% macro mx() %}{{ var('z', 1) }}{% endmacro %}\n"}},
		{name: "vars z=9", vars: map[string]any{"z": 9}},
		// a YAML date in a config (a microbatch model's begin:) is cached
		// and patched like any other value
		{name: "microbatch begins on a YAML date", files: map[string]string{
			"models/mb.sql":  "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day') }}\nselect 1 as id, current_timestamp as ts\n",
			"models/_mb.yml": "version: 2\nmodels:\n  - name: mb\n    config:\n      begin: 2026-01-01\n"}},
		{name: "mb edited", files: map[string]string{
			"models/mb.sql": "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day') }}\nselect 2 as id, current_timestamp as ts\n"}},
		// a package var JSON cannot encode left the project without a
		// render cache key: no snapshot, no patch
		{name: "a package with a .nan var", files: map[string]string{
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  x: .nan\n",
			"dbt_packages/pk/models/pkm.sql":  "select '{{ var('x') }}' as x\n"}},
		{name: "a edited after the package", files: map[string]string{"models/a.sql": "select {{ var('n') }} as x, 3 as y\n"}},
		{name: "the package var .inf", files: map[string]string{
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  x: .inf\n"}},
		// var() written so that a careless scan misses its name: a space
		// before the parenthesis, a computed name, a CRLF line end
		{name: "odd var calls", files: map[string]string{"models/h1.sql": "select {{ var ('x1', 1) }} as a\n",
			"models/h2.sql": "select {{ var('q' ~ 'r', 1) }} as b\n", "models/h3.sql": "select {{ var(\r\n 'x2', 1) }} as c\n"}},
		{name: "vars x1", vars: map[string]any{"x1": 5}},
		{name: "vars x1, qr", vars: map[string]any{"x1": 5, "qr": 7}},
		{name: "vars x1, qr, x2", vars: map[string]any{"x1": 5, "qr": 7, "x2": 8}},
	}
	dir := t.TempDir()
	t.Setenv("PP_NEW_ENV", "first")
	for i, s := range steps {
		for k, v := range s.env {
			t.Setenv(k, v)
		}
		for rel, text := range s.files {
			writeProjectFile(t, dir, rel, text)
		}
		patched, why := compareStep(t, Options{ProjectDir: dir, InvocationID: "inv", Vars: s.vars}, s.name)
		if i > 0 && (s.name == "a edited" || s.name == "mb edited" || s.name == "a edited after the package") {
			require.True(t, patched, "a plain SQL edit is patched (%s)", why)
		}
	}
}

// compareStep compiles the project cold, then as `mart compile` does
// (patching target/ when it can), and fails unless both say the same and
// write the same manifest.json and compiled files. It says whether the
// compile was patched, and why not.
func compareStep(t *testing.T, opt Options, step string) (bool, string) {
	t.Helper()
	cold, cd := Compile(opt)
	require.NotNil(t, cold, "step %s: %v", step, cd)
	cold.DropPatch() // its snapshot is not kept: the goroutine waiting to write it ends
	warmOpt := opt
	warmOpt.PartialParse = true
	forgetReads()
	pt, why := CompileByPatch(warmOpt)
	wd := Diagnostics(nil)
	if pt != nil {
		wd = pt.Diags
	} else {
		warmOpt.PatchSnapshot = true
		warm, d := Compile(warmOpt)
		require.NotNil(t, warm)
		ids := compiledIDs(warm)
		require.NoError(t, warm.WriteTarget(ids))
		warm.KeepPatch(ids, d, nil, 0)
		wd = d
	}
	require.Equal(t, diagLines(cd), diagLines(wd), "diagnostics after %s (patched=%v)", step, pt != nil)
	got, err := os.ReadFile(filepath.Join(opt.ProjectDir, "target", "manifest.json"))
	require.NoError(t, err)
	require.Equal(t, string(manifestBytes(t, cold.Manifest)), string(got), "manifest.json after %s (patched=%v)", step, pt != nil)
	requireCompiledFiles(t, opt.ProjectDir, cold, step, pt != nil)
	requireSnapshotSums(t, opt.ProjectDir, step)
	if loaded := requireDeclaredAsCold(t, warmOpt, cold, step); pt != nil {
		require.True(t, loaded, "after %s, patched, every node loads from the index", step)
	}
	return pt != nil, why
}

// forgetReads forgets the vars and env vars that compiles of this test
// process read outside renders (varRead, envRead), as a new mart process
// starts: the cold compile's reads, and earlier tests', must not make a
// snapshot watch more than the compile that made it read (which hid a
// patch's naming macro reading a var the snapshot did not watch).
func forgetReads() {
	varRead.Clear()
	envRead.Clear()
	envReadOutside.Clear()
}

// patchStep is an edit of a project, and whether the compile after it is
// patched.
type patchStep struct {
	name    string
	files   map[string]string // written
	remove  []string
	link    string            // a symlink to nothing made at this path, as Emacs locks a file being edited
	vars    map[string]any    // --vars of the compiles after it
	env     map[string]string // env vars set from it on
	target  string            // --target of the compiles after it
	patched bool
	any     bool // whether it is patched is not asserted
	// coldFails: the cold compile fails after this step, and the patch
	// must refuse it (nothing to compare)
	coldFails bool
}

// runPatchSteps makes each step's edit in a new project and compares the
// compile after it with a cold one (compareStep); the first step makes
// the project.
// stepWriter writes a step's files in a project directory. What a step
// touched gets an mtime of its own in the past, so the compile after it
// trusts stats, as after a real edit some seconds before, instead of
// reading every racy file and listing every directory again (which would
// hide a snapshot that missed a file).
type stepWriter struct {
	t     *testing.T
	dir   string
	clock time.Time
}

func newStepWriter(t *testing.T, dir string) *stepWriter {
	return &stepWriter{t: t, dir: dir, clock: time.Now().Add(-time.Hour)}
}

// settle gives rel the next mtime of the clock.
func (w *stepWriter) settle(rel string) {
	w.clock = w.clock.Add(time.Minute)
	if err := os.Chtimes(filepath.Join(w.dir, rel), w.clock, w.clock); err != nil && !os.IsNotExist(err) {
		require.NoError(w.t, err)
	}
}

// write writes files and removes paths (with remove). A file written
// where one was is written in place, as an editor writes it: its
// directories keep their mtimes (a patch that lost it from its list of
// files would not see the edit: found by review); a file added or
// removed changes its directory's, and a new directory's parents'.
func (w *stepWriter) write(files map[string]string, removed []string, remove func(string) error) {
	touched := map[string]bool{}
	parents := func(rel string) {
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			touched[d] = true
		}
		touched["."] = true
	}
	for rel, text := range files {
		_, err := os.Stat(filepath.Join(w.dir, rel))
		writeProjectFile(w.t, w.dir, rel, text)
		touched[rel] = true
		if err != nil {
			parents(rel)
		}
	}
	for _, rel := range removed {
		require.NoError(w.t, remove(filepath.Join(w.dir, rel)))
		parents(rel)
	}
	for _, rel := range sortedKeys(touched) {
		w.settle(rel)
	}
}

// withFiles is base's files (not changed) with the path-text pairs kv
// written over them.
func withFiles(base map[string]string, kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func runPatchSteps(t *testing.T, steps []patchStep) {
	t.Helper()
	runPatchStepsWith(t, steps, nil)
}

// runPatchStepsWith is runPatchSteps, with more of each step's compile
// options set by with (when not nil).
func runPatchStepsWith(t *testing.T, steps []patchStep, with func(i int, opt *Options)) {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	w := newStepWriter(t, dir)
	for i, s := range steps {
		for k, v := range s.env {
			t.Setenv(k, v)
		}
		w.write(s.files, s.remove, os.Remove)
		if s.link != "" {
			require.NoError(t, os.Symlink("user@host.4242:1700000000", filepath.Join(dir, s.link)))
		}
		opt := Options{ProjectDir: dir, InvocationID: "inv", Vars: s.vars, Target: s.target}
		if with != nil {
			with(i, &opt)
		}
		checkPatchStep(t, i, s, opt)
	}
}

// checkPatchStep compiles after step i (s) as runPatchSteps does: a cold
// compile that fails must be refused by the patch; otherwise the patched
// compile must equal the cold one (compareStep), and be patched or not as
// the step says.
func checkPatchStep(t *testing.T, i int, s patchStep, opt Options) {
	t.Helper()
	if s.coldFails {
		cold, d := Compile(opt)
		require.Nil(t, cold, "step %s: the cold compile succeeds", s.name)
		opt.PartialParse = true
		pt, why := CompileByPatch(opt)
		require.Nil(t, pt, "step %s: patched what the cold compile rejects (%v); why=%q", s.name, diagLines(d), why)
		return
	}
	patched, why := compareStep(t, opt, s.name)
	if os.Getenv("PP_VERBOSE") != "" {
		t.Logf("step %s: patched=%v (%s)", s.name, patched, why)
	}
	if i > 0 && !s.any {
		require.Equal(t, s.patched, patched, "step %s patched (%s)", s.name, why)
	}
}

// requireDeclaredAsCold: the nodes a run loads from the snapshot's index
// say they are declared where the cold compile's are (the file and line
// a failing test points at), also after description edits moved lines.
// It says whether it could load them.
func requireDeclaredAsCold(t *testing.T, opt Options, cold *Result, step string) bool {
	t.Helper()
	opt.PatchSnapshot, opt.PatchReadOnly, opt.inspect = false, true, true
	pt, _ := CompileByPatch(opt)
	if pt == nil {
		return false
	}
	g, _ := pt.SelectorGraph()
	if g == nil {
		return false
	}
	// the index's graph, which selection walks, is the cold compile's
	for id, n := range g.Nodes {
		c := cold.Manifest.Node(id)
		if c == nil {
			c = cold.Manifest.Sources[id]
		}
		if c != nil { // what selection methods read
			require.Equal(t, fmt.Sprint(c.Name, c.ResourceType, c.Path, c.Package, c.FQN, c.SourceName, c.TestType, c.Version),
				fmt.Sprint(n.Name, n.ResourceType, n.Path, n.Package, n.FQN, n.SourceName, n.TestType, n.Version), "%s in the node index, after %s", id, step)
		}
		if c := cold.Manifest.Node(id); c != nil {
			require.Equal(t, fmt.Sprint(c.DependsOn.Nodes), fmt.Sprint(n.DependsOn), "%s's parents in the node index, after %s", id, step)
			require.Equal(t, fmt.Sprint(c.Tags), fmt.Sprint(n.Tags), "%s's tags in the node index, after %s", id, step)
		} else if s := cold.Manifest.Sources[id]; s != nil {
			require.Equal(t, fmt.Sprint(s.DependsOn.Nodes), fmt.Sprint(n.DependsOn), "%s's parents in the node index, after %s", id, step)
			require.Equal(t, fmt.Sprint(s.Tags), fmt.Sprint(n.Tags), "%s's tags in the node index, after %s", id, step) // (review)
		} else {
			t.Fatalf("after %s, the node index has %s, which the cold compile has not", step, id)
		}
	}
	all := cold.Manifest.AllIDs()
	for _, id := range all {
		require.Contains(t, g.Nodes, id, "the node index after %s", step)
	}
	// the configs config.x:y selectors read, with their Go types
	if why := pt.WithConfigs(g); why == "" {
		for _, id := range all {
			wc, _ := typedJSON(nil, map[string]any(cold.Manifest.Node(id).Config))
			gc, _ := typedJSON(nil, g.Nodes[id].Config)
			require.Equal(t, string(wc), string(gc), "%s's config as selection reads it, after %s", id, step)
		}
	} else {
		require.Contains(t, why, "is not kept with its types", "after %s", step)
	}
	lr, _ := pt.Result(all)
	if lr == nil {
		return false
	}
	for _, id := range all {
		want, got := cold.Manifest.Node(id), lr.Manifest.Node(id)
		wf, wl := want.Declared()
		gf, gl := got.Declared()
		require.Equal(t, fmt.Sprintf("%s:%d", wf, wl), fmt.Sprintf("%s:%d", gf, gl), "where %s is declared, after %s", id, step)
		// what a run reads of it: its config with its Go types, an
		// enforced contract's columns' order (no other run reads it:
		// column edits keep the index's, descEdit)
		wc, _ := typedJSON(nil, map[string]any(want.Config))
		gc, _ := typedJSON(nil, map[string]any(got.Config))
		require.Equal(t, string(wc), string(gc), "%s's config as a run loads it, after %s", id, step)
		if want.ContractChecksum() != "" {
			for name, col := range want.Columns {
				if g := got.Columns[name]; g != nil {
					require.Equal(t, col.pos, g.pos, "%s's column %s's place, after %s", id, name, step)
				}
			}
		}
	}
	return true
}

// TestPatchDescriptionEdits: a YAML edit that rewrites only models' or
// columns' plain descriptions is patched (and the result is a cold
// compile's); any other YAML edit compiles the whole project.
func TestPatchDescriptionEdits(t *testing.T) {
	props := func(aDesc, idDesc, bDesc, extra string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: " + aDesc + "\n    columns:\n      - name: id\n        description: " + idDesc +
			"\n        data_tests: [unique]\n      - name: x\n        description: \"the x\"\n  - name: b\n    description: " + bDesc + "\n" + extra
	}
	notNull := func(s string) string { return strings.Replace(s, "[unique]", "[unique, not_null]", 1) }
	last := notNull(props(`"last"`, `"the key, edited"`, `"b, edited"`, "  - name: ghost\n    description: \"boo!\"\n"))
	clean := notNull(props(`"last"`, `"the key, edited"`, `"b, edited"`, ""))
	withY := func(s, desc string) string {
		return strings.Replace(s, "  - name: b\n", "      - name: y\n        description: "+desc+"\n  - name: b\n", 1)
	}
	const contract = "version: 2\nmodels:\n  - name: d\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: integer\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: de\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  v: 1\n",
			"models/a.sql": "select 1 as id, 2 as x\n", "models/b.sql": "select id from {{ ref('a') }}\n",
			"models/c.sql":      "{{ config(enabled=false) }}\nselect 1 as id\n",
			"models/_props.yml": props(`"the a"`, `"the key"`, "the b", ""),
			"models/d.sql":      "select 1 as id\n", "models/_d.yml": contract}},
		{name: "a's description", files: map[string]string{"models/_props.yml": props(`"a, edited"`, `"the key"`, "the b", "")}, patched: true},
		{name: "a column's description", files: map[string]string{"models/_props.yml": props(`"a, edited"`, `"the key, edited"`, "the b", "")}, patched: true},
		{name: "b's description and SQL", files: map[string]string{"models/_props.yml": props(`"a, edited"`, `"the key, edited"`, "b, edited", ""),
			"models/b.sql": "select id, 3 as y from {{ ref('a') }}\n"}, patched: true},
		{name: "quoting only", files: map[string]string{"models/_props.yml": props(`'a, edited'`, `"the key, edited"`, `"b, edited"`, "")}, patched: true},
		{name: "a comment below", files: map[string]string{"models/_props.yml": props(`'a, edited'`, `"the key, edited"`, `"b, edited"`, "# the end\n")}, patched: true},
		{name: "Jinja in a description", files: map[string]string{"models/_props.yml": props(`"v is {{ var('v') }}"`, `"the key, edited"`, `"b, edited"`, "# the end\n")}},
		{name: "plain again", files: map[string]string{"models/_props.yml": props(`"plain again"`, `"the key, edited"`, `"b, edited"`, "# the end\n")}},
		{name: "and edited", files: map[string]string{"models/_props.yml": props(`"plain, edited"`, `"the key, edited"`, `"b, edited"`, "# the end\n")}, patched: true},
		{name: "a line more", files: map[string]string{"models/_props.yml": props("|\n      two\n      lines", `"the key, edited"`, `"b, edited"`, "# the end\n")}, patched: true},
		{name: "a description removed, a line above", files: map[string]string{"models/_props.yml": "# notes\n" + strings.Replace(props("|\n      two\n      lines", `"the key, edited"`, `"b, edited"`, "# the end\n"), "        description: \"the x\"\n", "", 1)}, patched: true},
		{name: "and added again", files: map[string]string{"models/_props.yml": "# notes\n" + props("|\n      two\n      lines", `"the key, edited"`, `"b, edited"`, "# the end\n")}, patched: true},
		{name: "a description that is not a string", files: map[string]string{"models/_props.yml": props("12", `"the key, edited"`, `"b, edited"`, "# the end\n")}},
		{name: "a string again", files: map[string]string{"models/_props.yml": props(`"12"`, `"the key, edited"`, `"b, edited"`, "# the end\n")}},
		{name: "a test added", files: map[string]string{"models/_props.yml": notNull(props(`"12"`, `"the key, edited"`, `"b, edited"`, "# the end\n"))}, patched: true},
		{name: "a disabled model described", patched: true, files: map[string]string{"models/_props.yml": notNull(props(`"12"`, `"the key, edited"`, `"b, edited"`, "  - name: c\n    description: \"off\"\n"))}},
		{name: "its description", patched: true, files: map[string]string{"models/_props.yml": notNull(props(`"12"`, `"the key, edited"`, `"b, edited"`, "  - name: c\n    description: \"still off\"\n"))}},
		{name: "a model that is not there", files: map[string]string{"models/_props.yml": notNull(props(`"12"`, `"the key, edited"`, `"b, edited"`, "  - name: ghost\n    description: \"boo\"\n"))}},
		{name: "its description too", files: map[string]string{"models/_props.yml": notNull(props(`"12"`, `"the key, edited"`, `"b, edited"`, "  - name: ghost\n    description: \"boo!\"\n"))}},
		{name: "and a again", files: map[string]string{"models/_props.yml": last}, patched: true},
		{name: "the ghost gone", patched: true, files: map[string]string{"models/_props.yml": clean}}, // (session 33: its warning goes)
		{name: "a column documented", files: map[string]string{"models/_props.yml": withY(clean, `"a y"`)}, patched: true},
		{name: "its description edited", files: map[string]string{"models/_props.yml": withY(clean, `"a y, edited"`)}, patched: true},
		{name: "and renamed", files: map[string]string{"models/_props.yml": strings.Replace(withY(clean, `"a y, edited"`), "name: y", "name: z", 1)}, patched: true},
		{name: "and removed", files: map[string]string{"models/_props.yml": clean}, patched: true},
		{name: "a column typed, with meta", files: map[string]string{"models/_props.yml": strings.Replace(withY(clean, `"a y"`), `"a y"`, "\"a y\"\n        data_type: int\n        meta: {owner: me, since: 2024-01-02}", 1)}, patched: true},
		{name: "its type changed", files: map[string]string{"models/_props.yml": strings.Replace(withY(clean, `"a y"`), `"a y"`, "\"a y\"\n        data_type: bigint\n        meta: {owner: me, since: 2024-01-02}", 1)}, patched: true},
		{name: "its meta with Jinja", files: map[string]string{"models/_props.yml": strings.Replace(withY(clean, `"a y"`), `"a y"`, "\"a y\"\n        data_type: bigint\n        meta: {owner: \"{{ var('v') }}\"}", 1)}},
		{name: "and gone again", files: map[string]string{"models/_props.yml": clean}},
		{name: "a column with a test", files: map[string]string{"models/_props.yml": strings.Replace(withY(clean, `"a y"`), `"a y"`, "\"a y\"\n        data_tests: [not_null]", 1)}, patched: true},
		{name: "and removed with its test", files: map[string]string{"models/_props.yml": clean}, patched: true},
		{name: "a column of a contract", files: map[string]string{"models/_d.yml": strings.Replace(contract, "data_type: integer\n", "data_type: integer\n      - name: k\n        data_type: int\n", 1)}},
		{name: "its description", files: map[string]string{"models/_d.yml": strings.Replace(contract, "data_type: integer\n", "data_type: integer\n      - name: k\n        data_type: int\n        description: the k\n", 1)}, patched: true},
		{name: "and gone", files: map[string]string{"models/_d.yml": contract}},
	})
}

// TestRenderCacheMacrosOnOneLine: two macros that start on one line, and a
// macro that ends on the line the next starts on; an edit there reaches
// every caller's render through the render cache too (a macro's checksum
// is its lines, and the shared line is both macros').
func TestRenderCacheMacrosOnOneLine(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	write := func(rel, text string) { writeProjectFile(t, dir, rel, text) }
	write("mart.yml", "name: rc\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	write("macros/two.sql", "{% macro mm1() %}'a'{% endmacro %}{% macro mm2() %}'b'{% endmacro %}\n{% macro mm3() %}'c'\n{% endmacro %}{% macro mm4() %}'d'{% endmacro %}\n")
	write("models/d.sql", "select {{ mm1() }} as x, {{ mm3() }} as y\n")
	write("models/e.sql", "select {{ mm2() }} as x, {{ mm4() }} as y\n")
	for _, text := range []string{
		"{% macro mm1() %}'A'{% endmacro %}{% macro mm2() %}'B'{% endmacro %}\n{% macro mm3() %}'c'\n{% endmacro %}{% macro mm4() %}'d'{% endmacro %}\n",
		"{% macro mm1() %}'A'{% endmacro %}{% macro mm2() %}'B'{% endmacro %}\n{% macro mm3() %}'c'\n'C'{% endmacro %}{% macro mm4() %}'d'{% endmacro %}\n",
	} {
		opt := Options{ProjectDir: dir, InvocationID: "inv"}
		warmOpt := opt
		warmOpt.PartialParse = true
		warm, _ := Compile(warmOpt)
		require.NotNil(t, warm)
		require.NoError(t, warm.WriteTarget(nil)) // the render cache
		write("macros/two.sql", text)
		warm, _ = Compile(warmOpt)
		cold, _ := Compile(opt)
		require.NotNil(t, warm)
		require.Equal(t, string(manifestBytes(t, cold.Manifest)), string(manifestBytes(t, warm.Manifest)))
	}
}

// TestPatchDamagedSnapshot flips bytes of the snapshot and its blobs, and
// cuts them short: a patch must never panic, and never write a target/
// other than a cold compile's (it refuses, or the damage did not matter).
func TestPatchDamagedSnapshot(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	p := newMutatedProject(t, 7)
	require.NoError(t, os.Remove(filepath.Join(p.dir, "models/extra/volatile.sql")))
	opt := Options{ProjectDir: p.dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	compileKeepingPatch(t, opt)
	files := []string{filepath.Join(p.dir, "target", PatchFile), filepath.Join(p.dir, "target", PatchBlobsFile)}
	good := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		good[f] = b
	}
	model := p.pick(p.files("models/layer_2", ".sql")) // it refs others: its blob holds relation names
	refused, loaded := 0, 0
	for i := 0; i < 60; i++ {
		for _, f := range files {
			require.NoError(t, os.WriteFile(f, good[f], 0o600))
		}
		f := files[p.rng.Intn(len(files))]
		b := append([]byte(nil), good[f]...)
		// where to damage: anywhere, or (in the blobs) the edited model's
		// blob, which the patch reads
		from, to := 0, len(b)
		if f == files[1] && p.rng.Intn(3) > 0 {
			snap, err := readPatchSnapshot(files[0])
			require.NoError(t, err)
			for _, n := range snap.Nodes {
				if n.Path == model {
					from, to = int(n.Off), int(n.Off+n.Len)
				}
			}
			if p.rng.Intn(2) == 0 { // the node index, which a build of a selection reads
				from, to = int(snap.Index.Off), int(snap.Index.Off+snap.Index.Len)
			}
		}
		if p.rng.Intn(4) == 0 {
			b = b[:from+p.rng.Intn(to-from)]
		} else {
			for k := 1 + p.rng.Intn(3); k > 0; k-- {
				b[from+p.rng.Intn(to-from)] ^= byte(1 + p.rng.Intn(255))
			}
		}
		require.NoError(t, os.WriteFile(f, b, 0o600))
		p.write(model, p.read(model)+fmt.Sprintf("\n-- damaged %d\n", i))
		pt, _ := CompileByPatch(Options{ProjectDir: p.dir, InvocationID: "inv", PartialParse: true})
		if pt == nil {
			refused++
			// as mart compile does: compile whole, keep a new snapshot
			compileKeepingPatch(t, opt)
		}
		cold, _ := Compile(Options{ProjectDir: p.dir, InvocationID: "inv"})
		got, err := os.ReadFile(filepath.Join(p.dir, "target", "manifest.json"))
		require.NoError(t, err)
		require.Equal(t, string(manifestBytes(t, cold.Manifest)), string(got), "after damaging %s (patched=%v)", filepath.Base(f), pt != nil)
		if pt != nil { // a build of the model and its children loads them as compiled, or refuses
			if g, _ := pt.SelectorGraph(); g != nil {
				var ids []string
				for id, n := range g.Nodes {
					if n.Path == model || slices.Contains(n.DependsOn, "model.synth."+strings.TrimSuffix(filepath.Base(model), ".sql")) {
						ids = append(ids, id)
					}
				}
				if lr, _ := pt.Result(ids); lr != nil {
					loaded += len(lr.Manifest.AllIDs())
					for _, id := range lr.Manifest.AllIDs() {
						want := *cold.Manifest.Node(id)
						want.versionSpec, want.extractAt, want.testCall = nil, nil, nil
						requireSameNode(t, &want, lr.Manifest.Node(id))
					}
				}
			}
		}
		if _, err := os.Stat(files[0]); err != nil { // a damaged index removes the snapshot: compile whole
			compileKeepingPatch(t, opt)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			good[f] = b // the next round damages what this one left
		}
	}
	require.Positive(t, refused)
	require.Positive(t, loaded, "nodes a build of a selection loaded")
}

// TestPatchWithProfileWarnings: a profile with unknown keys warns at every
// compile, in its own order; that must not rule patching out, and the
// warnings are printed as a whole compile prints them.
func TestPatchWithProfileWarnings(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	write := func(rel, text string) { writeProjectFile(t, dir, rel, text) }
	write("mart.yml", "name: pw\nversion: \"1.0.0\"\nprofile: pw\nmodel-paths: [\"models\"]\n")
	write("profiles.yml", "pw:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/pw.duckdb\n      zeta: 1\n      alpha: 2\n")
	write("models/a.sql", "select 1 as x\n")
	opt := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	res, diags := Compile(opt)
	require.NotNil(t, res, "%v", diags)
	require.NotEmpty(t, diags, "the profile's unknown keys warn")
	ids := compiledIDs(res)
	require.NoError(t, res.WriteTarget(ids))
	res.KeepPatch(ids, diags, nil, 0)
	write("models/a.sql", "select 2 as x\n")
	pt, why := CompileByPatch(Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true})
	require.NotNil(t, pt, why)
	_, cd := Compile(Options{ProjectDir: dir, InvocationID: "inv"})
	require.Equal(t, diagLines(cd), diagLines(pt.Diags))
}

// writeProjectFile writes a file of a test project, making its directory.
func writeProjectFile(t *testing.T, dir, rel, text string) {
	t.Helper()
	full := filepath.Join(dir, rel)
	require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
	require.NoError(t, os.WriteFile(full, []byte(text), 0o644))
}

// setCLIVars picks the next --vars: models read v and w, a YAML
// description reads y, nothing reads z; 2 and 2.0 render differently.
func (p *mutatedProject) setCLIVars() string {
	choices := []map[string]any{nil, {"v": 2}, {"v": 2.0}, {"v": 3}, {"w": 7}, {"z": 1}, {"v": 2, "w": 6},
		{"y": "cooked"}, {"z": "two", "v": 3}}
	p.cliVars = choices[p.rng.Intn(len(choices))]
	return fmt.Sprintf("--vars %v", p.cliVars)
}

// toggleFullRefresh compiles the next steps with --full-refresh, or
// without it again; or adds or removes a model that reads it, a macro
// that reads it with a model that calls it, or a model that it enables.
// A patch renders the readers again (patchfullrefresh.go): each step
// must equal a cold compile with the same option.
func (p *mutatedProject) toggleFullRefresh() string {
	files := map[string]string{
		"models/extra/refreshed.sql": "select {{ 1 if should_full_refresh() else 0 }} as r, {{ flags.FULL_REFRESH }} as f\n",
		"models/extra/only_full.sql": "{{ config(enabled=flags.FULL_REFRESH, tags=['full']) }}\nselect 1 as only_full\n",
		"models/extra/marked.sql":    "select '{{ fr_mark() }}' as mark\n",
	}
	names := sortedKeys(files)
	if r := p.rng.Intn(6); r < len(names) {
		path := names[r]
		if p.exists(path) {
			require.NoError(p.t, os.Remove(filepath.Join(p.dir, path)))
			return "rm " + path
		}
		if path == "models/extra/marked.sql" && !p.exists("macros/fr_mark.sql") {
			p.write("macros/fr_mark.sql", "{% macro fr_mark() %}{{ 'full' if flags.FULL_REFRESH else 'incremental' }}{% endmacro %}\n")
		}
		p.write(path, files[path])
		return "add " + path
	}
	p.fullRefresh = !p.fullRefresh
	return fmt.Sprintf("--full-refresh=%v", p.fullRefresh)
}

// TestPatchKeepsARelistedDirectorysStat: a directory whose stat changed
// but whose listing did not (a file replaced by a rename, as editors and
// `sed -i` save) is listed once; the snapshot keeps its new stat, so the
// compile after that does not list it again. Each file's stat is taken
// with its directory's descriptor: an unchanged project patches without
// reading a file.
func TestPatchKeepsARelistedDirectorysStat(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	p := newMutatedProject(t, 11)
	require.NoError(t, os.Remove(filepath.Join(p.dir, "models/extra/volatile.sql")))
	// old enough not to be racy
	old := time.Now().Add(-time.Hour)
	require.NoError(t, filepath.Walk(p.dir, func(path string, _ os.FileInfo, err error) error {
		require.NoError(t, err)
		return os.Chtimes(path, old, old)
	}))
	opt := Options{ProjectDir: p.dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	compileKeepingPatch(t, opt)
	snapFile := filepath.Join(p.dir, "target", PatchFile)

	model := p.pick(p.files("models/layer_1", ".sql"))
	dir := filepath.Dir(filepath.Join(p.dir, model))
	// the same text, saved through a new file renamed over the old one
	tmp := filepath.Join(dir, ".save.tmp")
	require.NoError(t, os.WriteFile(tmp, []byte(p.read(model)), 0o644))
	require.NoError(t, os.Rename(tmp, filepath.Join(p.dir, model)))
	later := old.Add(time.Minute)
	require.NoError(t, os.Chtimes(filepath.Join(p.dir, model), later, later))
	require.NoError(t, os.Chtimes(dir, later, later))
	dirStat := func() fileStat {
		snap, err := readPatchSnapshot(snapFile)
		require.NoError(t, err)
		for _, d := range snap.Dirs {
			if d.Path == dir {
				return d
			}
		}
		t.Fatalf("%s is not in the snapshot", dir)
		return fileStat{}
	}
	require.Equal(t, old.UnixNano(), dirStat().MTime)

	pt, _ := CompileByPatch(Options{ProjectDir: p.dir, InvocationID: "inv", PartialParse: true})
	require.NotNil(t, pt, "the same listing and the same text patch")
	require.Equal(t, later.UnixNano(), dirStat().MTime, "the directory's new stat is kept")
	now, err := statOf(dir)
	require.NoError(t, err)
	require.True(t, dirStat().same(now))

	// and the files' stats through the directory's descriptor are what a
	// stat of each path says
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	for _, run := range dirRuns(snap.Files) {
		d := filepath.Join(p.dir, filepath.FromSlash(run.rel))
		var names []string
		for _, f := range snap.Files[run.from:run.to] {
			names = append(names, f.Path[len(run.rel):])
		}
		got := make([]fileStat, len(names))
		require.Nil(t, statNames(d, names, got))
		for i, name := range names {
			want, err := statOf(filepath.Join(d, name))
			require.NoError(t, err)
			require.True(t, want.same(got[i]), name)
			require.True(t, want.same(snap.Files[run.from+i]), name)
		}
	}
	got := make([]fileStat, 2)
	errs := statNames(dir, []string{filepath.Base(model), "missing.sql"}, got)
	require.Len(t, errs, 2)
	require.NoError(t, errs[0])
	require.ErrorIs(t, errs[1], fs.ErrNotExist)
}

// compileKeepingPatch compiles every node as `mart compile` does: writes
// target/ and keeps a patch snapshot.
func compileKeepingPatch(t *testing.T, opt Options) *Result {
	t.Helper()
	res, diags := Compile(opt)
	require.NotNil(t, res, "%v", diags)
	ids := compiledIDs(res)
	require.NoError(t, res.WriteTarget(ids))
	res.KeepPatch(ids, diags, nil, 0)
	return res
}

// keptSnapshotProject is a mutated project (newMutatedProject) compiled as
// \`mart compile\` compiles it, keeping its patch snapshot: the options
// that did, and the snapshot's file.
func keptSnapshotProject(t *testing.T) (Options, string) {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	p := newMutatedProject(t, 12)
	// the volatile models, enabled or not: a read-only command compiles
	// the whole project with them
	require.NoError(t, os.Remove(filepath.Join(p.dir, "models/extra/volatile.sql")))
	require.NoError(t, os.Remove(filepath.Join(p.dir, "models/extra/prod_stamp.sql")))
	opt := Options{ProjectDir: p.dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	compileKeepingPatch(t, opt)
	return opt, filepath.Join(p.dir, "target", PatchFile)
}

// writeKeepingStat writes text over a file in place and puts its mtime
// back: its stat is as it was (size, mtime, inode), as after a crash of
// the machine that lost a write made in place.
func writeKeepingStat(t *testing.T, file string, edit func([]byte) []byte) {
	t.Helper()
	fi, err := os.Stat(file)
	require.NoError(t, err)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	f, err := os.OpenFile(file, os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(edit(data), 0)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, os.Chtimes(file, fi.ModTime(), fi.ModTime()))
	after, err := os.Stat(file)
	require.NoError(t, err)
	require.True(t, fileStatOf(after, 0).same(fileStatOf(fi, 0)))
}

// TestPatchAcrossReboots: after a restart of the machine a write made in
// place may be lost under a stat that shows it (spare.go), so a snapshot
// written in another boot is trusted only once target/ is checked by
// content: a byte of manifest.json or of a compiled file that is not
// what the snapshot says, under the same stat, compiles the whole
// project; target/ as the snapshot says is patched, and the new snapshot
// is of this boot.
func TestPatchAcrossReboots(t *testing.T) {
	if bootID() == "" {
		t.Skip("no boot id here")
	}
	opt, snapFile := keptSnapshotProject(t)
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	require.Equal(t, bootID(), snap.Boot)
	require.NotEmpty(t, snap.ManifestSegs)
	patchOpt := Options{ProjectDir: opt.ProjectDir, InvocationID: "inv", PartialParse: true}
	otherBoot := func() {
		snap, err := readPatchSnapshot(snapFile)
		require.NoError(t, err)
		snap.Boot = "another boot"
		require.NoError(t, writePatchSnapshot(snapFile, snap))
	}
	flip := func(at func([]byte) int) func([]byte) []byte {
		return func(b []byte) []byte {
			b = bytes.Clone(b)
			b[at(b)] ^= 0x20 // a letter's case
			return b
		}
	}
	manifest := filepath.Join(opt.ProjectDir, "target", "manifest.json")
	nodeName := func(b []byte) int { return bytes.Index(b, []byte(`"name":"`)) + len(`"name":"`) }

	otherBoot()
	writeKeepingStat(t, manifest, flip(nodeName))
	pt, why := CompileByPatch(patchOpt)
	require.Nil(t, pt)
	require.Equal(t, "manifest.json changed", why)
	// the same stat in this boot: trusted (a file edited in place under
	// the same stat is not noticed, docs/architecture.md)
	snap, err = readPatchSnapshot(snapFile)
	require.NoError(t, err)
	snap.Boot = bootID()
	require.NoError(t, writePatchSnapshot(snapFile, snap))
	writeKeepingStat(t, manifest, flip(nodeName)) // back as it was
	otherBoot()
	pt, why = CompileByPatch(patchOpt)
	require.NotNil(t, pt, why)
	snap, err = readPatchSnapshot(snapFile)
	require.NoError(t, err)
	require.Equal(t, bootID(), snap.Boot)

	var compiled string
	require.NoError(t, filepath.WalkDir(filepath.Join(opt.ProjectDir, "target", "compiled"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && compiled == "" {
			compiled = p
		}
		return err
	}))
	require.NotEmpty(t, compiled)
	otherBoot()
	writeKeepingStat(t, compiled, flip(func(b []byte) int { return bytes.IndexAny(b, "abcdefghijklmnopqrstuvwxyz") }))
	pt, why = CompileByPatch(patchOpt)
	require.Nil(t, pt)
	require.Equal(t, filepath.Dir(compiled)+" changed", why)
}

// TestPatchAfterRestore: a CI job checks out the project and restores
// target/ from a cache: every file holds what it held, under a new stat.
// The compile is patched (an edit made since too), and writes what a
// cold compile writes; a restored manifest.json or compiled directory
// that differs from the snapshot's compiles the whole project.
func TestPatchAfterRestore(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	p := newMutatedProject(t, 12)
	require.NoError(t, os.Remove(filepath.Join(p.dir, "models/extra/volatile.sql")))
	opt := Options{ProjectDir: p.dir, InvocationID: "inv"}
	patched, why := compareStep(t, opt, "first compile")
	require.False(t, patched, why)
	for i, step := range []string{"restored", "restored after an edit", "restored twice"} {
		if i == 1 { // a plain edit (editSQL's may close a ref cycle)
			p.write("models/extra/src.sql", p.read("models/extra/src.sql")+"\n-- edited\n")
		}
		p.restoreFromCache()
		if i == 2 {
			p.restoreFromCache()
		}
		patched, why = compareStep(t, opt, step)
		require.True(t, patched, "%s: %s", step, why)
	}
	// a compiled file of another version, restored
	var compiled string
	require.NoError(t, filepath.WalkDir(filepath.Join(p.dir, "target", "compiled"), func(fp string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && compiled == "" {
			compiled = fp
		}
		return err
	}))
	require.NoError(t, os.WriteFile(compiled, []byte("select 'another version'\n"), 0o644))
	p.restoreFromCache()
	patched, why = compareStep(t, opt, "a compiled file of another version")
	require.False(t, patched)
	require.Equal(t, filepath.Dir(compiled)+" changed", why)
	// a manifest.json of another version
	manifest := filepath.Join(p.dir, "target", "manifest.json")
	data, err := os.ReadFile(manifest)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(manifest, bytes.Replace(data, []byte(`"inv"`), []byte(`"vni"`), 1), 0o644))
	p.restoreFromCache()
	patched, why = compareStep(t, opt, "a manifest.json of another version")
	require.False(t, patched)
	require.Equal(t, "manifest.json changed", why)
}

// TestPatchBlobsWrittenBeforeKeep: a whole compile writes its snapshot's
// blobs file while target/ is written, under a name of its own, and puts
// it in place only when it keeps the snapshot: a command that fails
// before writing target/ writes none of it, one that fails after leaves
// the snapshot in place as it was, and a killed one's file is removed by
// a later write once it is stale. A command that does not keep it drops
// it (DropPatch): nothing is left of it.
func TestPatchBlobsWrittenBeforeKeep(t *testing.T) {
	opt, snapFile := keptSnapshotProject(t)
	blobs := filepath.Join(opt.ProjectDir, "target", PatchBlobsFile)
	old, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	oldBlobs, err := os.ReadFile(blobs)
	require.NoError(t, err)
	requireOld := func() {
		t.Helper()
		now, err := readPatchSnapshot(snapFile)
		require.NoError(t, err)
		require.Equal(t, old.BlobsID, now.BlobsID)
		b, err := os.ReadFile(blobs)
		require.NoError(t, err)
		require.Equal(t, oldBlobs, b)
	}

	// a killed mart's blobs file, and a live one's (it holds its lock);
	// both are old (the ctime a stale file needs cannot be set)
	defer func(d time.Duration) { staleAfter = d }(staleAfter)
	staleAfter = -time.Minute
	stale, fresh := tempName(blobs), tempName(blobs)
	require.NoError(t, os.WriteFile(stale, []byte("x"), 0o600))
	live, err := os.OpenFile(fresh, os.O_CREATE|os.O_WRONLY, 0o600)
	require.NoError(t, err)
	defer live.Close()
	lockTemp(live)

	// a command that fails before it writes target/ (a bad selection)
	res, diags := Compile(opt)
	require.NotNil(t, res, "%v", diags)
	<-res.patch.ready
	require.NotNil(t, res.patch.snap, res.patch.why)
	requireOld()
	pt, why := CompileByPatch(Options{ProjectDir: opt.ProjectDir, InvocationID: "inv", PartialParse: true, PatchReadOnly: true})
	require.NotNil(t, pt, why)
	require.ElementsMatch(t, []string{stale, fresh}, tempsOf(blobs), "nothing written")

	res.DropPatch() // ends the goroutine waiting to write
	<-res.patch.written
	require.Empty(t, res.patch.blobsTmp)
	require.ElementsMatch(t, []string{stale, fresh}, tempsOf(blobs), "nothing written")

	// one that fails after: the new blobs file is beside the old one,
	// and dropped
	res, diags = Compile(opt)
	require.NotNil(t, res, "%v", diags)
	ids := compiledIDs(res)
	require.NoError(t, res.WriteTarget(ids))
	<-res.patch.written
	require.NoError(t, res.patch.blobsErr)
	require.ElementsMatch(t, []string{fresh, res.patch.blobsTmp}, tempsOf(blobs), "the stale one removed")
	// the snapshot went as the compile started to write target/ (a patch
	// that read it gives up); the blobs file stays until one is kept
	requireOldBlobs := func() {
		t.Helper()
		_, err := os.Stat(snapFile)
		require.ErrorIs(t, err, fs.ErrNotExist)
		b, err := os.ReadFile(blobs)
		require.NoError(t, err)
		require.Equal(t, oldBlobs, b)
	}
	requireOldBlobs()
	res.DropPatch()
	require.Equal(t, []string{fresh}, tempsOf(blobs))
	requireOldBlobs()

	// kept
	res, diags = Compile(opt)
	require.NotNil(t, res, "%v", diags)
	require.NoError(t, res.WriteTarget(ids))
	<-res.patch.written
	require.ElementsMatch(t, []string{fresh, res.patch.blobsTmp}, tempsOf(blobs))

	res.KeepPatch(ids, diags, nil, 0)
	res.DropPatch() // as the CLI defers it: nothing after KeepPatch
	require.Equal(t, []string{fresh}, tempsOf(blobs))
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	require.NotEqual(t, old.BlobsID, snap.BlobsID)
	id, err := os.ReadFile(blobs)
	require.NoError(t, err)
	require.Equal(t, snap.BlobsID+"\n", string(id[:len(snap.BlobsID)+1]))
	require.Positive(t, snap.Index.Len)
	require.Len(t, snap.Entries, len(res.Manifest.AllIDs()))
	pt, why = CompileByPatch(Options{ProjectDir: opt.ProjectDir, InvocationID: "inv", PartialParse: true})
	require.NotNil(t, pt, why)
	g, why := pt.SelectorGraph()
	require.NotNil(t, g, why)
	require.Len(t, g.Nodes, len(res.Manifest.AllIDs()))
}

// TestPatchIgnoresFilesNoCompileReads: files no compile reads (an
// editor's swap, backup and lock files, .DS_Store, notes) may appear, change and
// go beside the models being edited: the compile is still patched, and is
// what a cold compile makes. A file the compile reads added is patched as
// what it is: a Markdown docs file (since session 33; it compiled the
// whole project before), a hidden SQL file (a model).
func TestPatchIgnoresFilesNoCompileReads(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: junk\nmodel-paths: [\"models\"]\n",
			"models/a.sql": "select 1 as id\n", "models/sub/b.sql": "select id from {{ ref('a') }}\n", "models/notes.txt": "todo\n"}},
		{name: "a swap file and an edit", files: map[string]string{"models/.a.sql.swp": "swap 1", "models/a.sql": "select 1 as id, 2 as x\n"}, patched: true},
		{name: "the swap file written again, another edit", files: map[string]string{"models/.a.sql.swp": "swap 2", "models/a.sql": "select 1 as id, 3 as x\n"}, patched: true},
		{name: "a backup, .DS_Store, a file with no extension", files: map[string]string{"models/a.sql~": "select 1 as id\n", "models/sub/.DS_Store": "\x00\x01",
			"models/4913": "", "models/sub/b.sql": "select id, 1 as y from {{ ref('a') }}\n"}, patched: true},
		{name: "notes edited", files: map[string]string{"models/notes.txt": "done\n"}, patched: true},
		{name: "an Emacs lock", link: "models/.#a.sql", files: map[string]string{"models/a.sql": "select 1 as id, 4 as x\n"}, patched: true},
		{name: "all gone", remove: []string{"models/.a.sql.swp", "models/a.sql~", "models/sub/.DS_Store", "models/4913", "models/notes.txt", "models/.#a.sql"}, patched: true},
		{name: "a docs file", patched: true, files: map[string]string{"models/docs.md": "{% docs a %}the a{% enddocs %}\n"}},
		{name: "a hidden SQL file is a model", files: map[string]string{"models/.c.sql": "select 2 as id\n"}, patched: true}, // added (patchadd.go)
	})
}

// TestPatchSeedEdits: a compile reads a seed's CSV only to hash it, so an
// edit of one changes its checksum in manifest.json and nothing else: it
// is patched (a disabled seed's compiles the whole project: manifest.json
// keeps it under disabled:, where the snapshot has no entry).
func TestPatchSeedEdits(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: sd\nseeds:\n  sd:\n    off:\n      +enabled: false\n",
			"seeds/s.csv": "id,name\n1,a\n", "seeds/off/t.csv": "id\n1\n", "models/m.sql": "select * from {{ ref('s') }}\n",
			"seeds/_seeds.yml": "version: 2\nseeds:\n  - name: s\n    description: the s\n"}},
		{name: "a row added", files: map[string]string{"seeds/s.csv": "id,name\n1,a\n2,b\n"}, patched: true},
		{name: "and a model edited", files: map[string]string{"seeds/s.csv": "id,name\n1,a\n2,c\n", "models/m.sql": "select id from {{ ref('s') }}\n"}, patched: true},
		{name: "a disabled seed's (manifest.json's disabled: not in the index)", files: map[string]string{"seeds/off/t.csv": "id\n2\n"}},
		{name: "after it, s's", files: map[string]string{"seeds/s.csv": "id,name\n1,a\n2,d\n"}, patched: true},
		{name: "emptied", files: map[string]string{"seeds/s.csv": ""}, patched: true},
		{name: "a seed added (session 33: patched)", files: map[string]string{"seeds/u.csv": "id\n1\n"}, patched: true},
		{name: "it edited", files: map[string]string{"seeds/u.csv": "id\n3\n"}, patched: true},
	})
}

// TestPatchAddsSeeds: a seed's CSV file added is patched (session 33;
// before, the whole project compiled): its node as the whole compile makes
// it, a model added with it that refs it, its rows edited after. A seed
// of a model's name, one whose relation a source table reads (the table
// would depend on it), one disabled by its folder, one a YAML entry
// describes, and a seed removed compile whole.
func TestPatchAddsSeeds(t *testing.T) {
	const project = "name: sa\nversion: \"1.0.0\"\nseeds:\n  sa:\n    off:\n      +enabled: false\n    typed:\n      +column_types: {id: bigint}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": project,
			"seeds/s.csv": "id,name\n1,a\n", "models/m.sql": "select * from {{ ref('s') }}\n",
			"models/src.yml":   "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: t\n",
			"models/st.sql":    "select * from {{ source('raw', 't') }}\n",
			"seeds/_seeds.yml": "version: 2\nseeds:\n  - name: s\n    description: the s\n"}},
		{name: "a seed added", patched: true, files: map[string]string{"seeds/u.csv": "id\n1\n"}},
		{name: "a model that refs it", patched: true, files: map[string]string{"models/mu.sql": "select * from {{ ref('u') }}\n"}},
		{name: "a seed and a model that refs it in one save", patched: true, files: map[string]string{
			"seeds/v.csv": "id\n2\n", "models/mv.sql": "select * from {{ ref('v') }} join {{ ref('s') }} using (id)\n"}},
		{name: "its rows edited", patched: true, files: map[string]string{"seeds/v.csv": "id\n3\n"}},
		{name: "a model's SQL made to ref it", patched: true, files: map[string]string{"models/m.sql": "select * from {{ ref('s') }} union all select 1, 'x' from {{ ref('v') }}\n"}},
		{name: "one in a folder with a config", patched: true, files: map[string]string{"seeds/typed/w.csv": "id\n4\n"}},
		{name: "one of a model's name", coldFails: true, files: map[string]string{"seeds/mu.csv": "id\n1\n"}},
		{name: "that one removed", patched: true, remove: []string{"seeds/mu.csv"}},
		{name: "one a source table reads", patched: false, files: map[string]string{"seeds/t.csv": "id\n1\n"}},
		{name: "one its folder disables", patched: false, files: map[string]string{"seeds/off/x.csv": "id\n1\n"}},
		{name: "one YAML describes, with its entry", patched: false, files: map[string]string{
			"seeds/y.csv": "id\n1\n", "seeds/_seeds.yml": "version: 2\nseeds:\n  - name: s\n    description: the s\n  - name: y\n    description: the y\n"}},
		{name: "a seed removed", patched: false, remove: []string{"seeds/u.csv", "models/mu.sql"}},
		{name: "one added after", patched: true, files: map[string]string{"seeds/z.csv": "id\n5\n"}},
		// a seed and a model added in one save that build one relation: a
		// compile error (found by review: each checked its own)
		{name: "a seed and a model aliased as it", coldFails: true, files: map[string]string{
			"seeds/n.csv": "id\n1\n", "models/xm.sql": "{{ config(alias='n') }}\nselect 1 as id\n"}},
		{name: "the model aliased so alone", patched: true, remove: []string{"seeds/n.csv"}},
		{name: "it removed, a seed and a model taking its relation", coldFails: true, remove: []string{"models/xm.sql"}, files: map[string]string{
			"seeds/n.csv": "id\n1\n", "models/xm2.sql": "{{ config(alias='n') }}\nselect 1 as id\n"}},
	})
}

// TestPatchSingularTestsAndAnalyses: a singular test and an analysis are
// templates of their own, as models are: an edit of one's SQL is patched
// (its entry and compiled file), unless its render changed more than its
// text.
func TestPatchSingularTestsAndAnalyses(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: st\n", "models/m.sql": "select 1 as id\n", "models/n.sql": "select 2 as id\n",
			"tests/t.sql":     "{{ config(severity='warn') }}\nselect * from {{ ref('m') }} where id < 0\n",
			"analyses/a.sql":  "select count(*) from {{ ref('m') }}\n",
			"tests/_t.yml":    "version: 2\ndata_tests:\n  - name: t\n    description: the t\n",
			"macros/help.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}},
		{name: "the test edited", files: map[string]string{"tests/t.sql": "{{ config(severity='warn') }}\nselect * from {{ ref('m') }} where id <= 0\n"}, patched: true},
		{name: "the analysis edited", files: map[string]string{"analyses/a.sql": "select count(*) as n from {{ ref('m') }}\n"}, patched: true},
		{name: "the test calls a macro", files: map[string]string{"tests/t.sql": "{{ config(severity='warn') }}\nselect * from {{ ref('m') }} where {{ neg('id') }}\n"}, patched: true},
		{name: "the macro edited", files: map[string]string{"macros/help.sql": "{% macro neg(c) %}{{ c }} <= 0{% endmacro %}\n"}, patched: true},
		{name: "the test refs another model", files: map[string]string{"tests/t.sql": "{{ config(severity='warn') }}\nselect * from {{ ref('n') }} where {{ neg('id') }}\n"}, patched: true},
		{name: "its severity", files: map[string]string{"tests/t.sql": "{{ config(severity='error') }}\nselect * from {{ ref('n') }} where {{ neg('id') }}\n"}, patched: true},
		{name: "and a comment", files: map[string]string{"tests/t.sql": "{{ config(severity='error') }}\nselect * from {{ ref('n') }} where {{ neg('id') }} -- none\n"}, patched: true},
		// found by a review: a name longer than a relation's is cut and
		// ends with the checksum, which the edit changes
		{name: "a test with a long name", files: map[string]string{"tests/assert_every_order_has_a_positive_amount_and_a_known_customer_id.sql": "select * from {{ ref('m') }} where id < 0\n"}},
		{name: "it edited", files: map[string]string{"tests/assert_every_order_has_a_positive_amount_and_a_known_customer_id.sql": "select * from {{ ref('m') }} where id <= 0\n"}},
		// and a test block named in a comment makes the file generic
		// tests' definitions: no node
		{name: "a test block in a comment", files: map[string]string{"tests/t.sql": "{# one day {% test positive(model) %} #}\nselect * from {{ ref('n') }} where {{ neg('id') }} -- none\n"}},
		// data_tests: describes singular tests (description, config):
		// an edit of it compiles the whole project
		{name: "a singular test again", files: map[string]string{"tests/t.sql": "select * from {{ ref('n') }} where id < 0\n"}},
		{name: "its description edited", files: map[string]string{"tests/_t.yml": "version: 2\ndata_tests:\n  - name: t\n    description: the t, edited\n"}},
		{name: "its YAML config", files: map[string]string{"tests/_t.yml": "version: 2\ndata_tests:\n  - name: t\n    description: the t\n    config:\n      severity: warn\n      tags: [nightly]\n"}},
		{name: "its SQL edited under the YAML config", files: map[string]string{"tests/t.sql": "select * from {{ ref('n') }} where id <= 0\n"}, patched: true},
		{name: "config() over the YAML", files: map[string]string{"tests/t.sql": "{{ config(severity='error') }}\nselect * from {{ ref('n') }} where id <= 0\n"}, patched: true},
		{name: "an entry of no test", files: map[string]string{"tests/_t.yml": "version: 2\ndata_tests:\n  - name: t\n  - name: nope\n"}},
		{name: "the entry gone", files: map[string]string{"tests/_t.yml": "version: 2\n"}},
		// analyses: describes analyses, in analyses/ or beside models
		{name: "an analysis described", files: map[string]string{"analyses/_a.yml": "version: 2\nanalyses:\n  - name: a\n    description: the a\n    columns:\n      - name: n\n        description: how many\n"}},
		{name: "the analysis edited under it", files: map[string]string{"analyses/a.sql": "select count(*) as n from {{ ref('n') }}\n"}, patched: true},
		{name: "its description edited", files: map[string]string{"analyses/_a.yml": "version: 2\nanalyses:\n  - name: a\n    description: the a, edited\n"}},
		{name: "described beside the models too", files: map[string]string{"models/_m.yml": "version: 2\nanalyses:\n  - name: a\n"}, coldFails: true},
		{name: "described beside the models alone", remove: []string{"analyses/_a.yml"}},
		{name: "an edit there", files: map[string]string{"models/_m.yml": "version: 2\nanalyses:\n  - name: a\n    description: from models/\n"}},
		// a properties file in the macro paths (dbt reads them there too):
		// macros: is inert, a model's entry applies
		{name: "macros described", files: map[string]string{"macros/_macros.yml": "version: 2\nmacros:\n  - name: neg\n    description: negative\n"}},
		{name: "their description edited", files: map[string]string{"macros/_macros.yml": "version: 2\nmacros:\n  - name: neg\n    description: not positive\n"}, patched: true},
		{name: "a model described there", files: map[string]string{"macros/_macros.yml": "version: 2\nmacros:\n  - name: neg\nmodels:\n  - name: m\n    description: the m, from macros/\n"}},
		{name: "its description edited", files: map[string]string{"macros/_macros.yml": "version: 2\nmacros:\n  - name: neg\nmodels:\n  - name: m\n    description: the m, edited\n"}, patched: true},
	})
}

// TestPatchInputsAfterRestart: after a restart of the machine an input
// written in place (an editor's save) may have lost its bytes under the
// stat that shows the write: every input is read, and an input that is
// not what the snapshot says is a change like any other.
func TestPatchInputsAfterRestart(t *testing.T) {
	if bootID() == "" {
		t.Skip("no boot id here")
	}
	opt, snapFile := keptSnapshotProject(t)
	past := time.Now().Add(-time.Hour) // no input is racy (read anyway)
	require.NoError(t, filepath.WalkDir(opt.ProjectDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, "target") {
			err = os.Chtimes(p, past, past)
		}
		return err
	}))
	compileKeepingPatch(t, opt)
	model := filepath.Join(opt.ProjectDir, "models", "extra", "cfg.sql")
	text, err := os.ReadFile(model)
	require.NoError(t, err)
	require.Contains(t, string(text), "select")
	writeKeepingStat(t, model, func(b []byte) []byte { return bytes.Replace(b, []byte("select"), []byte("SELECT"), 1) })
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	snap.Boot = "another boot"
	require.NoError(t, writePatchSnapshot(snapFile, snap))
	patched, why := compareStep(t, Options{ProjectDir: opt.ProjectDir, InvocationID: "inv"}, "an input's bytes lost in a crash")
	require.True(t, patched, why) // the edit is seen, and patched
}

// TestPatchReadOnlyKeepsWhatItChecked: a read-only command (`mart ls`)
// that checked target/ by content keeps the new stats in the snapshot:
// the next command does not read it all again.
func TestPatchReadOnlyKeepsWhatItChecked(t *testing.T) {
	opt, snapFile := keptSnapshotProject(t)
	dir := opt.ProjectDir
	copyPath(t, dir, dir+".cache")
	require.NoError(t, os.RemoveAll(dir))
	copyPath(t, dir+".cache", dir)
	ro := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchForRun: true, PatchReadOnly: true}
	pt, why := CompileByPatch(ro)
	require.NotNil(t, pt, why)
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	st, err := statOf(filepath.Join(dir, "target", "manifest.json"))
	require.NoError(t, err)
	require.True(t, st.same(snap.Manifest))
	for _, c := range snap.Compiled {
		st, err := statOf(c.Path)
		require.NoError(t, err)
		require.True(t, st.same(c), c.Path)
	}
	pt, why = CompileByPatch(ro)
	require.NotNil(t, pt, why)

	// inputs read because they were racy (stat'ed as they were written,
	// as a checkout then a compile do): once they are not, kept so
	past := time.Now().Add(-time.Hour)
	for _, f := range snap.Files {
		require.NoError(t, os.Chtimes(filepath.Join(dir, filepath.FromSlash(f.Path)), past, past))
	}
	pt, why = CompileByPatch(ro) // new stats, kept
	require.NotNil(t, pt, why)
	snap, err = readPatchSnapshot(snapFile)
	require.NoError(t, err)
	for i := range snap.Files {
		snap.Files[i].At = snap.Files[i].MTime
		require.True(t, snap.Files[i].racy())
	}
	require.NoError(t, writePatchSnapshot(snapFile, snap))
	pt, why = CompileByPatch(ro)
	require.NotNil(t, pt, why)
	snap, err = readPatchSnapshot(snapFile)
	require.NoError(t, err)
	for _, f := range snap.Files {
		require.False(t, f.racy(), f.Path)
	}
}

// TestPatchRunMakingADirectoryKeepsSums: a run loaded from the snapshot
// that makes a directory in a compiled directory adds it to that
// directory's sum, and reads nothing else from the disk: a sibling
// compiled file changed by hand under the directory's unchanged stat is
// not taken into the sum, and a later check by content (after a restart)
// still finds it.
func TestPatchRunMakingADirectoryKeepsSums(t *testing.T) {
	opt, snapFile := keptSnapshotProject(t)
	dir := opt.ProjectDir
	writeProjectFile(t, dir, "models/top.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/sub/_t.yml", "version: 2\nmodels:\n  - name: top\n    columns:\n      - name: id\n        tests: [unique]\n")
	compileKeepingPatch(t, opt) // no generic test's file: no compiled/models/sub
	writeKeepingStat(t, filepath.Join(dir, "target", "compiled", "models", "top.sql"),
		func(b []byte) []byte { return []byte(strings.Replace(string(b), "1", "2", 1)) })
	pt, why := CompileByPatch(Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchForRun: true})
	require.NotNil(t, pt, why)
	g, why := pt.SelectorGraph()
	require.NotNil(t, g, why)
	ran := 0
	for id := range g.Nodes {
		if strings.HasPrefix(id, "test.") && strings.Contains(id, "unique_top_id") {
			res, why := pt.Result([]string{id})
			require.NotNil(t, res, why)
			require.NoError(t, res.WriteTarget([]string{id})) // makes compiled/models/sub
			ran++
		}
	}
	require.Equal(t, 1, ran)
	_, err := os.Stat(filepath.Join(dir, "target", "compiled", "models", "sub"))
	require.NoError(t, err)
	// the file put back: the sums are the disk's, the new directory in
	writeKeepingStat(t, filepath.Join(dir, "target", "compiled", "models", "top.sql"),
		func(b []byte) []byte { return []byte(strings.Replace(string(b), "2", "1", 1)) })
	requireSnapshotSums(t, dir, "a run that made a directory")
	writeKeepingStat(t, filepath.Join(dir, "target", "compiled", "models", "top.sql"),
		func(b []byte) []byte { return []byte(strings.Replace(string(b), "1", "2", 1)) })
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	snap.Boot = "another boot"
	require.NoError(t, writePatchSnapshot(snapFile, snap))
	patched, why := compareStep(t, Options{ProjectDir: dir, InvocationID: "inv"}, "a restart")
	require.False(t, patched)
	require.Contains(t, why, filepath.Join("compiled", "models")+" changed")
}

// TestSnapshotWrittenOnlyInPlace: a command that read the snapshot writes
// it again (a read-only command's adopted stats, a run's compiled
// directories) only while the file in place is the one it read, under the
// snapshot's lock: not after a patch removed it (to write target/, and was
// killed), nor over a newer one, nor while a patch holds the lock.
func TestSnapshotWrittenOnlyInPlace(t *testing.T) {
	_, snapFile := keptSnapshotProject(t)
	read := func() *patchSnapshot {
		snap, err := readPatchSnapshot(snapFile)
		require.NoError(t, err)
		return snap
	}
	wrote := 0
	write := func(snap *patchSnapshot) func() error {
		return func() error { wrote++; return writePatchHead(snapFile, snap) }
	}
	// in place: written, and still in place after
	snap := read()
	writeIfInPlace(snapFile, snap, write(snap))
	require.Equal(t, 1, wrote)
	require.True(t, snap.inPlace(snapFile))
	// removed by a patch: not put back
	stale := read()
	require.NoError(t, os.Rename(snapFile, snapFile+".aside"))
	writeIfInPlace(snapFile, stale, write(stale))
	require.Equal(t, 1, wrote)
	require.NoFileExists(t, snapFile)
	// replaced by a newer one: left alone
	require.NoError(t, os.Rename(snapFile+".aside", snapFile))
	newer := read()
	newer.Selected = 42
	require.NoError(t, writePatchSnapshot(snapFile, newer))
	writeIfInPlace(snapFile, stale, write(stale))
	require.Equal(t, 1, wrote)
	require.Equal(t, 42, read().Selected)
	// a patch holding the lock removes it meanwhile: waited for, not put back
	if unlock, ok := lockSnapshot(snapFile); ok {
		cur := read()
		done := make(chan struct{})
		go func() { writeIfInPlace(snapFile, cur, write(cur)); close(done) }()
		time.Sleep(50 * time.Millisecond)
		select {
		case <-done:
			t.Fatal("written while a patch held the lock")
		default:
		}
		require.NoError(t, os.Remove(snapFile))
		unlock()
		<-done
		require.Equal(t, 1, wrote)
		require.NoFileExists(t, snapFile)
	}
}

// TestPatchAddsModels: a model file added beside the snapshot's model
// files is patched in (patchadd.go), as a cold compile writes it: its
// entry among the nodes, in parent_map and child_map and in its parents'
// lists of children, its compiled file; later edits of it, and of the
// macros it calls, are patched too. What it cannot add compiles whole.
func TestPatchAddsModels(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         "name: ad\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nseed-paths: [\"seeds\"]\n",
			"models/b.sql":     "select 1 as id\n",
			"models/m.sql":     "select * from {{ ref('b') }}\n",
			"models/src.yml":   "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n",
			"macros/twice.sql": "{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n",
			"seeds/sd.csv":     "id\n1\n"}},
		{name: "a model that refs, reads a source and calls a macro", patched: true, files: map[string]string{
			"models/n.sql": "select {{ twice('b.id') }} as id from {{ ref('b') }} b join {{ source('raw', 'events') }} e on true\n"}},
		{name: "its SQL edited", patched: true, files: map[string]string{
			"models/n.sql": "select {{ twice('b.id') }} as id, 2 as two from {{ ref('b') }} b join {{ source('raw', 'events') }} e on true\n"}},
		{name: "the macro it calls edited", patched: true, files: map[string]string{
			"macros/twice.sql": "{% macro twice(x) %}({{ x }} + {{ x }}){% endmacro %}\n"}},
		// n is in the node index (IndexAdds): a model that refs it is added too
		{name: "another model, which refs the added one", patched: true, files: map[string]string{
			"models/c.sql": "select * from {{ ref('n') }}\n"}},
		{name: "two at once, first and last by id, one a table", patched: true, files: map[string]string{
			"models/a0.sql": "{{ config(materialized='table') }}\nselect * from {{ ref('m') }}\n",
			"models/zz.sql": "select * from {{ ref('m') }} union all select * from {{ ref('sd') }}\n"}},
		{name: "an edit after them", patched: true, files: map[string]string{
			"models/zz.sql": "select * from {{ ref('m') }} union all select * from {{ ref('sd') }} -- edited\n"}},
		{name: "a model named as a seed", patched: false, files: map[string]string{"models/sd.sql": "{{ config(alias='sd_model') }}\nselect 1 as id\n"}},
		{name: "a model in a new directory", patched: true, files: map[string]string{"models/sub/s.sql": "select 1 as id\n"}},
		{name: "its edit", patched: true, files: map[string]string{"models/sub/s.sql": "select 2 as id\n"}},
		{name: "two in a new directory with a YAML file", patched: true, files: map[string]string{
			"models/sub2/s2.sql": "select 1 as id\n", "models/sub2/s3.sql": "select 1 as id\n", "models/sub2/_p.yml": "version: 2\n"}},
		{name: "two in a new directory", patched: true, files: map[string]string{
			"models/sub3/s4.sql": "select 1 as id\n", "models/sub3/s5.sql": "select * from {{ ref('b') }}\n"}},
		{name: "an ephemeral model", patched: true, files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect 1 as id\n"}},
		{name: "one that refs the ephemeral model (its CTE in front)", patched: true, files: map[string]string{"models/f.sql": "select * from {{ ref('e') }}\n"}},
		{name: "the ephemeral model edited: its reader with it", patched: true, files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect 2 as id\n"}},
		{name: "one more beside them", patched: true, files: map[string]string{"models/g.sql": "select * from {{ ref('b') }}\n"}},
		// removed model files are patched out (nothing refs them, no YAML
		// describes them), an added one among them
		{name: "a model removed", patched: true, remove: []string{"models/g.sql"}},
		{name: "one renamed", patched: true, remove: []string{"models/zz.sql"}, files: map[string]string{
			"models/zy.sql": "select * from {{ ref('m') }} union all select * from {{ ref('sd') }} -- edited\n"}},
		{name: "one removed, another building its relation", patched: true, remove: []string{"models/zy.sql"}, files: map[string]string{
			"models/h.sql": "{{ config(alias='zy') }}\nselect 1 as id\n"}},
		{name: "the first model removed, its parent edited", patched: true, remove: []string{"models/a0.sql"}, files: map[string]string{
			"models/m.sql": "select * from {{ ref('b') }} -- edited\n"}},
		{name: "the macro the model added first calls edited again (its node renumbered)", patched: true, files: map[string]string{
			"macros/twice.sql": "{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n"}},
		{name: "a model removed with the model that refs it", patched: true, remove: []string{"models/n.sql", "models/c.sql"}},
	})
}

// TestPatchBesideADanglingEntry: a YAML entry that names no model (a
// model renamed or removed, its entry left: a warning with the names close
// to it) no longer makes every model added or removed, and every config
// edit, compile the whole project (session 33). A model added or removed
// under a name close to the entry's (the warning's suggestions change) or
// under its name (the entry describes it) still does.
func TestPatchBesideADanglingEntry(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          "name: dg\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  dg:\n    +materialized: view\n",
			"models/orders.sql": "select 1 as id\n",
			"models/users.sql":  "select * from {{ ref('orders') }}\n",
			"models/sub/a.sql":  "select * from {{ ref('orders') }}\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: orders\n    description: the orders\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n"}},
		{name: "a model added", patched: true, files: map[string]string{"models/zz.sql": "select * from {{ ref('users') }}\n"}},
		{name: "a model removed", patched: true, remove: []string{"models/zz.sql"}},
		{name: "a folder config edited", patched: true, files: map[string]string{
			"mart.yml": "name: dg\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  dg:\n    +materialized: view\n    sub:\n      +materialized: table\n"}},
		{name: "a model's config edited in its YAML", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: orders\n    description: the orders\n    config: {tags: [t]}\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n"}},
		{name: "a model added whose name the warning would suggest", patched: false, files: map[string]string{"models/customer.sql": "select 1 as id\n"}},
		{name: "it removed", patched: false, remove: []string{"models/customer.sql"}},
		{name: "a model added under the entry's name: it describes it", patched: false, files: map[string]string{"models/customers.sql": "select 1 as id\n"}},
		{name: "a model added after", patched: true, files: map[string]string{"models/zz.sql": "select 1 as id\n"}},
		{name: "a described model's file removed, its entry left", patched: true, remove: []string{"models/sub/a.sql", "models/orders.sql"}, files: map[string]string{
			"models/users.sql": "select 1 as id\n"}},
		{name: "an edit after", patched: true, files: map[string]string{"models/users.sql": "select 2 as id\n"}},
		{name: "its file back", patched: false, files: map[string]string{"models/orders.sql": "select 1 as id\n"}},
		// a disabled model is among the names the warning suggests (the
		// node index has it not: found by review); it is added by a patch
		// (session 34), and the snapshot's disabled ids hold it
		{name: "a disabled model close to a described one", patched: true, files: map[string]string{
			"models/users_old.sql": "{{ config(enabled=false) }}\nselect 1 as id\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: orders\n    description: the orders\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n  - name: users\n    description: the users\n"}},
		{name: "the described one's file removed", patched: true, remove: []string{"models/users.sql"}},
		// a disabled model added or removed under a name close to the
		// entry's that names none changes what its warning suggests
		{name: "a disabled model named close to that entry", patched: false, files: map[string]string{
			"models/user.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"}},
		{name: "and removed", patched: false, remove: []string{"models/user.sql"}},
		// a model renamed as an analyst does it: its file, then its entry
		{name: "a described model's file renamed", patched: true, remove: []string{"models/orders.sql"}, files: map[string]string{
			"models/purchases.sql": "select 1 as id\n"}},
		{name: "its entry renamed after it", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: purchases\n    description: the orders\n    config: {tags: [t]}\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n"}},
		{name: "an entry that names no model added above the others", patched: false, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: gone_one\n    description: no such model\n    columns:\n      - name: id\n        data_tests: [unique]\n" +
				"  - name: purchases\n    description: the orders\n    config: {tags: [t]}\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n"}},
		{name: "a description above it lengthened: its warning's line moves", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: gone_one\n    description: no such model\n    columns:\n      - name: id\n        data_tests: [unique]\n" +
				"  - name: purchases\n    description: >\n      the orders,\n      all of them\n    config: {tags: [t]}\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n"}},
		{name: "its description edited", patched: false, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: gone_one\n    description: no such model, still\n    columns:\n      - name: id\n        data_tests: [unique]\n" +
				"  - name: purchases\n    description: >\n      the orders,\n      all of them\n    config: {tags: [t]}\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n"}},
		{name: "it removed", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n" +
				"  - name: purchases\n    description: >\n      the orders,\n      all of them\n    config: {tags: [t]}\n" +
				"  - name: customers\n    description: renamed to users, the entry left\n"}},
	})
}

// TestPatchAddsBesideDisabledNodes: a project with disabled nodes (a
// model disabled in its file, a folder of them disabled by the project
// file, a disabled test, seed and snapshot: manifest.json's disabled
// object, which no patch changes) patches a model, snapshot or singular
// test added; one of a disabled node's name is refused (the cold compile
// says it is a duplicate), and one that refs a disabled model too (the
// cold compile says so).
func TestPatchAddsBesideDisabledNodes(t *testing.T) {
	snap := func(name string) string {
		return "{% snapshot " + name + " %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml": "name: dz\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nseed-paths: [\"seeds\"]\nsnapshot-paths: [\"snapshots\"]\n" +
				"models:\n  dz:\n    off:\n      +enabled: false\nseeds:\n  dz:\n    sd_off:\n      +enabled: false\n",
			"models/a.sql":        "select 1 as id\n",
			"models/c.sql":        "{{ config(enabled=false) }}\nselect 1 as id\n",
			"models/off/o.sql":    "select 1 as id\n",
			"models/off/o2.sql":   "select * from {{ ref('o') }}\n",
			"models/_p.yml":       "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, {not_null: {config: {enabled: false}}}]\n",
			"seeds/sd_off.csv":    "id\n1\n",
			"snapshots/s_off.sql": strings.Replace(snap("s_off"), "unique_key='id'", "unique_key='id', enabled=false", 1),
			"tests/t_off.sql":     "{{ config(enabled=false) }}\nselect * from {{ ref('a') }} where id < 0\n"}},
		{name: "a model added", patched: true, files: map[string]string{"models/b.sql": "select * from {{ ref('a') }}\n"}},
		{name: "a model in a new folder", patched: true, files: map[string]string{"models/new/n.sql": "select * from {{ ref('b') }}\n"}},
		{name: "a snapshot added", patched: true, files: map[string]string{"snapshots/s_on.sql": snap("s_on")}},
		{name: "a singular test added", patched: true, files: map[string]string{"tests/t_on.sql": "select * from {{ ref('b') }} where id < 0\n"}},
		{name: "a model removed", patched: true, remove: []string{"models/new/n.sql"}},
		{name: "a model of a disabled model's name", any: true, files: map[string]string{"models/new/c.sql": "select 2 as id\n"}},
		{name: "and removed again", any: true, remove: []string{"models/new/c.sql"}},
		{name: "a model of a disabled folder's model's name", any: true, files: map[string]string{"models/new/o.sql": "select 2 as id\n"}},
		{name: "and removed again", any: true, remove: []string{"models/new/o.sql"}},
		{name: "a model of a disabled seed's name", patched: false, files: map[string]string{"models/new/sd_off.sql": "select 2 as id\n"}},
		{name: "and removed again", patched: true, remove: []string{"models/new/sd_off.sql"}},
		{name: "a snapshot of a disabled snapshot's name", any: true, files: map[string]string{"snapshots/s_off2.sql": snap("s_off")}},
		{name: "and removed again", any: true, remove: []string{"snapshots/s_off2.sql"}},
		{name: "a singular test of a disabled one's name", any: true, files: map[string]string{"tests/new/t_off.sql": "select 1 as id where false\n"}},
		{name: "and removed again", any: true, remove: []string{"tests/new/t_off.sql"}},
		{name: "a model that refs a disabled model", coldFails: true, files: map[string]string{"models/r.sql": "select * from {{ ref('c') }}\n"}},
		{name: "and removed again", patched: true, remove: []string{"models/r.sql"}},
		{name: "a disabled model added", patched: true, files: map[string]string{"models/off/o3.sql": "select 3 as id\n"}},
		{name: "a model of its name added", any: true, files: map[string]string{"models/o3.sql": "select 3 as id\n"}},
		{name: "and removed again", any: true, remove: []string{"models/o3.sql"}},
		{name: "a model added after it", patched: true, files: map[string]string{"models/d.sql": "select 4 as id\n"}},
	})
}

// TestPatchAddsBesideDisabledVersions: a version's file is found by its
// name among every model file, disabled or not, so an added file of that
// name becomes the version (the disabled one, or the enabled one while
// the old file turns into a plain model): a project with a disabled
// versioned model compiles whole when a model file is added (found by
// review: the patch made the added file a plain model).
func TestPatchAddsBesideDisabledVersions(t *testing.T) {
	for _, tc := range []struct{ name, file, props string }{
		{"disabled in its file", "{{ config(enabled=false) }}\nselect 1 as id\n", "version: 2\nmodels:\n  - name: vm\n    versions:\n      - v: 1\n"},
		{"disabled in YAML", "select 1 as id\n", "version: 2\nmodels:\n  - name: vm\n    versions:\n      - v: 1\n        config: {enabled: false}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: map[string]string{"mart.yml": "name: x\n", "models/x.sql": "select 1 as id\n",
					"models/a/vm_v1.sql": tc.file, "models/_p.yml": tc.props}},
				{name: "a file of the version's name after it", patched: false, files: map[string]string{"models/b/vm_v1.sql": "select 2 as id\n"}},
				{name: "another model", patched: false, files: map[string]string{"models/c.sql": "select 3 as id\n"}},
			})
		})
	}
}

// TestPatchAddsModelsUnderTemplatedConfigs: an added model's folder
// config is rendered as a whole compile renders it (a +schema: with a
// template), and a model added where target/compiled has no directory
// makes it, which the snapshot then sums and checks as any other.
func TestPatchAddsModelsUnderTemplatedConfigs(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":             "name: tp\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  tp:\n    +schema: \"{{ 'sch_' ~ target.name }}\"\n",
			"models/a.sql":         "select 1 as id\n",
			"models/only/_src.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: ev\n"}},
		{name: "a model under the templated schema", patched: true, files: map[string]string{"models/b.sql": "select * from {{ ref('a') }}\n"}},
		{name: "a model where no compiled file was", patched: true, files: map[string]string{"models/only/h.sql": "select * from {{ source('raw', 'ev') }}\n"}},
		// the compiled directory the patch made is checked as any other
		{name: "its compiled file removed by hand", patched: false, remove: []string{"target/compiled/models/only/h.sql"}},
		{name: "then edited", patched: true, files: map[string]string{"models/only/h.sql": "select 1 from {{ source('raw', 'ev') }}\n"}},
		// a compiled directory left by an older compile is checked too
		{name: "a new directory", patched: true, files: map[string]string{"models/nd/r.sql": "select 1 as id\n"}},
		{name: "that directory removed", patched: true, remove: []string{"models/nd/r.sql", "models/nd"}},
		{name: "that directory back", patched: true, files: map[string]string{"models/nd/r.sql": "select 1 as id\n"}},
		{name: "its compiled file removed by hand, another edit", patched: false, remove: []string{"target/compiled/models/nd/r.sql"},
			files: map[string]string{"models/a.sql": "select 2 as id\n"}},
	})
}

// TestPatchRefusesARefToARemovedModel: a model removed and one that refs
// it added in one edit is an error of a whole compile, which the patch
// leaves to it (the node index still had the removed model).
func TestPatchRefusesARefToARemovedModel(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	writeProjectFile(t, dir, "mart.yml", "name: rr\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/x.sql", "select 2 as id\n")
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	require.NoError(t, os.Remove(filepath.Join(dir, "models", "x.sql")))
	writeProjectFile(t, dir, "models/y.sql", "select * from {{ ref('x') }}\n")
	warm := opt
	warm.PartialParse = true
	pt, why := CompileByPatch(warm)
	require.Nil(t, pt)
	require.Equal(t, "models/y.sql is new and refs a removed model", why)
	res, diags := Compile(opt)
	require.Nil(t, res)
	require.True(t, diags.HasErrors())
}

// TestPatchReshapesModels: an edit that changes a model's refs, sources
// or macro calls, not its config, is patched (patchreshape.go): its
// entry, its parent_map list, the child_map lists of the parents it left
// and joined; its children and tests stay.
func TestPatchReshapesModels(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         "name: rs\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nseed-paths: [\"seeds\"]\n",
			"models/a.sql":     "{{ config(materialized='table') }}\nselect 1 as id\n",
			"models/b.sql":     "select 2 as id\n",
			"models/m.sql":     "select * from {{ ref('a') }}\n",
			"models/c.sql":     "select * from {{ ref('m') }}\n",
			"models/e.sql":     "{{ config(materialized='ephemeral') }}\nselect 3 as id\n",
			"models/_m.yml":    "version: 2\nmodels:\n  - name: m\n    description: the m\n    columns:\n      - name: id\n        data_tests: [unique]\n",
			"models/src.yml":   "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n",
			"macros/twice.sql": "{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n",
			"seeds/sd.csv":     "id\n1\n"}},
		{name: "a join added (a model with a child and a test)", patched: true, files: map[string]string{
			"models/m.sql": "select a.* from {{ ref('a') }} a join {{ ref('b') }} b on a.id = b.id\n"}},
		{name: "a ref dropped", patched: true, files: map[string]string{
			"models/m.sql": "select * from {{ ref('b') }}\n"}},
		{name: "a macro called", patched: true, files: map[string]string{
			"models/m.sql": "select {{ twice('id') }} as id from {{ ref('b') }}\n"}},
		{name: "the macro edited", patched: true, files: map[string]string{
			"macros/twice.sql": "{% macro twice(x) %}({{ x }} + {{ x }}){% endmacro %}\n"}},
		{name: "the macro no longer called", patched: true, files: map[string]string{
			"models/m.sql": "select id from {{ ref('b') }}\n"}},
		{name: "the macro edited again", patched: true, files: map[string]string{
			"macros/twice.sql": "{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n"}},
		{name: "a source and a seed", patched: true, files: map[string]string{
			"models/m.sql": "select s.id from {{ ref('sd') }} s join {{ source('raw', 'events') }} e on true\n"}},
		{name: "two models at once", patched: true, files: map[string]string{
			"models/m.sql": "select id from {{ ref('b') }}\n",
			"models/c.sql": "select * from {{ ref('m') }} union all select * from {{ ref('a') }}\n"}},
		{name: "its text edited after (its new refs' names kept)", patched: true, files: map[string]string{
			"models/c.sql": "select * from {{ ref('m') }} union all select * from {{ ref('a') }} -- edited\n"}},
		{name: "a ref of an ephemeral model (its CTE in front)", patched: true, files: map[string]string{
			"models/m.sql": "select id from {{ ref('e') }}\n"}},
		{name: "the ephemeral model edited: m with it", patched: true, files: map[string]string{
			"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect 4 as id\n"}},
		{name: "back", patched: true, files: map[string]string{"models/m.sql": "select id from {{ ref('b') }}\n"}},
		{name: "its config changed with its refs", patched: true, files: map[string]string{
			"models/m.sql": "{{ config(materialized='table') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "its tags and meta", patched: true, files: map[string]string{
			"models/m.sql": "{{ config(materialized='table', tags=['x'], meta={'owner': 'me'}) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "its meta gone", patched: true, files: map[string]string{
			"models/m.sql": "{{ config(materialized='table', tags=['x', 'y']) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "its alias (its relation)", patched: false, files: map[string]string{
			"models/m.sql": "{{ config(materialized='table', tags=['x', 'y'], alias='m2') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "back, its config only", patched: false, files: map[string]string{
			"models/m.sql": "{{ config(materialized='view') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "ephemeral", patched: false, files: map[string]string{
			"models/m.sql": "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "a view again", patched: false, files: map[string]string{
			"models/m.sql": "{{ config(materialized='view') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "an unknown config key (a warning)", patched: false, files: map[string]string{
			"models/m.sql": "{{ config(materialized='view', colour='red') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "gone again", patched: false, files: map[string]string{
			"models/m.sql": "{{ config(materialized='view') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "incremental", patched: true, files: map[string]string{
			"models/m.sql": "{{ config(materialized='incremental', unique_key='id') }}\nselect id from {{ ref('a') }}\n{% if is_incremental() %}where id > 0{% endif %}\n"}},
		{name: "a ref of a model added with it (added first)", patched: true, files: map[string]string{
			"models/m.sql": "{{ config(materialized='table') }}\nselect id from {{ ref('n') }}\n",
			"models/n.sql": "select 4 as id\n"}},
		{name: "a ref of one added before", patched: true, files: map[string]string{
			"models/b.sql": "select * from {{ ref('n') }}\n"}},
		{name: "a model added that refs the reshaped one, which reshapes again", patched: true, files: map[string]string{
			"models/b.sql": "select * from {{ ref('a') }}\n",
			"models/o.sql": "select * from {{ ref('b') }}\n"}},
	})
}

// TestPatchRefusesACycle: a ref that closes a cycle is an error of a
// whole compile, which the patch leaves to it.
func TestPatchRefusesACycle(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	writeProjectFile(t, dir, "mart.yml", "name: cy\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/b.sql", "select * from {{ ref('a') }}\n")
	writeProjectFile(t, dir, "models/c.sql", "select * from {{ ref('b') }}\n")
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	warm := opt
	warm.PartialParse = true
	writeProjectFile(t, dir, "models/a.sql", "select * from {{ ref('c') }}\n")
	pt, why := CompileByPatch(warm)
	require.Nil(t, pt)
	require.Equal(t, "model.cy.a now refs model.cy.c, which depends on it: a cycle", why)
	res, diags := Compile(opt)
	require.Nil(t, res)
	require.True(t, diags.HasErrors())
	// two models that ref each other once both edits are made
	writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/x.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/y.sql", "select 1 as id\n")
	patched, _ := compareStep(t, opt, "two more models")
	require.True(t, patched)
	writeProjectFile(t, dir, "models/x.sql", "select * from {{ ref('y') }}\n")
	writeProjectFile(t, dir, "models/y.sql", "select * from {{ ref('x') }}\n")
	pt, why = CompileByPatch(warm)
	require.Nil(t, pt)
	require.Contains(t, why, ", which depends on it: a cycle")
	res, diags = Compile(opt)
	require.Nil(t, res)
	require.True(t, diags.HasErrors())
	writeProjectFile(t, dir, "models/y.sql", "select 1 as id\n")
	// a model that refs itself is left to the whole compile too
	writeProjectFile(t, dir, "models/a.sql", "select * from {{ ref('a') }}\n")
	patched, why = compareStep(t, opt, "a ref of itself")
	require.False(t, patched)
	require.Equal(t, "model.cy.a's render changed more than its text and it refs itself", why)
}

// TestPatchRemakesTests: an edit of the tests YAML declares on a model
// (added, removed, rewritten; a column with tests added or removed) is
// patched (patchtests.go): the model's generic tests are made again,
// inserted, replaced or cut out; the lines where the other nodes of the
// file are declared move as the edit moved them, those of tests patches
// added too.
func TestPatchRemakesTests(t *testing.T) {
	props := func(aTests, bTests, extra string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        data_tests: [" + aTests + "]\n" + extra +
			"  - name: b\n    columns:\n      - name: id\n        data_tests:\n" + bTests
	}
	const bBase = "          - unique\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            "name: rt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":        "select 1 as id, 'x' as name\n",
			"models/b.sql":        "select id from {{ ref('a') }}\n",
			"models/c.sql":        "select id from {{ ref('a') }}\n",
			"models/_props.yml":   props("unique", bBase, ""),
			"macros/positive.sql": "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n",
			"macros/other.sql":    "{% test small(model, column_name) %}select * from {{ model }} where {{ column_name }} > 9{% endtest %}\n",
			"models/_c.yml":       "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [positive]\n"}},
		{name: "a test added", patched: true, files: map[string]string{"models/_props.yml": props("unique, not_null", bBase, "")}},
		{name: "one removed", patched: true, files: map[string]string{"models/_props.yml": props("not_null", bBase, "")}},
		{name: "a test with arguments and a config", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null, {accepted_values: {values: [1, 2], config: {severity: warn, where: \"id > 0\"}}}", bBase, "")}},
		{name: "its config changed", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null, {accepted_values: {values: [1, 2], config: {severity: error}}}", bBase, "")}},
		{name: "a column with tests added, lines moving", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null", bBase, "      - name: name\n        data_tests:\n          - not_null\n          - unique\n")}},
		{name: "a relationships test on b", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null", bBase+"          - relationships:\n              to: ref('a')\n              field: id\n",
				"      - name: name\n        data_tests:\n          - not_null\n          - unique\n")}},
		{name: "lines added above the tests patches added", patched: true, files: map[string]string{
			"models/_props.yml": "# notes\n\n" + props("not_null", bBase+"          - relationships:\n              to: ref('a')\n              field: id\n",
				"      - name: name\n        description: the name\n        data_tests:\n          - not_null\n          - unique\n")}},
		{name: "a test that calls a macro a test calls", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null, positive", bBase, "")}},
		{name: "one that calls a macro no test calls (its file is marked: patchtestmacros.go)", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null, positive, small", bBase, "")}},
		{name: "that macro edited: the test made again", patched: true, files: map[string]string{
			"macros/other.sql": "{% test small(model, column_name) %}select * from {{ model }} where {{ column_name }} > 8{% endtest %}\n"}},
		{name: "the column with tests removed", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null, positive, small", "", "")}},
		{name: "a test with Jinja in its arguments (made again, patchtestvars.go)", patched: true, files: map[string]string{
			"models/_props.yml": props("not_null, {accepted_values: {values: [\"{{ var('x', 1) }}\"]}}", "", "")}},
		{name: "a test with Jinja in its config", patched: false, files: map[string]string{
			"models/_props.yml": props("not_null, {accepted_values: {values: [1], severity: \"{{ var('x', 'warn') }}\"}}", "", "")}},
		{name: "a disabled test", patched: false, files: map[string]string{
			"models/_props.yml": props("not_null, {unique: {config: {enabled: false}}}", "", "")}},
		{name: "the disabled test removed", patched: false, files: map[string]string{
			"models/_props.yml": props("not_null", "", "")}},
	})
}

// TestPatchRendersAsBeforeTargetsRendered: a model a patch renders again
// (its refs changed) or adds sees its ref() targets, and itself, as a
// whole compile's render does, before their config() set their relations
// (a review found the final ones); what it keeps of them for later
// patches too.
func TestPatchRendersAsBeforeTargetsRendered(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: rv\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select 2 as id\n",
			"models/x.sql": "{{ config(alias='xx') }}\nselect 3 as id\n",
			"models/c.sql": "select * from {{ ref('m') }}\n",
			"models/m.sql": "{{ config(alias='mm') }}\nselect '{{ ref('x').identifier }}' as n from {{ ref('a') }} -- {{ this }}\n"}},
		{name: "a ref changed", patched: true, files: map[string]string{
			"models/m.sql": "{{ config(alias='mm') }}\nselect '{{ ref('x').identifier }}' as n from {{ ref('b') }} -- {{ this }}\n"}},
		{name: "text only", patched: true, files: map[string]string{
			"models/m.sql": "{{ config(alias='mm') }}\nselect '{{ ref('x').identifier }}' as n from {{ ref('b') }} -- {{ this }} {{ ref('x').identifier }}\n"}},
		{name: "an added model", patched: true, files: map[string]string{
			"models/n.sql": "select '{{ ref('x').identifier }}' as n from {{ ref('a') }}\n"}},
		{name: "a ref of x added", patched: true, files: map[string]string{
			"models/o.sql": "{{ config(alias='xx' ~ '_o') }}\nselect * from {{ ref('a') }}\n"}},
		{name: "a ref of x added to it", patched: true, files: map[string]string{
			"models/o.sql": "{{ config(alias='xx' ~ '_o') }}\nselect * from {{ ref('x') }} join {{ ref('a') }} using (id)\n"}},
		{name: "its alias from ref('x')", patched: false, files: map[string]string{
			"models/o.sql": "{{ config(alias=ref('x').identifier ~ '_o') }}\nselect * from {{ ref('x') }} join {{ ref('a') }} using (id)\n"}},
	})
}

// TestPatchWatchesEnvVarsItsRendersName: an env var a patched render's
// fingerprint names (in a branch that did not run, of the model or of a
// macro it now calls) is watched from then on, as a whole compile's
// snapshot watches it (a review found it was not).
func TestPatchWatchesEnvVarsItsRendersName(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	t.Setenv("MART_PP_ENV", "one")
	t.Setenv("MART_PP_ENV2", "one")
	dir := t.TempDir()
	writeProjectFile(t, dir, "mart.yml", "name: ev\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	writeProjectFile(t, dir, "macros/env.sql", "{% macro envy() %}{% if false %}{{ env_var('MART_PP_ENV', 'd') }}{% endif %}1{% endmacro %}\n")
	writeProjectFile(t, dir, "models/m.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/n.sql", "select 1 as id\n")
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	writeProjectFile(t, dir, "models/m.sql", "select {{ envy() }} as id\n")
	writeProjectFile(t, dir, "models/n.sql", "select 1 as id {% if false %}{{ env_var('MART_PP_ENV2', 'd') }}{% endif %}\n")
	patched, why := compareStep(t, opt, "the macro called, an env var named")
	require.True(t, patched, why)
	t.Setenv("MART_PP_ENV", "two")
	compareStep(t, opt, "the macro's env var changed")
	t.Setenv("MART_PP_ENV2", "two")
	compareStep(t, opt, "the model's env var changed")
}

// TestPatchConfigOverTemplatedYAML: a config() change of a model whose
// YAML config is templated is left to the whole compile: which keys its
// unrendered_config names depends on which config() overrides (a review
// found it lost).
func TestPatchConfigOverTemplatedYAML(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: rs\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":  "select 1 as id\n",
			"models/m.sql":  "{{ config(materialized='view') }}\nselect * from {{ ref('a') }}\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      materialized: \"{{ 'table' }}\"\n"}},
		{name: "config() no longer sets it", patched: false, files: map[string]string{
			"models/m.sql": "select * from {{ ref('a') }}\n"}},
	})
}

// TestPatchConfigAfterLinesMoved: a config() change gives the model a new
// node index entry, declared where the edits since the compile moved its
// YAML entry (a review found the compile's line).
func TestPatchConfigAfterLinesMoved(t *testing.T) {
	yml := func(desc string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: " + desc + "\n  - name: m\n    description: the m\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: rs\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":  "select 1 as id\n",
			"models/m.sql":  "select * from {{ ref('a') }}\n",
			"models/_m.yml": yml("the a")}},
		{name: "a's description takes three lines more", patched: true, files: map[string]string{"models/_m.yml": yml("|\n      the a\n      on\n      lines")}},
		{name: "m's config", patched: true, files: map[string]string{"models/m.sql": "{{ config(materialized='table') }}\nselect * from {{ ref('a') }}\n"}},
		{name: "a's description back to one line", patched: true, files: map[string]string{"models/_m.yml": yml("the a")}},
	})
}

// TestPatchProjectFileVars: a var edited in the project file is patched as
// one passed with --vars is: the nodes that read it render again. What
// else the file says still compiles the whole project, as do vars that
// cannot be cut out cleanly (an anchor) and vars read outside renders.
// TestPatchProjectFileHooks: on-run-start and on-run-end are a run's,
// not a compile's (plan.New reads them from the project at each
// command), and airflow: settings `mart airflow`'s: adding, editing or
// removing them is patched, the compile as the cold one; an error in them
// fails both.
func TestPatchProjectFileHooks(t *testing.T) {
	proj := func(hooks string) string {
		return "name: ph\nversion: \"1.0.0\"\n" + hooks + "vars:\n  n: 1\nmodels:\n  ph:\n    +materialized: view\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     proj("on-run-start: [\"select 1\"]\n"),
			"models/a.sql": "select {{ var('n') }} as n\n",
			"models/b.sql": "select n from {{ ref('a') }}\n"}},
		{name: "a hook edited", patched: true, files: map[string]string{"mart.yml": proj("on-run-start: [\"select 2\"]\n")}},
		{name: "on-run-end added, with Jinja", patched: true, files: map[string]string{
			"mart.yml": proj("on-run-start: [\"select 2\"]\non-run-end:\n  - \"{{ log('done', info=true) }}\"\n  - \"select {{ var('n') }}\"\n")}},
		{name: "and a var beside", patched: true, files: map[string]string{
			"mart.yml": strings.Replace(proj("on-run-start: [\"select 2\"]\non-run-end:\n  - \"select {{ var('n') }}\"\n"), "n: 1", "n: 3", 1)}},
		{name: "every hook removed", patched: true, files: map[string]string{"mart.yml": strings.Replace(proj(""), "n: 1", "n: 3", 1)}},
		{name: "a folder config beside a hook added (every model made again: whole)", any: true, files: map[string]string{
			"mart.yml": strings.Replace(strings.Replace(proj("on-run-start: \"select 4\"\n"), "n: 1", "n: 3", 1), "+materialized: view", "+materialized: table", 1)}},
		{name: "a hook of another type (a mapping: an error of both)", coldFails: true, files: map[string]string{
			"mart.yml": strings.Replace(proj("on-run-start: {a: 1}\n"), "n: 1", "n: 3", 1)}},
		{name: "back", any: true, files: map[string]string{"mart.yml": proj("")}},
		{name: "airflow: settings added", patched: true, files: map[string]string{"mart.yml": proj("airflow:\n  dag_id: ph\n  schedule: \"@daily\"\n")}},
		{name: "edited", patched: true, files: map[string]string{"mart.yml": proj("airflow:\n  dag_id: ph\n  schedule: \"@hourly\"\n  retries: 2\n")}},
		{name: "an unknown key in them: an error", coldFails: true, files: map[string]string{"mart.yml": proj("airflow:\n  dag_id: ph\n  nosuch: 1\n")}},
		{name: "fixed", any: true, files: map[string]string{"mart.yml": proj("airflow:\n  dag_id: ph\n")}},
		{name: "removed", patched: true, files: map[string]string{"mart.yml": proj("")}},
	})
}

// TestPatchProjectFileUnreadKeys: the keys of dbt's project file that no
// compile reads (version:, require-dbt-version:, flags:, ...) are edited,
// added and removed by a patch, the compile as the cold one; an unknown
// key (a warning naming its line) and a folder config beside them still
// compile the whole project.
func TestPatchProjectFileUnreadKeys(t *testing.T) {
	proj := func(version, more string) string {
		return "name: pu\nversion: \"" + version + "\"\n" + more + "models:\n  pu:\n    +materialized: view\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     proj("1.0.0", ""),
			"models/a.sql": "select 1 as n\n",
			"models/b.sql": "select n from {{ ref('a') }}\n"}},
		{name: "a version bump", patched: true, files: map[string]string{"mart.yml": proj("1.0.1", "")}},
		{name: "require-dbt-version and flags: added", patched: true, files: map[string]string{
			"mart.yml": proj("1.0.1", "require-dbt-version: [\">=1.8.0\", \"<2.0.0\"]\nflags:\n  send_anonymous_usage_stats: false\n  warn_error_options:\n    error: [LogTestResult]\n")}},
		{name: "flags: edited, config-version and clean-targets added", patched: true, files: map[string]string{
			"mart.yml": proj("1.0.1", "config-version: 2\nclean-targets: [target, dbt_packages]\nflags:\n  fail_fast: true\n")}},
		{name: "an unknown key (a warning at its line)", patched: false, files: map[string]string{
			"mart.yml": proj("1.0.2", "nosuch: 1\nflags:\n  fail_fast: true\n")}},
		{name: "a version bump with it", any: true, files: map[string]string{
			"mart.yml": proj("1.0.3", "nosuch: 1\nflags:\n  fail_fast: true\n")}},
		{name: "removed", any: true, files: map[string]string{"mart.yml": proj("1.0.3", "")}},
		{name: "a folder config beside a version bump (whole)", patched: false, files: map[string]string{
			"mart.yml": strings.Replace(proj("1.0.4", ""), "+materialized: view", "+materialized: table", 1)}},
		{name: "back", any: true, files: map[string]string{"mart.yml": proj("1.0.5", "")}},
	})
}

func TestPatchProjectFileVars(t *testing.T) {
	proj := func(vars string) string {
		return "name: pv\nversion: \"1.0.0\"\n" + vars + "models:\n  pv:\n    +materialized: view\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          proj("vars:\n  pf_n: 1\n  pf_s: raw\n"),
			"macros/m.sql":      "{% macro bump(x) %}{{ x }} + {{ var('pf_n') }}{% endmacro %}\n",
			"models/a.sql":      "select {{ var('pf_n') }} as n\n",
			"models/b.sql":      "select {{ bump('1') }} as b from {{ ref('a') }}\n",
			"models/c.sql":      "select 1 as c\n",
			"models/_props.yml": "version: 2\nmodels:\n  - name: c\n    description: \"c\"\n"}},
		{name: "a var's value", patched: true, files: map[string]string{"mart.yml": proj("vars:\n  pf_n: 2\n  pf_s: raw\n")}},
		{name: "its type (2 is not '2')", patched: true, files: map[string]string{"mart.yml": proj("vars:\n  pf_n: '2'\n  pf_s: raw\n")}},
		{name: "a var no node reads, added", patched: true, files: map[string]string{"mart.yml": proj("vars:\n  pf_n: '2'\n  pf_s: raw\n  pf_t: [1, 2]\n")}},
		{name: "the vars on more lines, a comment in them", patched: true, files: map[string]string{
			"mart.yml": proj("vars:\n  # the count\n  pf_n: 3\n\n  pf_s: raw\n  t:\n    - 1\n    - 2\n")}},
		{name: "in flow style", patched: true, files: map[string]string{"mart.yml": proj("vars: {pf_n: 4, pf_s: raw}\n")}},
		{name: "a var a model reads without a default, removed", coldFails: true, files: map[string]string{"mart.yml": proj("vars: {pf_s: raw}\n")}},
		{name: "back (nothing compiled since)", patched: true, files: map[string]string{"mart.yml": proj("vars: {pf_n: 4, pf_s: raw}\n")}},
		{name: "another setting with it", patched: false, files: map[string]string{
			"mart.yml": strings.Replace(proj("vars: {pf_n: 5, pf_s: raw}\n"), "view", "table", 1)}},
		{name: "a comment outside the vars", patched: true, files: map[string]string{
			"mart.yml": "# the project\n" + strings.Replace(proj("vars: {pf_n: 5, pf_s: raw}\n"), "view", "table", 1)}},
		{name: "vars last in the file", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: view\nvars:\n  pf_n: 5\n  pf_s: raw\n"}},
		{name: "last, edited", patched: true, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: view\nvars:\n  pf_n: 6\n  pf_s: raw\n  pf_u: 1\n"}},
		{name: "a var a YAML file reads", patched: false, files: map[string]string{
			"models/_props.yml": "version: 2\nmodels:\n  - name: c\n    description: \"{{ var('pf_s') }}\"\n"}},
		{name: "it changed", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: view\nvars:\n  pf_n: 6\n  pf_s: raw2\n  pf_u: 1\n"}},
		{name: "another var changed then", patched: true, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: view\nvars:\n  pf_n: 7\n  pf_s: raw2\n  pf_u: 1\n"}},
		{name: "a folder config reads a var", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: \"{{ var('pf_mat', 'view') }}\"\nvars:\n  pf_n: 7\n  pf_mat: view\n"}},
		{name: "that var changed", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: \"{{ var('pf_mat', 'view') }}\"\nvars:\n  pf_n: 7\n  pf_mat: table\n"}},
		// a warning names a line of the file after the vars: they may not
		// grow, nor change
		{name: "a warning on the file", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 7\nmodels:\n  pv:\n    +colour: red\n"}},
		{name: "a var added: the warning's line moves", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 7\n  pf_o: 1\nmodels:\n  pv:\n    +colour: red\n"}},
		{name: "a var edited", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 8\n  pf_o: 1\nmodels:\n  pv:\n    +colour: red\n"}},
		{name: "the warning gone", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 8\n  pf_o: 1\nmodels:\n  pv:\n    +materialized: view\n"}},
		{name: "a var edited, no warning", patched: true, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 9\n  pf_o: 1\nmodels:\n  pv:\n    +materialized: view\n"}},
		{name: "a flow mapping: the whole file compared", patched: false, files: map[string]string{
			"mart.yml": "{name: pv, version: \"1.0.0\", vars: {pf_n: 9, pf_o: 1}}\n"}},
		{name: "its name changed beside the vars", patched: false, files: map[string]string{
			"mart.yml": "{name: pv2, version: \"1.0.0\", vars: {pf_n: 9, pf_o: 1}}\n"}},
		// YAML ends lines at a lone CR, NEL, LS and PS too: the whole file
		// compared (found by review: a CR before the vars moved the cut)
		{name: "CR CR LF line ends", patched: false, files: map[string]string{
			"mart.yml": strings.ReplaceAll("name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 9\nmodels:\n  pv:\n    +materialized: view\n", "\n", "\r\r\n")}},
		{name: "a setting after the vars, with them", patched: false, files: map[string]string{
			"mart.yml": strings.ReplaceAll("name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 9\nmodels:\n  pv:\n    +materialized: table\n", "\n", "\r\r\n")}},
		{name: "LS in a comment", patched: false, files: map[string]string{
			"mart.yml": "# a\u2028# b\nname: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 9\nmodels:\n  pv:\n    +materialized: table\n"}},
		{name: "a setting after the vars, with them", patched: false, files: map[string]string{
			"mart.yml": "# a\u2028# b\nname: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 9\nmodels:\n  pv:\n    +materialized: view\n"}},
		{name: "CR LF line ends: vars cut", patched: false, files: map[string]string{
			"mart.yml": strings.ReplaceAll("name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 9\nmodels:\n  pv:\n    +materialized: view\n", "\n", "\r\n")}},
		{name: "CR LF, a var edited", patched: true, files: map[string]string{
			"mart.yml": strings.ReplaceAll("name: pv\nversion: \"1.0.0\"\nvars:\n  pf_n: 10\nmodels:\n  pv:\n    +materialized: view\n", "\n", "\r\n")}},
		{name: "a flow mapping, a key before the vars on their line", patched: false, files: map[string]string{
			"mart.yml": "{name: pv, models: {pv: {+materialized: view}}, vars: {pf_n: 1},\n version: \"1.0.0\"}\n"}},
		{name: "that key changed", patched: false, files: map[string]string{
			"mart.yml": "{name: pv, models: {pv: {+materialized: table}}, vars: {pf_n: 1},\n version: \"1.0.0\"}\n"}},
		{name: "anchors: the whole file compared", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: &m view\nvars:\n  pf_n: 7\n  pf_mat: *m\n"}},
		{name: "anchors, a var edited", patched: false, files: map[string]string{
			"mart.yml": "name: pv\nversion: \"1.0.0\"\nmodels:\n  pv:\n    +materialized: &m view\nvars:\n  pf_n: 8\n  pf_mat: *m\n"}},
	})
}

// TestPatchVarsPackagesSee: a var changes for a package's nodes when the
// root project's value they see changes, or the package's own: those
// that read it render again, as the root's do. A root block for a
// package changed still compiles the whole project.
func TestPatchVarsPackagesSee(t *testing.T) {
	root := func(vars string) string { return "name: rp\nversion: \"1.0.0\"\n" + vars }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                           root("vars:\n  pk_n: 1\n"),
			"models/a.sql":                       "select {{ var('pk_n') }} as n\n",
			"models/b.sql":                       "select 2 as b\n",
			"dbt_packages/pk/dbt_project.yml":    "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  pk_pv: 1\n",
			"dbt_packages/pk/models/pkm.sql":     "select {{ var('pk_pv') }} as pv, {{ var('pk_n', 0) }} as n\n",
			"dbt_packages/pk/models/pkother.sql": "select 3 as c\n"}},
		{name: "a root var both read", patched: true, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 2\n")}},
		{name: "the root sets the package's var", patched: true, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 2\n  pk_pv: 5\n")}},
		{name: "and changes it", patched: true, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 2\n  pk_pv: 6\n")}},
		{name: "a var neither reads", patched: true, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 2\n  pk_pv: 6\n  pk_q: 1\n")}},
		{name: "a root block for the package", patched: false, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 2\n  pk_q: 1\n  pk:\n    pk_pv: 7\n")}},
		{name: "the block changed", patched: false, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 2\n  pk_q: 1\n  pk:\n    pk_pv: 8\n")}},
		{name: "another var with the block kept", patched: true, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 3\n  pk_q: 1\n  pk:\n    pk_pv: 8\n")}},
		{name: "the package's own default, which the block overrides", patched: true, files: map[string]string{
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  pk_pv: 2\n"}},
		{name: "the block removed", patched: false, files: map[string]string{"mart.yml": root("vars:\n  pk_n: 3\n  pk_q: 1\n")}},
		{name: "the package's own default", patched: true, files: map[string]string{
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  pk_pv: 3\n  pk_pw: 1\n"}},
	})
}

// TestPatchVarsWithUnitTests: in a project with unit tests, a var is
// patched whoever reads it: a unit-tested model is patched as any other
// while its refs and sources stay (TestPatchUnitTestedModels).
func TestPatchVarsWithUnitTests(t *testing.T) {
	root := func(vars string) string { return "name: ut\nversion: \"1.0.0\"\nvars:\n" + vars }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     root("  ut_x: 1\n  ut_y: 1\n  ut_z: 1\n"),
			"macros/m.sql": "{% macro zed() %}{{ var('ut_z') }}{% endmacro %}\n",
			"models/a.sql": "select 1 as id\n",
			"models/u.sql": "select id, {{ var('ut_x') }} as x, {{ zed() }} as z from {{ ref('a') }}\n",
			"models/w.sql": "select id, {{ var('ut_y') }} as y from {{ ref('a') }}\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: u_keeps_ids\n    model: u\n    given:\n" +
				"      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, ut_x: 1, ut_z: 1}\n"}},
		{name: "a var only a model without unit tests reads", patched: true, files: map[string]string{"mart.yml": root("  ut_x: 1\n  ut_y: 2\n  ut_z: 1\n")}},
		{name: "a var the unit-tested model reads", patched: true, files: map[string]string{"mart.yml": root("  ut_x: 2\n  ut_y: 2\n  ut_z: 1\n")}},
		{name: "one a macro it calls reads", patched: true, files: map[string]string{"mart.yml": root("  ut_x: 2\n  ut_y: 2\n  ut_z: 2\n")}},
		{name: "by --vars's way too: a var nobody reads", patched: true, files: map[string]string{"mart.yml": root("  ut_x: 2\n  ut_y: 2\n  ut_z: 2\n  ut_q: 1\n")}},
	})
}

// namingSteps runs steps as runPatchSteps does, with --vars of their own
// and without a patched expectation: every compile must equal a cold one.
func namingSteps(t *testing.T, steps []struct {
	name  string
	files map[string]string
	vars  map[string]any
}) {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	clock := time.Now().Add(-time.Hour)
	for _, s := range steps {
		for rel, text := range s.files {
			writeProjectFile(t, dir, rel, text)
			clock = clock.Add(time.Minute)
			for _, p := range []string{rel, path.Dir(rel), "."} {
				require.NoError(t, os.Chtimes(filepath.Join(dir, p), clock, clock))
			}
		}
		compareStep(t, Options{ProjectDir: dir, InvocationID: "inv", Vars: s.vars}, s.name)
	}
}

// TestPatchWatchesWhatNamingMacrosReachInAPatch: a patch that sets a
// relation through the project's generate_schema_name (a model added, a
// config changed) may take a branch the whole compile never took; the
// macros and vars that branch reaches are watched from then on, as the
// whole compile watches those it reaches: an edit of them compiles whole.
func TestPatchWatchesWhatNamingMacrosReachInAPatch(t *testing.T) {
	type step = struct {
		name  string
		files map[string]string
		vars  map[string]any
	}
	// (a var of each subtest's own: var() reads outside renders are
	// recorded for the process, and would block it from the start)
	added := func(v string) map[string]string {
		return map[string]string{"mart.yml": "name: nm\nversion: \"1.0.0\"\n", "models/a.sql": "select 1 as id\n",
			"macros/gsn.sql": "{% macro generate_schema_name(custom_schema_name, node) %}{% if custom_schema_name is none %}{{ target.schema }}" +
				"{% else %}{{ var('" + v + "', '') }}{{ clean_name(custom_schema_name) }}{% endif %}{% endmacro %}\n",
			"macros/help.sql": "{% macro clean_name(s) %}{{ s | trim }}{% endmacro %}\n"}
	}
	add := map[string]string{"models/mart.sql": "{{ config(schema='marts') }}\nselect * from {{ ref('a') }}\n"}
	t.Run("added, helper edited", func(t *testing.T) {
		namingSteps(t, []step{{name: "cold", files: added("nm_v1")}, {name: "a model in a custom schema added", files: add},
			{name: "the helper edited", files: map[string]string{"macros/help.sql": "{% macro clean_name(s) %}{{ s | trim | upper }}{% endmacro %}\n"}}})
	})
	t.Run("added, var set", func(t *testing.T) {
		namingSteps(t, []step{{name: "cold", files: added("nm_v2")}, {name: "a model in a custom schema added", files: add},
			{name: "--vars nm_v2", vars: map[string]any{"nm_v2": "dev_"}}})
	})
	branch := func(v string) map[string]string {
		return map[string]string{"mart.yml": "name: nb\nversion: \"1.0.0\"\n", "models/a.sql": "select 1 as id\n",
			"models/m.sql": "{{ config(materialized='view') }}\nselect * from {{ ref('a') }}\n",
			"macros/gsn.sql": "{% macro generate_schema_name(custom, node) %}{% if node.config.materialized == 'table' %}{{ tbl_schema() }}" +
				"{{ var('" + v + "', '') }}{% else %}{{ target.schema }}{% endif %}{% endmacro %}\n",
			"macros/help.sql": "{% macro tbl_schema() %}{{ target.schema }}{% endmacro %}\n"}
	}
	table := map[string]string{"models/m.sql": "{{ config(materialized='table') }}\nselect * from {{ ref('a') }}\n"}
	t.Run("reconfigured, helper edited", func(t *testing.T) {
		namingSteps(t, []step{{name: "cold", files: branch("nb_v1")}, {name: "m a table: the macro's other branch", files: table},
			{name: "the helper edited", files: map[string]string{"macros/help.sql": "{% macro tbl_schema() %}{{ target.schema }}_t{% endmacro %}\n"}}})
	})
	t.Run("reconfigured, var set", func(t *testing.T) {
		namingSteps(t, []step{{name: "cold", files: branch("nb_v2")}, {name: "m a table: the macro's other branch", files: table},
			{name: "--vars nb_v2", vars: map[string]any{"nb_v2": "_x"}}})
	})
}

// TestPatchDropsNoWarningOfAMacro: a warning a config() call inside a
// macro raised is about the macro's file; a model that no longer calls it,
// or the macro fixed, compiles whole (the warning goes), as a removed
// model does.
func TestPatchDropsNoWarningOfAMacro(t *testing.T) {
	base := map[string]string{"mart.yml": "name: sw\nversion: \"1.0.0\"\n", "models/a.sql": "select 1 as id\n",
		"models/m.sql": "{{ kk() }}\nselect 1 as id\n",
		"macros/k.sql": "{% macro kk() %}{{ config(materialized='table', colour='x') }}{% endmacro %}\n"}
	t.Run("the model calls it no more", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base},
			{name: "the call removed", patched: false, files: map[string]string{"models/m.sql": "select 1 as id\n"}}})
	})
	t.Run("the macro fixed", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base},
			{name: "the key removed", patched: false, files: map[string]string{"macros/k.sql": "{% macro kk() %}{{ config(materialized='table') }}{% endmacro %}\n"}}})
	})
	t.Run("the model removed", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base}, {name: "m removed", patched: false, remove: []string{"models/m.sql"}}})
	})
}

// TestPatchMacrosWithUnitTests: in a project with unit tests, an edit of
// a macro file no unit-tested model calls (directly or through another
// macro) is patched; one of a file it calls compiles the whole project.
func TestPatchMacrosWithUnitTests(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: mu\nversion: \"1.0.0\"\n",
			"macros/u.sql": "{% macro for_u(x) %}{{ helper(x) }} + 1{% endmacro %}\n",
			"macros/h.sql": "{% macro helper(x) %}{{ x }}{% endmacro %}\n",
			"macros/w.sql": "{% macro for_w(x) %}{{ x }} * 2{% endmacro %}\n",
			"models/a.sql": "select 1 as id\n",
			"models/u.sql": "select id, {{ for_u('id') }} as n from {{ ref('a') }}\n",
			"models/w.sql": "select id, {{ for_w('id') }} as n from {{ ref('a') }}\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: u_adds_one\n    model: u\n    given:\n" +
				"      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, n: 2}\n"}},
		{name: "a macro only a model without unit tests calls", patched: true, files: map[string]string{
			"macros/w.sql": "{% macro for_w(x) %}{{ x }} * 3{% endmacro %}\n"}},
		{name: "a macro added to its file (a name no render looked for)", patched: true, files: map[string]string{
			"macros/w.sql": "{% macro for_w(x) %}{{ x }} * 3{% endmacro %}\n{% macro other() %}1{% endmacro %}\n"}},
		{name: "the unit-tested model's macro", patched: true, files: map[string]string{
			"macros/u.sql": "{% macro for_u(x) %}{{ helper(x) }} + 2{% endmacro %}\n"}},
		{name: "a macro it calls through that one", patched: true, files: map[string]string{
			"macros/h.sql": "{% macro helper(x) %}({{ x }}){% endmacro %}\n"}},
		{name: "the other model's again", patched: true, files: map[string]string{
			"macros/w.sql": "{% macro for_w(x) %}{{ x }} * 4{% endmacro %}\n{% macro other() %}1{% endmacro %}\n"}},
	})
}

// TestPatchUnitTestedModels: a model a unit test tests is patched as any
// other while its refs and sources stay (the unit test's inputs, which a
// compile checks its givens against): its SQL edited, a var or macro it
// reads, its description, its YAML config (made again where it is:
// inPlaceInputs). Its refs or sources changed and its file removed or
// moved compile whole (or fail as the cold compile does).
func TestPatchUnitTestedModels(t *testing.T) {
	unit := func(given string) string {
		return "version: 2\nunit_tests:\n  - name: u_adds\n    model: u\n    given:\n" + given +
			"    expect:\n      rows:\n          - {id: 1, n: 2}\nmodels:\n  - name: u\n    description: the u\n"
	}
	givenA := "      - input: ref('a')\n        rows:\n          - {id: 1}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: utm\nversion: \"1.0.0\"\nvars:\n  utm_k: 1\n",
			"macros/m.sql":  "{% macro inc(x) %}{{ x }} + {{ var('utm_k') }}{% endmacro %}\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select 2 as id\n",
			"models/u.sql":  "select id, {{ inc('id') }} as n from {{ ref('a') }}\n",
			"models/v.sql":  "select * from {{ ref('u') }}\n",
			"models/_u.yml": unit(givenA)}},
		{name: "its SQL edited", patched: true, files: map[string]string{
			"models/u.sql": "-- adds one\nselect id, {{ inc('id') }} as n from {{ ref('a') }} where id > 0\n"}},
		{name: "the macro it calls", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro inc(x) %}({{ x }} + {{ var('utm_k') }}){% endmacro %}\n"}},
		{name: "the var that macro reads", patched: true, files: map[string]string{
			"mart.yml": "name: utm\nversion: \"1.0.0\"\nvars:\n  utm_k: 2\n"}},
		{name: "its description", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(unit(givenA), "the u", "the u, edited", 1)}},
		{name: "a ref added: a reshape, refused", patched: false, files: map[string]string{
			"models/u.sql": "select id, {{ inc('id') }} as n from {{ ref('a') }} where id not in (select id from {{ ref('b') }})\n"}},
		{name: "the given for it: its unit tests made again (patchunits.go)", patched: true, files: map[string]string{
			"models/_u.yml": unit(givenA + "      - input: ref('b')\n        rows:\n          - {id: 2}\n")}},
		{name: "the ref dropped: its given is no input now", coldFails: true, files: map[string]string{
			"models/u.sql": "select id, {{ inc('id') }} as n from {{ ref('a') }}\n"}},
		{name: "the given dropped too", patched: false, files: map[string]string{
			"models/_u.yml": unit(givenA)}},
		{name: "its config in YAML: made again where it is, its refs as they were", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(unit(givenA), "the u\n", "the u\n    config:\n      materialized: table\n", 1)}},
		{name: "and tagged there", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(unit(givenA), "the u\n", "the u\n    config:\n      materialized: table\n      tags: [t]\n", 1)}},
		{name: "its SQL again", patched: true, files: map[string]string{
			"models/u.sql": "select id, {{ inc('id') }} as n from {{ ref('a') }} -- again\n"}},
		{name: "moved to a folder: the unit test's fqn is its model's (found by review)", patched: false, remove: []string{"models/u.sql"}, files: map[string]string{
			"models/sub/u.sql": "select id, {{ inc('id') }} as n from {{ ref('a') }} -- again\n"}},
		{name: "its file removed: the unit test's model is gone", coldFails: true, remove: []string{"models/sub/u.sql"}},
	})
}

// TestPatchUnitTestEdits: an edit of a file's unit_tests: (rows,
// descriptions, config, overrides, lines moved) is patched: the file's
// unit tests are made again from its new text, each in its entry's place
// and its index row (patchunits.go). Unit tests added, removed, renamed
// or moved to another model, Jinja in them, and givens a whole compile
// rejects compile whole (or fail as the cold compile does).
func TestPatchUnitTestEdits(t *testing.T) {
	units := func(rowsA, expectB, extra string) string {
		return "version: 2\nunit_tests:\n  - name: u_adds\n    description: adds one\n    model: u\n    given:\n      - input: ref('a')\n        rows:\n" + rowsA +
			"    expect:\n      rows:\n          - {id: 1, n: 2}\n  - name: u_dates\n    model: w\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n" +
			"    expect:\n      rows:\n" + expectB + extra + "models:\n  - name: u\n    description: the u\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	}
	rowsA := "          - {id: 1}\n"
	expectB := "          - {id: 1, d: 2026-03-01, x: 1.5}\n"
	base := units(rowsA, expectB, "")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: ute\nversion: \"1.0.0\"\nvars:\n  ute_tag: t1\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select 2 as id\n",
			"models/u.sql":  "select id, id + 1 as n from {{ ref('a') }}\n",
			"models/w.sql":  "select id, date '2026-03-01' as d, 1.5 as x from {{ ref('a') }}\n",
			"models/c.sql":  "select id from {{ ref('a') }}\n",
			"models/_u.yml": base}},
		{name: "a given's row edited", patched: true, files: map[string]string{
			"models/_u.yml": units("          - {id: 2}\n", expectB, "")}},
		{name: "rows added: the lines after them move", patched: true, files: map[string]string{
			"models/_u.yml": units("          - {id: 2}\n          - {id: 3}\n          - {id: 4}\n", expectB, "")}},
		{name: "an expected date and float edited", patched: true, files: map[string]string{
			"models/_u.yml": units(rowsA, "          - {id: 1, d: 2026-03-02, x: 2.25}\n", "")}},
		{name: "a description, a config and an override", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(units(rowsA, expectB, "    config:\n      tags: [slow]\n      meta: {owner: ana}\n    overrides:\n      macros:\n        is_incremental: true\n"),
				"adds one", "adds one, edited", 1)}},
		{name: "the rows in CSV", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(base, "        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, n: 2}\n",
				"        format: csv\n        rows: |\n          id\n          1\n    expect:\n      rows:\n          - {id: 1, n: 2}\n", 1)}},
		{name: "back", patched: true, files: map[string]string{"models/_u.yml": base}},
		{name: "a comment above: unit tests moved, not changed", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(base, "version: 2\n", "version: 2\n# a comment\n", 1)}},
		{name: "the model's description grows below them", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(base, "    description: the u\n", "    description: >\n      the u,\n      grown\n", 1)}},
		{name: "a given the model does not read", coldFails: true, files: map[string]string{
			"models/_u.yml": units(rowsA+"      - input: ref('b')\n        rows:\n          - {id: 2}\n", expectB, "")}},
		{name: "back", patched: true, files: map[string]string{"models/_u.yml": base}},
		{name: "renamed: cut out and inserted", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(base, "u_dates", "u_dated", 1)}},
		{name: "moved to another model", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(strings.Replace(base, "u_dated", "u_dates", 1), "model: w\n", "model: u\n", 1)}},
		{name: "back again", patched: true, files: map[string]string{"models/_u.yml": base}},
		{name: "one added", patched: true, files: map[string]string{
			"models/_u.yml": strings.Replace(base, "models:\n", "  - name: u_more\n    model: u\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 5}\n    expect:\n      rows:\n          - {id: 5, n: 6}\nmodels:\n", 1)}},
		{name: "the one added removed", patched: true, files: map[string]string{"models/_u.yml": base}},
		{name: "a second file of unit tests (added with them)", patched: true, files: map[string]string{"models/_u2.yml": "version: 2\nunit_tests:\n  - name: u_two\n    model: u\n    given: []\n    expect:\n      rows: []\n"}},
		{name: "one of it renamed as one of the first file's: declared twice", coldFails: true, files: map[string]string{"models/_u2.yml": "version: 2\nunit_tests:\n  - name: u_adds\n    model: u\n    given: []\n    expect:\n      rows: []\n"}},
		{name: "back: as the snapshot has it", patched: true, files: map[string]string{"models/_u2.yml": "version: 2\nunit_tests:\n  - name: u_two\n    model: u\n    given: []\n    expect:\n      rows: []\n"}},
		{name: "the first file's all removed", patched: true, files: map[string]string{"models/_u.yml": strings.Replace(base, base[strings.Index(base, "unit_tests:"):strings.Index(base, "models:")], "unit_tests: []\n", 1)}},
		{name: "the second file's last removed: the project's last (unit_tests left empty)", patched: true, files: map[string]string{"models/_u2.yml": "version: 2\nunit_tests: []\n"}},
		{name: "the project's first added (into the empty unit_tests)", patched: true, files: map[string]string{"models/_u2.yml": "version: 2\nunit_tests:\n  - name: u_two\n    model: u\n    given: []\n    expect:\n      rows: []\n"}},
		{name: "the first file's back", patched: true, files: map[string]string{"models/_u.yml": base}},
		{name: "b reads a", patched: true, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "a unit test of b added", patched: true, files: map[string]string{"models/_u.yml": strings.Replace(base, "models:\n", "  - name: u_b\n    model: b\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1}\nmodels:\n", 1)}},
		{name: "b reads a no more: its unit test's given is no input (UnitTested)", coldFails: true, files: map[string]string{"models/b.sql": "select 2 as id\n"}},
		{name: "back", patched: true, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "its unit test removed", patched: true, files: map[string]string{"models/_u.yml": base}},
		{name: "one of c added while c reads a no more, in one save", coldFails: true, files: map[string]string{"models/c.sql": "select 2 as id\n",
			"models/_u.yml": strings.Replace(base, "models:\n", "  - name: u_c\n    model: c\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1}\nmodels:\n", 1)}},
		{name: "an empty item mid-edit (a panic: found by review)", coldFails: true, files: map[string]string{
			"models/_u.yml": strings.Replace(base, "models:\n", "  -\nmodels:\n", 1)}},
		{name: "Jinja in a config: it reads a var, which the patch would not watch", patched: false, files: map[string]string{
			"models/_u.yml": units(rowsA, expectB, "    config:\n      tags: [\"{{ var('ute_tag') }}\"]\n")}},
		{name: "that var", patched: false, files: map[string]string{
			"mart.yml": "name: ute\nversion: \"1.0.0\"\nvars:\n  ute_tag: t2\n"}},
		{name: "plain again: the new text is all a patch reads", patched: true, files: map[string]string{"models/_u.yml": base}},
		{name: "a row edited once more", patched: true, files: map[string]string{
			"models/_u.yml": units("          - {id: 7}\n", expectB, "")}},
	})
}

// TestPatchUnitTestFiles: a properties file added or removed with unit
// tests is patched as an edit of one from no text, or to none
// (wholePropsFiles, remakeUnitTests); each step the cold compile's.
func TestPatchUnitTestFiles(t *testing.T) {
	unit := func(name, model string, extra string) string {
		return "  - name: " + name + "\n    model: " + model + "\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n" +
			"    expect:\n      rows:\n          - {id: 1}\n" + extra
	}
	file := func(units ...string) string { return "version: 2\nunit_tests:\n" + strings.Join(units, "") }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: utf\nversion: \"1.0.0\"\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select id from {{ ref('a') }}\n",
			"models/c.sql": "select id from {{ ref('a') }}\n"}},
		{name: "the project's first unit test, in a new file", patched: true, files: map[string]string{"models/_b_unit.yml": file(unit("b_keeps", "b", ""))}},
		{name: "a second file, with a model entry too (c made again: whole)", any: true, files: map[string]string{
			"models/_c_unit.yml": "version: 2\nmodels:\n  - name: c\n    description: the c\n" + file(unit("c_keeps", "c", ""))[len("version: 2\n"):]}},
		{name: "the second removed", patched: true, remove: []string{"models/_c_unit.yml"}},
		{name: "a file in a new folder with its model", any: true, files: map[string]string{
			"models/sub/d.sql": "select id from {{ ref('a') }}\n", "models/sub/_d.yml": file(unit("d_keeps", "d", ""))}},
		{name: "a file whose unit test is declared in another file too", coldFails: true, files: map[string]string{"models/_dup.yml": file(unit("b_keeps", "b", ""))}},
		{name: "that one removed", patched: true, remove: []string{"models/_dup.yml"}},
		{name: "a file renamed: its unit tests removed and added in one save", any: true, remove: []string{"models/_b_unit.yml"},
			files: map[string]string{"models/_b_unit2.yml": file(unit("b_keeps", "b", ""))}},
		{name: "a file of a disabled unit test", any: true, files: map[string]string{"models/_off.yml": file(unit("c_off", "c", "    config:\n      enabled: false\n"))}},
		{name: "it removed", any: true, remove: []string{"models/_off.yml"}},
		{name: "a unit test of a model the same save adds", any: true, files: map[string]string{
			"models/e.sql": "select id from {{ ref('a') }}\n", "models/_e.yml": file(unit("e_keeps", "e", ""))}},
		{name: "a unit test of a model that does not exist", coldFails: true, files: map[string]string{"models/_x.yml": file(unit("x_keeps", "nosuch", ""))}},
		{name: "it removed again", any: true, remove: []string{"models/_x.yml"}},
		{name: "a unit test of a model the same save removes", coldFails: true, remove: []string{"models/e.sql"},
			files: map[string]string{"models/_e2.yml": file(unit("e_two", "e", ""))}},
		{name: "both files gone, e back", any: true, remove: []string{"models/_e2.yml", "models/_e.yml"}, files: map[string]string{"models/e.sql": "select id from {{ ref('a') }}\n"}},
		{name: "a file of Jinja in a unit test's config (a var no patch would watch: whole)", patched: false, files: map[string]string{"models/_j.yml": file(unit("c_j", "c", "    config:\n      tags: [\"{{ var('t', 'x') }}\"]\n"))}},
		{name: "that var set", patched: false, vars: map[string]any{"t": "y"}},
		{name: "every file of unit tests removed", any: true, remove: []string{"models/_j.yml", "models/_b_unit2.yml", "models/sub/_d.yml"}},
		{name: "one added back", patched: true, files: map[string]string{"models/_b_unit.yml": file(unit("b_keeps", "b", ""))}},
		{name: "a unit test whose given the model does not read", coldFails: true, files: map[string]string{"models/_bad.yml": strings.Replace(file(unit("c_bad", "c", "")), "ref('a')", "ref('b')", 1)}},
		{name: "fixed", any: true, remove: []string{"models/_bad.yml"}},
	})
}

// TestPatchReadOnlyAfterYAMLEdits: a read-only command (ls) after a YAML
// edit compiles whole and keeps nothing of the edit in the snapshot (both
// found by review): a unit test's tags edited (its selection was served
// as it was), and lines moved while a directory's stat changed (the head,
// written for the stat, kept the moved lines with the file's old text:
// the next compile moved them twice).
func TestPatchReadOnlyAfterYAMLEdits(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	clock := time.Now().Add(-time.Hour)
	settle := func(rels ...string) {
		for _, rel := range rels {
			clock = clock.Add(time.Minute)
			require.NoError(t, os.Chtimes(filepath.Join(dir, rel), clock, clock))
		}
	}
	unit := "version: 2\nunit_tests:\n  - name: u_t\n    model: u\n    given: []\n    expect:\n      rows: []\nmodels:\n  - name: u\n    description: x\n"
	writeProjectFile(t, dir, "mart.yml", "name: rov\nversion: \"1.0.0\"\n")
	writeProjectFile(t, dir, "models/u.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/_u.yml", unit)
	settle("mart.yml", "models/u.sql", "models/_u.yml", "models", ".")
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	ro := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchReadOnly: true}
	tagged := strings.Replace(unit, "    given: []\n", "    config: {tags: [x]}\n    given: []\n", 1)
	for _, step := range []struct{ name, text string }{
		{"a unit test's tags", tagged},
		{"lines moved", "# a\n# b\n" + tagged},
	} {
		writeProjectFile(t, dir, "models/_u.yml", step.text)
		settle("models/_u.yml", "models")
		pt, _ := CompileByPatch(ro)
		require.Nil(t, pt, "%s: a read-only command served the snapshot", step.name)
		patched, why := compareStep(t, opt, step.name)
		require.True(t, patched, "%s: %s", step.name, why)
	}
}

// TestPatchUnitTestsReviewed: the cases a review found (session 20): a
// unit test added in the save that removes or moves its model (it was
// made from the model's old entry), and a disabled unit test removed or
// enabled (the disabled object kept it); and a docs block a column
// declared twice calls removed (only the last of a name was checked).
func TestPatchUnitTestsReviewed(t *testing.T) {
	unit := func(name, model string) string {
		return "  - name: " + name + "\n    model: " + model + "\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1}\n"
	}
	base := "version: 2\nunit_tests:\n" + unit("u_m", "m")
	dis := unit("u_d", "m") + "    config:\n      enabled: false\n"
	md := func(x string) string { return "{% docs x %}" + x + "{% enddocs %}\n{% docs y %}why{% enddocs %}\n" }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml": "name: utr\nversion: \"1.0.0\"\n", "models/a.sql": "select 1 as id\n",
			"models/m.sql": "select id from {{ ref('a') }}\n", "models/k.sql": "select id from {{ ref('a') }}\n",
			"models/_u1.yml": base, "models/docs.md": md("the x"),
			"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        description: '{{ doc(\"x\") }}'\n      - name: id\n        description: '{{ doc(\"y\") }}'\n"}},
		{name: "a unit test of k added, k removed", coldFails: true, remove: []string{"models/k.sql"}, files: map[string]string{
			"models/_u1.yml": base + unit("u_k", "k")}},
		{name: "a unit test of k added, k moved to a folder (its fqn)", patched: false, files: map[string]string{
			"models/_u1.yml": base + unit("u_k", "k"), "models/sub/k.sql": "select id from {{ ref('a') }}\n"}},
		{name: "a disabled one added", patched: false, files: map[string]string{"models/_u1.yml": base + unit("u_k", "k") + dis}},
		{name: "the disabled one removed", patched: false, files: map[string]string{"models/_u1.yml": base + unit("u_k", "k")}},
		{name: "a disabled one added again", patched: false, files: map[string]string{"models/_u1.yml": base + unit("u_k", "k") + dis}},
		{name: "the disabled one enabled", patched: false, files: map[string]string{"models/_u1.yml": base + unit("u_k", "k") + strings.Replace(dis, "false", "true", 1)}},
		{name: "x edited: the first of two columns named id calls it", patched: true, files: map[string]string{"models/docs.md": md("the x, edited")}},
		{name: "x removed: the cold compile fails on it", coldFails: true, files: map[string]string{"models/docs.md": "{% docs y %}why{% enddocs %}\n"}},
	})
}

// TestPatchDocCallsShadowed: a doc() call written into the first of two
// columns with one name (the compile renders both, the last kept) is not
// patched: the block it calls may not be there (found by review).
func TestPatchDocCallsShadowed(t *testing.T) {
	props := func(first string) string {
		return "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        description: " + first + "\n      - name: id\n        description: last\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: dcs\nversion: \"1.0.0\"\n", "models/a.sql": "select 1 as id\n",
			"models/docs.md": "{% docs x %}the x{% enddocs %}\n", "models/_p.yml": props("first")}},
		{name: "a block that is not there, in the first", coldFails: true, files: map[string]string{"models/_p.yml": props(`'{{ doc("nope") }}'`)}},
		{name: "one that is: not patched either", patched: false, files: map[string]string{"models/_p.yml": props(`'{{ doc("x") }}'`)}},
		{name: "the last's, plain", patched: true, files: map[string]string{"models/_p.yml": strings.Replace(props(`'{{ doc("x") }}'`), "last", "the last", 1)}},
	})
}

// TestPatchDocsBlockOfDisabled: a block a disabled model's description
// calls is edited as any other: manifest.json holds that model's path
// alone (found by review: every such edit compiled whole). The model
// enabled again compiles whole, and its description is the block's.
func TestPatchDocsBlockOfDisabled(t *testing.T) {
	props := "version: 2\nmodels:\n  - name: b\n    description: \"{{ doc('x') }}\"\n    columns:\n      - name: id\n        description: \"{{ doc('x') }}\"\n" +
		"  - name: a\n    description: \"{{ doc('x') }}\"\n"
	runPatchSteps(t, []patchStep{{name: "cold", files: map[string]string{"mart.yml": "name: dis\nversion: \"1.0.0\"\n",
		"models/a.sql": "select 1 as id\n", "models/b.sql": "{{ config(enabled=false) }}\nselect 1 as id\n",
		"models/docs.md": "{% docs x %}The x.{% enddocs %}\n", "models/_p.yml": props}},
		{name: "x edited", patched: true, files: map[string]string{"models/docs.md": "{% docs x %}The x, edited.{% enddocs %}\n"}},
		{name: "b's description edited", patched: true, files: map[string]string{"models/_p.yml": strings.Replace(props, "  - name: b\n    description: \"{{ doc('x') }}\"", "  - name: b\n    description: plain b", 1)}},
		{name: "b's column added", patched: false, files: map[string]string{"models/_p.yml": strings.Replace(props, "        description: \"{{ doc('x') }}\"\n  - name: a", "        description: \"{{ doc('x') }}\"\n      - name: more\n  - name: a", 1)}},
		{name: "b enabled", patched: true, files: map[string]string{"models/b.sql": "select 1 as id\n"}},
		{name: "x edited again", patched: true, files: map[string]string{"models/docs.md": "{% docs x %}The x, again.{% enddocs %}\n"}},
	})
}

// TestPatchDocsBlocks: a docs block's text edited, added or removed is
// patched: manifest.json's docs object and the descriptions that call it
// (of models, their columns, a seed, a source table and its column) are
// written anew (patchdocs.go), also with a properties file edited in the
// same save (a block written and called at once). A block another file
// defines too, one removed that a description calls, a description with
// other Jinja beside doc(), an entry made again from its YAML with it,
// and .md files added or removed compile whole (or fail as the cold
// compile does).
func TestPatchDocsBlocks(t *testing.T) {
	md := func(x, y string) string {
		return "Some notes.\n\n{% docs x %}\n" + x + "\n{% enddocs %}\n\n{% docs y %}" + y + "{% enddocs %}\n{% docs z %}zed{% enddocs %}\n"
	}
	const props = "version: 2\nmodels:\n  - name: a\n    description: '{{ doc(\"x\") }}'\n    columns:\n      - name: id\n        description: 'y is {{ doc(\"y\") }}, and more'\n" +
		"  - name: b\n    description: plain b\n  - name: e\n    description: '{{ doc(\"z\") }}'\n" +
		"seeds:\n  - name: s\n    description: '{{ doc(\"y\") }}'\n" +
		"sources:\n  - name: raw\n    tables:\n      - name: t\n        description: '{{ doc(\"x\") }}'\n        columns:\n          - name: c\n            description: '{{ doc(\"z\") }}'\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: dox\nversion: \"1.0.0\"\nvars:\n  dv: 1\n",
			"models/a.sql":   "select 1 as id\n",
			"models/b.sql":   "select * from {{ ref('a') }}\n",
			"models/e.sql":   "{{ config(materialized='ephemeral') }}\nselect 1 as id\n",
			"models/f.sql":   "select * from {{ ref('e') }}, {{ source('raw', 't') }}\n",
			"seeds/s.csv":    "id\n1\n",
			"models/_p.yml":  props,
			"models/docs.md": md("the x", "the y")}},
		{name: "x edited: a model, a source table", patched: true, files: map[string]string{"models/docs.md": md("the x, edited", "the y")}},
		{name: "y edited: a column, a seed", patched: true, files: map[string]string{"models/docs.md": md("the x, edited", "why")}},
		{name: "z edited: a model not patchable, a source column", patched: true, files: map[string]string{
			"models/docs.md": strings.Replace(md("the x, edited", "why"), "zed", "zee", 1)}},
		{name: "text outside the blocks", patched: true, files: map[string]string{"models/docs.md": "More notes.\n" + md("the x, edited", "why")}},
		{name: "a block added", patched: true, files: map[string]string{"models/docs.md": md("the x, edited", "why") + "{% docs w %}\ndouble u\n{% enddocs %}\n"}},
		{name: "then removed", patched: true, files: map[string]string{"models/docs.md": md("the x", "why")}},
		{name: "a block a description calls removed", coldFails: true, files: map[string]string{"models/docs.md": "{% docs y %}why{% enddocs %}\n{% docs z %}zed{% enddocs %}\n"}},
		{name: "back", patched: true, files: map[string]string{"models/docs.md": md("the x", "the y")}},
		{name: "with a properties file", patched: true, files: map[string]string{
			"models/docs.md": md("the x", "the y, again"), "models/_p.yml": strings.Replace(props, "plain b", "plain b, edited", 1)}},
		// documenting: a block written, and called from a description, in one save
		{name: "a block added and called", patched: true, files: map[string]string{
			"models/docs.md": md("the x", "the y, again") + "{% docs w %}double u{% enddocs %}\n",
			"models/_p.yml":  strings.Replace(props, "plain b", "'{{ doc(\"w\") }}'", 1)}},
		// the same entry: its description's call edited, its column's block edited
		{name: "a's description and its column's block", patched: true, files: map[string]string{
			"models/docs.md": md("the x", "the y, edited") + "{% docs w %}double u{% enddocs %}\n",
			"models/_p.yml":  strings.Replace(strings.Replace(props, "plain b", "'{{ doc(\"w\") }}'", 1), "description: '{{ doc(\"x\") }}'\n    columns", "description: '{{ doc(\"w\") }}'\n    columns", 1)}},
		{name: "w removed with its calls", patched: true, files: map[string]string{
			"models/docs.md": md("the x", "the y"), "models/_p.yml": strings.Replace(props, "plain b", "plain b, edited", 1)}},
		{name: "a block a YAML edit calls removed", coldFails: true, files: map[string]string{
			"models/docs.md": md("the x", "the y"), "models/_p.yml": strings.Replace(props, "plain b", "'{{ doc(\"w\") }}'", 1)}},
		{name: "a config made again with a block edited", patched: false, files: map[string]string{
			"models/docs.md": md("the x, made", "the y"), "models/_p.yml": strings.Replace(props, "plain b", "plain b\n    config: {tags: [d]}", 1)}},
		{name: "plain b again", patched: true, files: map[string]string{"models/_p.yml": props}},
		{name: "Jinja beside doc()", patched: false, files: map[string]string{
			"models/_p.yml": strings.Replace(props, "plain b", "'b {{ doc(\"x\") }} {{ var(\"dv\") }}'", 1)}},
		{name: "x edited: that description is rendered whole", patched: false, files: map[string]string{"models/docs.md": md("the x!", "the y, again")}},
		{name: "y edited: it does not call y, but reads doc", patched: false, files: map[string]string{"models/docs.md": md("the x!", "the y")}},
		{name: "plain again (a YAML edit of a description with Jinja: whole)", patched: false, files: map[string]string{"models/_p.yml": props}},
		{name: "a second file (session 33: patched)", patched: true, files: map[string]string{"models/more.md": "{% docs v %}vee{% enddocs %}\n"}},
		{name: "its block edited", patched: true, files: map[string]string{"models/more.md": "{% docs v %}vee, edited{% enddocs %}\n"}},
		{name: "it defines x too: which wins is the files' order", patched: false, files: map[string]string{"models/more.md": "{% docs x %}the other x{% enddocs %}\n"}},
		{name: "docs.md edited meanwhile", patched: false, files: map[string]string{"models/docs.md": md("the x?", "the y")}},
		{name: "the second file removed", patched: false, remove: []string{"models/more.md"}},
		{name: "x edited once more", patched: true, files: map[string]string{"models/docs.md": md("the x, once more", "the y")}},
		// doc() in YAML descriptions edited: rendered with the docs object's blocks
		{name: "a doc() call added to a YAML description", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(props, "plain b", "'b: {{ doc(\"y\") }}'", 1)}},
		{name: "it calls another block", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(props, "plain b", "'b: {{ doc(\"z\") }}'", 1)}},
		{name: "a source table's own description calls another block", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(strings.Replace(props, "plain b", "'b: {{ doc(\"z\") }}'", 1), "        description: '{{ doc(\"x\") }}'\n        columns", "        description: '{{ doc(\"y\") }}'\n        columns", 1)}},
		{name: "and a plain one", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(strings.Replace(props, "plain b", "'b: {{ doc(\"z\") }}'", 1), "        description: '{{ doc(\"x\") }}'\n        columns", "        description: the t\n        columns", 1)}},
		{name: "and the block again", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(props, "plain b", "'b: {{ doc(\"z\") }}'", 1)}},
		{name: "a column added that calls one", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(strings.Replace(props, "plain b", "'b: {{ doc(\"z\") }}'", 1), "  - name: b\n", "      - name: x2\n        description: '{{ doc(\"x\") }}'\n  - name: b\n", 1)}},
		{name: "back to plain", patched: true, files: map[string]string{"models/_p.yml": props}},
		{name: "a block that is not there", coldFails: true, files: map[string]string{
			"models/_p.yml": strings.Replace(props, "plain b", "'{{ doc(\"nope\") }}'", 1)}},
		{name: "a source table added that calls one (rendered with manifest.json's blocks: loadDocs)", patched: true, files: map[string]string{
			"models/_p.yml": props + "      - name: t2\n        description: '{{ doc(\"y\") }}'\n"}},
		{name: "a block edited after", patched: true, files: map[string]string{"models/docs.md": md("the x, after", "the y")}},
	})
}

// TestPatchDocsFilesAdded: a .md file added is patched as an edit of a
// file that defined no block, one removed as one emptied (session 33;
// before, both compiled whole), the project's first one too; one that
// defines a block another file defines compiles whole, and one removed
// whose block a description calls fails.
func TestPatchDocsFilesAdded(t *testing.T) {
	const props = "version: 2\nmodels:\n  - name: a\n    description: plain a\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: dfa\nversion: \"1.0.0\"\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select * from {{ ref('a') }}\n",
			"models/_p.yml": props}},
		{name: "the project's first .md file", patched: true, files: map[string]string{"models/docs.md": "{% docs x %}the x{% enddocs %}\n"}},
		{name: "its block called", patched: true, files: map[string]string{"models/_p.yml": strings.Replace(props, "plain a", "'{{ doc(\"x\") }}'", 1)}},
		{name: "its block edited", patched: true, files: map[string]string{"models/docs.md": "{% docs x %}the x, edited{% enddocs %}\n"}},
		{name: "a file in a new folder with no block", patched: true, files: map[string]string{"models/sub/notes.md": "just notes\n"}},
		{name: "a block added to it", patched: true, files: map[string]string{"models/sub/notes.md": "{% docs y %}the y{% enddocs %}\n"}},
		{name: "a file that defines x too", patched: false, files: map[string]string{"models/more.md": "{% docs x %}another x{% enddocs %}\n"}},
		{name: "it removed (x defined twice: not patched)", patched: false, remove: []string{"models/more.md"}},
		{name: "a file whose block nothing calls removed", patched: true, remove: []string{"models/sub/notes.md"}},
		{name: "a file whose block a description calls removed", coldFails: true, remove: []string{"models/docs.md"}},
		{name: "it back", patched: true, files: map[string]string{"models/docs.md": "{% docs x %}the x, edited{% enddocs %}\n"}},
		{name: "another file added with a model", patched: true, files: map[string]string{
			"models/z.md": "{% docs z %}zed{% enddocs %}\n", "models/c.sql": "select * from {{ ref('b') }}\n"}},
		{name: "the model edited after", patched: true, files: map[string]string{"models/c.sql": "select id from {{ ref('b') }}\n"}},
		{name: "a file removed with a model added", patched: true, remove: []string{"models/z.md"}, files: map[string]string{"models/d.sql": "select 1 as id\n"}},
		{name: "that model edited after", patched: true, files: map[string]string{"models/d.sql": "select 2 as id\n"}},
		{name: "one added with a properties file edited to call it", patched: true, files: map[string]string{
			"models/w.md": "{% docs w %}double u{% enddocs %}\n", "models/_p.yml": strings.Replace(props, "plain a", "'{{ doc(\"w\") }}'", 1)}},
	})
}

// TestPatchDocsOfAnalysesAndSingularTests: a docs block that an analysis'
// or a singular test's description calls (analyses: and data_tests:
// entries) edited, or moved to a new file, compiles whole: a patch writes
// no such description (found by review; an edit of the .md file kept the
// old text since session 32 made those descriptions).
func TestPatchDocsOfAnalysesAndSingularTests(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         "name: rd\nversion: \"1.0.0\"\n",
			"models/a.sql":     "select 1 as id\n",
			"models/docs.md":   "{% docs z %}zed{% enddocs %}\n{% docs y %}why{% enddocs %}\n{% docs x %}ex{% enddocs %}\n",
			"analyses/an.sql":  "select 1\n",
			"analyses/_an.yml": "version: 2\nanalyses:\n  - name: an\n    description: '{{ doc(\"z\") }}'\n",
			"tests/t1.sql":     "select * from {{ ref('a') }} where id < 0\n",
			"tests/_t.yml":     "version: 2\ndata_tests:\n  - name: t1\n    description: '{{ doc(\"y\") }}'\n"}},
		{name: "a block neither calls edited", patched: true, files: map[string]string{
			"models/docs.md": "{% docs z %}zed{% enddocs %}\n{% docs y %}why{% enddocs %}\n{% docs x %}ex!{% enddocs %}\n"}},
		{name: "the analysis' block edited", patched: false, files: map[string]string{
			"models/docs.md": "{% docs z %}zed?{% enddocs %}\n{% docs y %}why{% enddocs %}\n{% docs x %}ex!{% enddocs %}\n"}},
		{name: "the singular test's block edited", patched: false, files: map[string]string{
			"models/docs.md": "{% docs z %}zed?{% enddocs %}\n{% docs y %}why!{% enddocs %}\n{% docs x %}ex!{% enddocs %}\n"}},
		{name: "the analysis' block moved to a new file", patched: false, files: map[string]string{
			"models/docs.md": "{% docs y %}why!{% enddocs %}\n{% docs x %}ex!{% enddocs %}\n", "models/z.md": "{% docs z %}zed, moved{% enddocs %}\n"}},
	})
}

// TestPatchSnapshotSQL: a snapshot's SQL edited is patched as a model's
// is (its query, its config() call); its block renamed, its relation
// moved, its refs changed compile whole.
func TestPatchSnapshotSQL(t *testing.T) {
	snap := func(body, conf string) string {
		return "{% snapshot s_hist %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all'" + conf + ") }}\n" + body + "\n{% endsnapshot %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":             "name: snp\nversion: \"1.0.0\"\n",
			"models/a.sql":         "select 1 as id, 2 as x\n",
			"models/b.sql":         "select 3 as id\n",
			"models/r.sql":         "select * from {{ ref('s_hist') }}\n",
			"snapshots/s_hist.sql": snap("select id, x from {{ ref('a') }}", ""),
			"snapshots/_snaps.yml": "version: 2\nsnapshots:\n  - name: s_hist\n    description: the history\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
		}},
		{name: "its query", patched: true, files: map[string]string{"snapshots/s_hist.sql": snap("select id, x + 1 as x from {{ ref('a') }}", "")}},
		{name: "a comment", patched: true, files: map[string]string{"snapshots/s_hist.sql": "-- history\n" + snap("select id, x + 1 as x from {{ ref('a') }}", "")}},
		{name: "its YAML description", patched: true, files: map[string]string{"snapshots/_snaps.yml": "version: 2\nsnapshots:\n  - name: s_hist\n    description: the history, edited at more length\n    columns:\n      - name: id\n        data_tests: [not_null]\n"}},
		{name: "its description and its query together", patched: true, files: map[string]string{"snapshots/_snaps.yml": "version: 2\nsnapshots:\n  - name: s_hist\n    description: the history, once more\n    columns:\n      - name: id\n        description: its key\n        data_tests: [not_null]\n",
			"snapshots/s_hist.sql": "-- history?\n" + snap("select id, x + 1 as x from {{ ref('a') }}", "")}},
		{name: "a test on it in YAML", patched: true, files: map[string]string{"snapshots/_snaps.yml": "version: 2\nsnapshots:\n  - name: s_hist\n    description: the history, once more\n    columns:\n      - name: id\n        description: its key\n        data_tests: [not_null, unique]\n"}},
		{name: "its query after that", patched: true, files: map[string]string{"snapshots/s_hist.sql": "-- history!\n" + snap("select id, x + 1 as x from {{ ref('a') }}", "")}},
		{name: "its config(): check_cols", patched: true, files: map[string]string{"snapshots/s_hist.sql": snap("select id, x + 1 as x from {{ ref('a') }}", ", invalidate_hard_deletes=true")}},
		{name: "its relation moved", patched: false, files: map[string]string{"snapshots/s_hist.sql": strings.Replace(snap("select id, x + 1 as x from {{ ref('a') }}", ""), "'snaps'", "'snaps2'", 1)}},
		{name: "its refs: a reshape, as a model's", patched: true, files: map[string]string{"snapshots/s_hist.sql": strings.Replace(snap("select id, x from {{ ref('a') }} where id not in (select id from {{ ref('b') }})", ""), "'snaps'", "'snaps2'", 1)}},
		{name: "renamed in its block", patched: false, files: map[string]string{"snapshots/s_hist.sql": strings.Replace(snap("select id from {{ ref('a') }}", ""), "s_hist", "s_other", 1), "models/r.sql": "select 1 as id\n", "snapshots/_snaps.yml": "version: 2\n"}},
		{name: "its query again", patched: true, files: map[string]string{"snapshots/s_hist.sql": strings.Replace(snap("select id, 7 as x from {{ ref('a') }}", ""), "s_hist", "s_other", 1)}},
		{name: "renamed in its block alone: its id changes", patched: false, files: map[string]string{"snapshots/s_hist.sql": strings.Replace(snap("select id, 7 as x from {{ ref('a') }}", ""), "s_hist", "s_third", 1)}},
		{name: "a second block: each block is a snapshot, and the project compiles whole (no patch knows two nodes of a file)", patched: false, files: map[string]string{"snapshots/s_hist.sql": strings.Replace(snap("select id, 7 as x from {{ ref('a') }}", ""), "s_hist", "s_third", 1) +
			strings.Replace(snap("select 1 as id", ""), "s_hist", "s_fourth", 1)}},
	})
}

// TestPatchEphemeralModels: an ephemeral model's SQL edited is patched,
// and so are the nodes that put its CTE in front of theirs (through
// another ephemeral model too, a singular test of it, a query with a WITH
// of its own). One a generic test tests (its CTE is in the test's SQL)
// compiles whole, as do its refs changed, its YAML config, and its file
// removed. A model added, moved or whose refs changed may ref one (its
// CTEs are the snapshot's), and joins its readers: an edit of it after
// renders that model again; not while the edit renders it again.
func TestPatchEphemeralModels(t *testing.T) {
	eph := "{{ config(materialized='ephemeral') }}\n"
	props := func(desc string) string {
		return "version: 2\nmodels:\n  - name: e1\n    description: " + desc + "\n  - name: e3\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            "name: ep\nversion: \"1.0.0\"\n",
			"models/a.sql":        "select 1 as id, 2 as amount\n",
			"models/b.sql":        "select 3 as id, 4 as amount\n",
			"models/e1.sql":       eph + "select id, amount from {{ ref('a') }}\n",
			"models/e2.sql":       eph + "select id, amount * 2 as amount from {{ ref('e1') }}\n",
			"models/e3.sql":       eph + "select id from {{ ref('a') }}\n",
			"models/m.sql":        "select * from {{ ref('e2') }}\n",
			"models/n.sql":        "with x as (select 1 as k)\nselect * from {{ ref('e1') }}, x\n",
			"models/o.sql":        "select * from {{ ref('e3') }}\n",
			"models/_p.yml":       props("the first"),
			"tests/assert_e2.sql": "select * from {{ ref('e2') }} where amount < 0\n"}},
		{name: "the first edited: its readers, through the second too", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount + 1 as amount from {{ ref('a') }}\n"}},
		{name: "the second edited", patched: true, files: map[string]string{
			"models/e2.sql": eph + "-- doubled\nselect id, amount * 3 as amount from {{ ref('e1') }}\n"}},
		{name: "both, and a reader", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount + 2 as amount from {{ ref('a') }} where id > 0\n",
			"models/e2.sql": eph + "select id, amount * 4 as amount from {{ ref('e1') }}\n",
			"models/m.sql":  "select id, amount from {{ ref('e2') }}\n"}},
		{name: "its description", patched: true, files: map[string]string{"models/_p.yml": props("the first, described")}},
		{name: "a reader alone", patched: true, files: map[string]string{
			"models/n.sql": "with x as (select 2 as k)\nselect * from {{ ref('e1') }}, x\n"}},
		{name: "one a generic test tests (its CTE replaced in the test's SQL)", patched: true, files: map[string]string{
			"models/e3.sql": eph + "select id from {{ ref('a') }} where id > 0\n"}},
		{name: "its refs changed", patched: false, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount from {{ ref('b') }}\n"}},
		{name: "its YAML config: made again, its readers as they were", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(props("the first"), "the first\n", "the first\n    config:\n      tags: [x]\n", 1)}},
		{name: "edited after that: its readers with it", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount from {{ ref('b') }} where true\n"}},
		{name: "made a view", patched: false, files: map[string]string{
			"models/e1.sql": "{{ config(materialized='view') }}\nselect id, amount from {{ ref('a') }} union all select id, amount from {{ ref('b') }}\n"}},
		{name: "ephemeral again", patched: false, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount from {{ ref('b') }}\n"}},
		{name: "edited again", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount + 1 from {{ ref('b') }}\n"}},
		{name: "edited, a reader removed with it", patched: true, remove: []string{"models/n.sql"}, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount + 3 from {{ ref('b') }}\n"}},
		{name: "a reader added back (through the second)", patched: true, files: map[string]string{
			"models/n.sql": "with x as (select 2 as k)\nselect * from {{ ref('e2') }}, x\n"}},
		{name: "edited after that: the added reader with it", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount + 5 from {{ ref('b') }}\n"}},
		{name: "a reader added as the first is edited: whole", patched: false, files: map[string]string{
			"models/p.sql":  "select * from {{ ref('e1') }}\n",
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount + 6 from {{ ref('b') }}\n"}},
		{name: "a model that comes to ref the second", patched: true, files: map[string]string{
			"models/p.sql": "select p.* from {{ ref('e2') }} p join {{ ref('b') }} using (id)\n"}},
		{name: "the first edited: p with it", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount + 7 from {{ ref('b') }}\n"}},
		{name: "p reads a table again", patched: true, files: map[string]string{"models/p.sql": "select * from {{ ref('b') }}\n"}},
		{name: "the first edited: p no longer", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount + 8 from {{ ref('b') }}\n"}},
		{name: "a reader moved to a folder", patched: true, remove: []string{"models/m.sql"}, files: map[string]string{
			"models/sub/m.sql": "select id, amount from {{ ref('e2') }}\n"}},
		{name: "the second edited: the moved reader with it", patched: true, files: map[string]string{
			"models/e2.sql": eph + "select id, amount * 5 as amount from {{ ref('e1') }}\n"}},
		// (an ephemeral model not patchable has no capture: how a render
		// saw it before it rendered is kept apart, EphPre)
		{name: "a reader of the tested one added", patched: true, files: map[string]string{"models/q.sql": "select * from {{ ref('e3') }} where id > 1\n"}},
		{name: "the tested one edited: its readers and test with it", patched: true, files: map[string]string{
			"models/e3.sql": eph + "select id from {{ ref('a') }} where id > 1\n"}},
		{name: "a reader that reads its relation added", patched: true, files: map[string]string{
			"models/q2.sql": "select '{{ ref('e3').schema }}.{{ ref('e3').identifier }}' as r, * from {{ ref('e3') }}\n"}},
		// (a singular test whose alias is cut is not patchable: the
		// ephemeral model it reads is not either)
		{name: "one read by a node not patchable, that sets its alias as it renders: whole", patched: false, files: map[string]string{
			"models/e5.sql": "{{ config(materialized='ephemeral', alias='e5_alias', schema='s5') }}\nselect 5 as id\n",
			"tests/assert_" + strings.Repeat("x", 64) + ".sql": "select * from {{ ref('e5') }} where id < 0\n"}},
		{name: "a reader that reads its relation as it was before it rendered", patched: true, files: map[string]string{
			"models/q5.sql": "select '{{ ref('e5').schema }}.{{ ref('e5').identifier }}' as r, * from {{ ref('e5') }}\n"}},
		{name: "a reader of the tested one moved", patched: true, remove: []string{"models/q.sql"}, files: map[string]string{
			"models/sub2/q.sql": "select * from {{ ref('e3') }} where id > 1\n"}},
		{name: "removed, its readers with it", patched: true, remove: []string{"models/e2.sql", "models/sub/m.sql", "models/n.sql", "tests/assert_e2.sql"}},
		{name: "added back with a reader", patched: true, files: map[string]string{
			"models/e2.sql": eph + "select id, amount * 6 as amount from {{ ref('e1') }}\n", "models/m.sql": "select * from {{ ref('e2') }}\n"}},
		{name: "edited: its reader with it", patched: true, files: map[string]string{
			"models/e2.sql": eph + "select id, amount * 7 as amount from {{ ref('e1') }}\n"}},
		{name: "the first edited: both readers through it", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id, amount from {{ ref('a') }} union all select id, amount from {{ ref('b') }} where 1 = 1\n"}},
		{name: "a third, and p comes to read it", patched: true, files: map[string]string{
			"models/e4.sql": eph + "select id from {{ ref('e2') }}\n", "models/p.sql": "select * from {{ ref('e4') }}\n"}},
		{name: "the third edited: p with it", patched: true, files: map[string]string{
			"models/e4.sql": eph + "select id, 4 as four from {{ ref('e2') }}\n"}},
		{name: "the second edited: m and p with it", patched: true, files: map[string]string{
			"models/e2.sql": eph + "select id, amount * 9 as amount from {{ ref('e1') }}\n"}},
		{name: "the third removed as p reads b again", patched: true, remove: []string{"models/e4.sql"}, files: map[string]string{
			"models/p.sql": "select * from {{ ref('b') }}\n"}},
		{name: "moved to a folder, its reader edited", patched: true, remove: []string{"models/e2.sql"}, files: map[string]string{
			"models/sub/e2.sql": eph + "select id, amount * 9 as amount from {{ ref('e1') }}\n", "models/m.sql": "select id from {{ ref('e2') }}\n"}},
		{name: "its SQL changed as it moves back: whole (its reader's CTE)", patched: false, remove: []string{"models/sub/e2.sql"}, files: map[string]string{
			"models/e2.sql": eph + "select id, amount * 8 as amount from {{ ref('e1') }}\n"}},
		{name: "made a view: whole", patched: false, files: map[string]string{
			"models/e2.sql": "select id, amount * 8 as amount from {{ ref('e1') }}\n"}},
	})
}

// TestPatchTestedEphemeralModels: an ephemeral model generic tests read
// (its own, through another ephemeral model, a relationships test of a
// model that reads it) is patchable: a text edit of it replaces its CTE
// in the tests' SQL (ephTestSplices). Tests removed in the same edit are
// skipped, and later; tests a patch adds that read one join EphTests.
func TestPatchTestedEphemeralModels(t *testing.T) {
	eph := "{{ config(materialized='ephemeral') }}\n"
	tests := "version: 2\nmodels:\n  - name: e2\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n" +
		"  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('e2')\n              field: id\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: te\nversion: \"1.0.0\"\n",
			"models/a.sql":  "select 1 as id\n",
			"models/e1.sql": eph + "select id from {{ ref('a') }}\n",
			"models/e2.sql": eph + "select id, 2 as two from {{ ref('e1') }}\n",
			"models/m.sql":  "select * from {{ ref('e2') }}\n",
			"models/_p.yml": tests}},
		{name: "the first edited: the tests through the second with it", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id from {{ ref('a') }} where id > 0\n"}},
		{name: "the second edited", patched: true, files: map[string]string{
			"models/e2.sql": eph + "-- two\nselect id, 2 as two from {{ ref('e1') }}\n"}},
		{name: "both, and the reader", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id from {{ ref('a') }} where id > 1\n",
			"models/e2.sql": eph + "select id, 3 as two from {{ ref('e1') }}\n",
			"models/m.sql":  "select id from {{ ref('e2') }}\n"}},
		{name: "the second's tests removed as the first is edited", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(tests, "        data_tests: [not_null, unique]\n", "", 1),
			"models/e1.sql": eph + "select id from {{ ref('a') }} where id > 2\n"}},
		{name: "the first edited after that", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id from {{ ref('a') }} where id > 3\n"}},
		{name: "the tests back (their CTEs as the snapshot has them)", patched: true, files: map[string]string{
			"models/_p.yml": tests}},
		{name: "the first edited again", patched: true, files: map[string]string{
			"models/e1.sql": eph + "select id from {{ ref('a') }} where id > 4\n"}},
	})
}

// TestPatchEphemeralChainRemade: an ephemeral model made again with other
// SQL (its config read as it renders) while the models that read it
// through another ephemeral model stay compiles whole: their CTE of it
// would be the old one (found by review, in a YAML config edit, a folder
// config edit, a move, and a text edit with a remake). Made again with
// its readers, it is patched.
func TestPatchEphemeralChainRemade(t *testing.T) {
	eph := "{{ config(materialized='ephemeral') }}\n"
	e1 := eph + "select id, '{{ config.get('meta', {}).get('k', 'none') }}' as k from {{ ref('a') }}\n"
	yml := func(k, more string) string {
		return "version: 2\nmodels:\n  - name: e1\n    config:\n      meta: {k: " + k + "}\n  - name: e2\n    config:\n      tags: [t]\n" + more
	}
	project := func(k string) string {
		return "name: ec\nversion: \"1.0.0\"\nvars:\n  x: 1\nmodels:\n  ec:\n    x:\n      +meta: {k: " + k + "}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      project("one"),
			"models/a.sql":  "select 1 as id\n",
			"models/e1.sql": e1,
			"models/e2.sql": eph + "select id, k from {{ ref('e1') }}\n",
			"models/m.sql":  "select * from {{ ref('e2') }}\n"}},
		{name: "both given YAML config, the first's SQL with it: whole", patched: false, files: map[string]string{"models/_p.yml": yml("one", "")}},
		{name: "again", patched: false, files: map[string]string{"models/_p.yml": yml("two", "")}},
		{name: "the reader too: patched", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(yml("three", "  - name: m\n    config:\n      tags: [m]\n"), "[t]", "[t2]", 1)}},
		{name: "no YAML (all three made again)", patched: true, remove: []string{"models/_p.yml"}},
		{name: "both moved into x, whose config the first's SQL reads: whole", patched: false, remove: []string{"models/e1.sql", "models/e2.sql"}, files: map[string]string{
			"models/x/e1.sql": e1, "models/x/e2.sql": eph + "select id, k from {{ ref('e1') }}\n"}},
		{name: "x's config changed: whole", patched: false, files: map[string]string{"mart.yml": project("two")}},
		{name: "the first edited as both are made again: whole", patched: false, files: map[string]string{
			"models/x/e1.sql": strings.Replace(e1, "select id,", "select id, 2 as two,", 1),
			"models/_p.yml":   "version: 2\nmodels:\n  - name: e1\n    config:\n      tags: [s]\n  - name: e2\n    config:\n      tags: [s]\n"}},
		{name: "the second alone made again (its SQL as it was): patched", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: e1\n    config:\n      tags: [s]\n  - name: e2\n    config:\n      tags: [u]\n"}},
	})
}

// TestPatchUnitTestedModelMoved: a unit-tested model moved to another
// folder compiles whole: its unit tests' fqn is made from its (found by
// review: the patch moved the model and kept the tests' old fqn).
func TestPatchUnitTestedModelMoved(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: um\nversion: \"1.0.0\"\n",
			"models/a.sql": "select 1 as id\n",
			"models/u.sql": "select id from {{ ref('a') }}\n",
			"models/_ut.yml": "version: 2\nunit_tests:\n  - name: ut_u\n    model: u\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n" +
				"    expect:\n      rows:\n          - {id: 1}\n"}},
		{name: "moved to a folder", patched: false, remove: []string{"models/u.sql"}, files: map[string]string{
			"models/sub/u.sql": "select id from {{ ref('a') }}\n"}},
		{name: "edited there", patched: true, files: map[string]string{
			"models/sub/u.sql": "select id from {{ ref('a') }} where true\n"}},
	})
}

// TestPatchMacrosAdded: a macro added, in a new file or beside others, is
// patched when no lookup so far looked for its name: the models that call
// it are edited with it, and manifest.json lists it. A name a render
// looked for (a call of a macro that was missing, `is defined`, a
// dispatch's candidates, a namespace's attribute or listing), a mart
// macro's name (the project's replaces it), or a name a diagnostic names
// compile whole.
func TestPatchMacrosAdded(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: ma\nversion: \"1.0.0\"\n",
			"macros/m.sql": "{% macro plus(x) %}{{ x }} + 1{% endmacro %}\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select {{ plus('id') }} as id from {{ ref('a') }}\n",
			"models/c.sql": "select {% if twice is defined %}{{ twice('id') }}{% else %}id{% endif %} as id from {{ ref('a') }}\n",
			"macros/d.sql": "{% macro default__halve(x) %}{{ x }} / 2{% endmacro %}\n",
			"models/d.sql": "select {{ adapter.dispatch('halve')('id') }} as id from {{ ref('a') }}\n"}},
		{name: "a file of a macro nothing calls", patched: true, files: map[string]string{
			"macros/n.sql": "{% macro minus(x) %}{{ x }} - 1{% endmacro %}\n"}},
		{name: "a macro beside another, and a model edited to call it", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro plus(x) %}{{ x }} + 1{% endmacro %}\n{% macro neg(x) %}-{{ x }}{% endmacro %}\n",
			"models/b.sql": "select {{ neg(plus('id')) }} as id from {{ ref('a') }}\n"}},
		{name: "a file in a new folder, with a model added that calls it", patched: true, files: map[string]string{
			"macros/more/sq.sql": "{% macro sq(x) %}{{ x }} * {{ x }}{% endmacro %}\n",
			"models/f.sql":       "select {{ sq('id') }} as id from {{ ref('a') }}\n"}},
		{name: "the new macro edited: its caller renders again", patched: true, files: map[string]string{
			"macros/more/sq.sql": "{% macro sq(x) %}({{ x }} * {{ x }}){% endmacro %}\n"}},
		{name: "a name a render tested with is defined", patched: false, files: map[string]string{
			"macros/t.sql": "{% macro twice(x) %}{{ x }} * 2{% endmacro %}\n"}},
		{name: "a name adapter.dispatch looked for", patched: false, files: map[string]string{
			"macros/h.sql": "{% macro duckdb__halve(x) %}{{ x }} / 2.0{% endmacro %}\n"}},
		{name: "a mart macro's name (the project's replaces it)", patched: false, files: map[string]string{
			"macros/g.sql": "{% macro generate_alias_name(custom_alias_name=none, node=none) %}{{ node.name }}_x{% endmacro %}\n"}},
		{name: "a name as naming macros have (their files are blocked)", patched: false, files: map[string]string{
			"macros/g2.sql": "{% macro generate_label_name() %}x{% endmacro %}\n"}},
		{name: "then a plain one again", patched: true, files: map[string]string{
			"macros/z.sql": "{% macro zero() %}0{% endmacro %}\n"}},
		{name: "a model that reads the project's namespace", patched: true, files: map[string]string{
			"models/e.sql": "select {% if ma.triple is defined %}{{ ma.triple('id') }}{% else %}id{% endif %} as id from {{ ref('a') }}\n"}},
		{name: "then any macro of it (what a render reads of a namespace is not known)", patched: false, files: map[string]string{
			"macros/r.sql": "{% macro triple(x) %}{{ x }} * 3{% endmacro %}\n"}},
		{name: "a name defined twice", coldFails: true, files: map[string]string{
			"macros/z2.sql": "{% macro zero() %}0{% endmacro %}\n"}},
	})
}

// TestPatchPackageMacrosAdded: a macro added to a package is patched
// when no render read the package's namespace or looked for the name in
// it; its first macro, which makes the namespace, not when a render looked
// for the package's name.
func TestPatchPackageMacrosAdded(t *testing.T) {
	pkg := map[string]string{
		"mart.yml":                        "name: ma\nversion: \"1.0.0\"\n",
		"models/a.sql":                    "select 1 as id\n",
		"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\n",
		"dbt_packages/pk/models/pm.sql":   "select {{ inner_thing() if inner_thing is defined else 0 }} as id\n",
		"dbt_packages/pk/macros/w.sql":    "{% macro wrap(x) %}({{ x }}){% endmacro %}\n",
	}
	with := func(more map[string]string) map[string]string {
		out := maps.Clone(pkg)
		maps.Copy(out, more)
		return out
	}
	t.Run("plain", func(t *testing.T) {
		runPatchSteps(t, []patchStep{
			{name: "cold", files: with(map[string]string{"models/c.sql": "select id from {{ ref('a') }}\n",
				"dbt_packages/pk/models/pw.sql": "select {{ wrap('1') }} as id\n"})},
			{name: "a package macro nobody looked for", patched: true, files: map[string]string{
				"dbt_packages/pk/macros/y.sql": "{% macro y() %}1{% endmacro %}\n"}},
			{name: "a root macro a package model looked for", patched: false, files: map[string]string{
				"macros/i.sql": "{% macro inner_thing() %}7{% endmacro %}\n"}},
		})
	})
	t.Run("namespace read", func(t *testing.T) {
		runPatchSteps(t, []patchStep{
			{name: "cold", files: with(map[string]string{"models/c.sql": "select {{ pk.wrap('id') }} as id from {{ ref('a') }}\n"})},
			{name: "a package macro: a render read its namespace", patched: false, files: map[string]string{
				"dbt_packages/pk/macros/y.sql": "{% macro y() %}1{% endmacro %}\n"}},
		})
	})
	t.Run("first macro", func(t *testing.T) {
		files := with(map[string]string{"models/c.sql": "select {% if pk is defined %}1{% else %}0{% endif %} as has_pk from {{ ref('a') }}\n",
			"dbt_packages/pk/macros/w.sql": "{# no macros yet #}\n"})
		runPatchSteps(t, []patchStep{
			{name: "cold", files: files},
			{name: "the package's first macro: a render looked for the package", patched: false, files: map[string]string{
				"dbt_packages/pk/macros/x.sql": "{% macro x() %}1{% endmacro %}\n"}},
		})
	})
}

// TestPatchMacrosAddedAfterCachedRenders: a whole compile that reuses
// renders from the partial-parse cache (written by a run) records the
// lookups those renders made, as it would rendering them: a macro added
// under a name one looked for is not patched.
func TestPatchMacrosAddedAfterCachedRenders(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	clock := time.Now().Add(-time.Hour)
	write := func(rel, text string) {
		writeProjectFile(t, dir, rel, text)
		for d := rel; ; d = path.Dir(d) {
			clock = clock.Add(time.Minute)
			require.NoError(t, os.Chtimes(filepath.Join(dir, d), clock, clock))
			if d == "." {
				break
			}
		}
	}
	write("mart.yml", "name: ma\nversion: \"1.0.0\"\n")
	write("macros/naming.sql", "{% macro generate_schema_name(custom, node) %}{{ target.schema }}{% endmacro %}\n")
	write("models/a.sql", "select 1 as id\n")
	write("models/c.sql", "select {% if twice is defined %}{{ twice('id') }}{% else %}id{% endif %} as id from {{ ref('a') }}\n")
	// a run's compile: it writes the cache of renders
	opt := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true, PatchForRun: true}
	run, d := Compile(opt)
	require.NotNil(t, run, "%v", d)
	ids := compiledIDs(run)
	require.NoError(t, run.WriteTarget(ids))
	run.KeepPatch(ids, d, nil, 0)
	require.FileExists(t, filepath.Join(dir, "target", ParseCacheFile))
	// a naming macro edited: a whole compile, every model's render reused
	write("macros/naming.sql", "{% macro generate_schema_name(custom, node) %}{{ target.schema }} {% endmacro %}\n")
	patched, _ := compareStep(t, Options{ProjectDir: dir, InvocationID: "inv"}, "the naming macro edited")
	require.False(t, patched)
	write("macros/t.sql", "{% macro twice(x) %}{{ x }} * 2{% endmacro %}\n")
	patched, why := compareStep(t, Options{ProjectDir: dir, InvocationID: "inv"}, "twice added")
	require.False(t, patched, "a reused render looked for twice")
	require.Contains(t, why, "a render looked for it")
}

// TestPatchSingularTestsAddedAndRemoved: a singular test file added to
// test-paths, or removed, is patched as a model file is: its node, its
// place in the graph, its compiled file; its id or a diagnostic naming it,
// a YAML entry of it, or a file of generic tests compile whole.
func TestPatchSingularTestsAddedAndRemoved(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":           "name: st\nversion: \"1.0.0\"\n",
			"models/a.sql":       "select 1 as id\n",
			"models/b.sql":       "select id from {{ ref('a') }}\n",
			"macros/m.sql":       "{% macro positive(c) %}{{ c }} > 0{% endmacro %}\n",
			"tests/assert_a.sql": "select * from {{ ref('a') }} where id < 0\n",
			"models/_models.yml": "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [unique]\n"}},
		{name: "a test of one model added", patched: true, files: map[string]string{
			"tests/assert_b.sql": "select * from {{ ref('b') }} where not ({{ positive('id') }})\n"}},
		{name: "a test of two models, with a config, in a folder", patched: true, files: map[string]string{
			"tests/sub/assert_ab.sql": "{{ config(severity='warn', tags=['nightly']) }}\nselect * from {{ ref('a') }} join {{ ref('b') }} using (id) where false\n"}},
		{name: "one edited, one added", patched: true, files: map[string]string{
			"tests/assert_b.sql": "select * from {{ ref('b') }} where id is null\n",
			"tests/assert_c.sql": "select 1 as x from {{ ref('a') }} where false\n"}},
		{name: "one removed", patched: true, remove: []string{"tests/assert_c.sql"}},
		{name: "two removed, one added", patched: true, remove: []string{"tests/assert_b.sql", "tests/sub/assert_ab.sql"}, files: map[string]string{
			"tests/assert_d.sql": "select * from {{ ref('b') }} where id > 100\n"}},
		{name: "moved to a folder", patched: true, remove: []string{"tests/assert_d.sql"}, files: map[string]string{
			"tests/sub/assert_d.sql": "select * from {{ ref('b') }} where id > 100\n"}},
		{name: "a test with a model's name", patched: true, files: map[string]string{
			"tests/b.sql": "select * from {{ ref('b') }} where false\n"}},
		{name: "a test named as another in another folder", coldFails: true, files: map[string]string{
			"tests/other/assert_a.sql": "select * from {{ ref('a') }} where false\n"}},
		{name: "a file of generic tests", patched: false, remove: []string{"tests/other/assert_a.sql"}, files: map[string]string{
			"tests/generic/is_even.sql": "{% test is_even(model, column_name) %}select * from {{ model }} where {{ column_name }} % 2 = 1{% endtest %}\n"}},
		{name: "a test of an unknown model", coldFails: true, files: map[string]string{
			"tests/assert_x.sql": "select * from {{ ref('nope') }}\n"}},
		{name: "a test that is a model's file", patched: true, remove: []string{"tests/assert_x.sql"}, files: map[string]string{
			"tests/assert_e.sql": "select * from {{ ref('a') }} where id = 2\n"}},
		{name: "a test and the model it reads, added", patched: true, files: map[string]string{
			"models/n.sql": "select 2 as id\n", "tests/assert_n.sql": "select * from {{ ref('n') }} where id <> 2\n"}},
		{name: "both removed", patched: true, remove: []string{"models/n.sql", "tests/assert_n.sql"}},
		{name: "a model removed that a test reads", coldFails: true, remove: []string{"models/b.sql"}},
	})
	// found by review: a test name is unique across projects, not only
	// its id (a package's test and the root's have two)
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: ps\nversion: \"1.0.0\"\n", "models/a.sql": "select 1 as id\n",
			"tests/z.sql":                     "select * from {{ ref('a') }} where false\n",
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\n", "dbt_packages/pk/models/pm.sql": "select 1 as id\n",
			"dbt_packages/pk/tests/pt.sql": "select * from {{ ref('pm') }} where false\n"}},
		{name: "a root test named as the package's", coldFails: true, files: map[string]string{"tests/pt.sql": "select * from {{ ref('a') }} where false\n"}},
		{name: "another name", patched: true, remove: []string{"tests/pt.sql"}, files: map[string]string{"tests/pt_root.sql": "select * from {{ ref('a') }} where false\n"}},
	})
}

// TestPatchConfigCallMoved: a line added above a model's config() call
// moves it and nothing else: patched as a text edit (it was a reshape,
// which needs every ref target's capture: a unit-tested model has none),
// unless the compile warned of the node (its warnings point at the call).
func TestPatchConfigCallMoved(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: cm\nversion: \"1.0.0\"\n",
			"macros/k.sql": "{% macro tagged() %}{{ config(tags=['k']) }}{% endmacro %}\n",
			"models/a.sql": "select 1 as id\n",
			"models/m.sql": "{{ config(materialized='table') }}\nselect id from {{ ref('a') }}\n",
			"models/w.sql": "{{ config(materialized='table', colour='red') }}\nselect id from {{ ref('a') }}\n",
			"models/k.sql": "{{ tagged() }}\nselect id from {{ ref('a') }}\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: a_is_one\n    model: a\n    given: []\n" +
				"    expect:\n      rows:\n        - {id: 1}\n"}},
		{name: "a line above the call", patched: true, files: map[string]string{
			"models/m.sql": "-- a table\n{{ config(materialized='table') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "the call moved down", patched: true, files: map[string]string{
			"models/m.sql": "-- a table\nselect id from {{ ref('a') }}\n{{ config(materialized='table') }}\n"}},
		{name: "a model the compile warned of", patched: false, files: map[string]string{
			"models/w.sql": "-- a table\n{{ config(materialized='table', colour='red') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "a model a config check warns of", patched: false, files: map[string]string{
			"models/v.sql": "{{ config(materialized='incremental', on_schema_change='sometimes') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "a line above its call (the warning moves with it)", patched: false, files: map[string]string{
			"models/v.sql": "-- v\n{{ config(materialized='incremental', on_schema_change='sometimes') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "a line above a macro's call (another model's warning stands)", patched: true, files: map[string]string{
			"macros/k.sql": "-- tags\n{% macro tagged() %}{{ config(tags=['k']) }}{% endmacro %}\n"}},
		{name: "the warning gone", patched: false, files: map[string]string{
			"models/w.sql": "-- a table\n{{ config(materialized='table') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "a line above a macro's call", patched: true, files: map[string]string{
			"macros/k.sql": "-- tags\n\n{% macro tagged() %}{{ config(tags=['k']) }}{% endmacro %}\n"}},
		{name: "the config changed with it: a reshape, its ref unit-tested (it has a capture too)", patched: true, files: map[string]string{
			"models/m.sql": "-- a view\nselect id from {{ ref('a') }}\n{{ config(materialized='view') }}\n"}},
	})
}

// TestPatchDescribesModelsNotPatchable: a YAML edit of the description,
// columns or tests of a model that is not patchable (ephemeral, or
// unit-tested) is patched through the node index, as a seed's (it
// compiled the whole project).
func TestPatchDescribesModelsNotPatchable(t *testing.T) {
	props := func(eph, ut, tests string) string {
		return "version: 2\nmodels:\n  - name: e\n    description: \"" + eph + "\"\n  - name: u\n    description: \"" + ut + "\"\n" +
			"    columns:\n      - name: id\n        description: the key\n" + tests
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: dn\nversion: \"1.0.0\"\n",
			"models/a.sql":  "select 1 as id\n",
			"models/e.sql":  "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('a') }}\n",
			"models/u.sql":  "select id from {{ ref('e') }}\n",
			"models/_p.yml": props("the e", "the u", ""),
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: u_keeps_ids\n    model: u\n    given:\n" +
				"      - input: ref('e')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n        - {id: 1}\n"}},
		{name: "the ephemeral model's description", patched: true, files: map[string]string{"models/_p.yml": props("the e, edited", "the u", "")}},
		{name: "the unit-tested model's", patched: true, files: map[string]string{"models/_p.yml": props("the e, edited", "the u, edited", "")}},
		{name: "a column added to it, lines moving", patched: true, files: map[string]string{
			"models/_p.yml": props("the e, edited", "the u, edited", "      - name: extra\n        description: more\n")}},
		{name: "a test on its column", patched: true, files: map[string]string{
			"models/_p.yml": props("the e, edited", "the u, edited", "      - name: extra\n        description: more\n        data_tests: [not_null]\n")}},
		{name: "the test removed, both described anew", patched: true, files: map[string]string{
			"models/_p.yml": props("e", "u", "      - name: extra\n        description: more\n")}},
	})
}

// Two patches at once: the slower one read the snapshot before the faster
// one patched an edit made meanwhile. When it gets the snapshot's lock it
// gives up (a whole compile follows): replacing the faster one's snapshot
// with its own, which knows nothing of the faster one's compiled file,
// left that file stale for good once the edit was undone (found by
// review).
func TestPatchGivesUpWhenAnotherPatchWrote(t *testing.T) {
	opt, compiledA, at := raceProject(t)
	dir := opt.ProjectDir
	old := at.Add(time.Second)
	setTime := func(rel string) { // each edit an mtime of its own, still in the past
		require.NoError(t, os.Chtimes(filepath.Join(dir, rel), old, old))
		old = old.Add(time.Second)
	}

	// the slow patch has checked its inputs (a: v1) and waits for the lock
	// while a is edited and another mart patches the edit
	waiting, release := make(chan struct{}), make(chan struct{})
	patchWriteHook = func() {
		patchWriteHook = nil // the other patch's write goes through
		close(waiting)
		<-release
	}
	defer func() { patchWriteHook = nil }()
	slow := make(chan string, 1)
	writeProjectFile(t, dir, "models/b.sql", "select * from {{ ref('a') }} -- b2\n") // for the slow one to patch
	setTime("models/b.sql")
	go func() {
		_, why := CompileByPatch(opt)
		slow <- why
	}()
	<-waiting
	v1 := readFileString(t, filepath.Join(dir, "models/a.sql"))
	writeProjectFile(t, dir, "models/a.sql", "select 2 as id\n")
	setTime("models/a.sql")
	p, why := CompileByPatch(opt)
	require.NotNil(t, p, why)
	require.Equal(t, "select 2 as id\n", readFileString(t, compiledA))
	close(release)
	require.Equal(t, "another mart wrote target/ meanwhile", <-slow)

	// the edit undone (a's stat as the snapshot the slow one read had it)
	writeProjectFile(t, dir, "models/a.sql", v1)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "models/a.sql"), at, at))
	requireCompilesAsCold(t, opt)
	require.Equal(t, "select 1 as id\n", readFileString(t, compiledA))
}

// raceProject is the project of the race tests (a, and b refs it), its
// files' mtime an hour ago (stats trusted, as after an edit some time
// before), compiled as `mart compile` compiles it: the options, a's
// compiled file and the files' mtime.
func raceProject(t *testing.T) (Options, string, time.Time) {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := writeProject(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
		"models/b.sql": "select * from {{ ref('a') }}\n",
	})
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"models/a.sql", "models/b.sql"} {
		require.NoError(t, os.Chtimes(filepath.Join(dir, f), old, old))
	}
	opt := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	compileKeepingPatch(t, opt)
	return opt, filepath.Join(dir, "target", "compiled", "models", "a.sql"), old
}

// editRaceModel writes the race project's model a with text and gives it
// the mtime at (an edit's, or the one the snapshot had, undone).
func editRaceModel(t *testing.T, dir, text string, at time.Time) {
	t.Helper()
	writeProjectFile(t, dir, "models/a.sql", text)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "models/a.sql"), at, at))
}

// requireCompilesAsCold compiles twice as `mart compile` does (patched
// when it can) and requires every compiled file to be a cold compile's.
func requireCompilesAsCold(t *testing.T, opt Options) {
	t.Helper()
	for range 2 {
		if p, _ := CompileByPatch(opt); p == nil {
			compileKeepingPatch(t, opt)
		}
	}
	cold, diags := Compile(Options{ProjectDir: opt.ProjectDir, InvocationID: opt.InvocationID})
	require.NotNil(t, cold, "%v", diags)
	cold.DropPatch()
	requireCompiledFiles(t, opt.ProjectDir, cold, "after the race", false)
}

func readFileString(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	return string(b)
}

// A whole compile and a patch at once: the whole compile read the last
// snapshot's sums of the compiled directories when it started, and a
// patch of an edit made meanwhile wrote a compiled file in place before
// the whole compile wrote target/. The whole compile does not trust those
// sums then (the snapshot in place is not the one it read): trusting them,
// it kept the patch's file, which its own snapshot said was its own, and
// left it stale for good once the edit was undone (found by review).
func TestWholeCompileAfterAPatchItDidNotRead(t *testing.T) {
	opt, compiledA, old := raceProject(t)
	dir := opt.ProjectDir

	whole, diags := Compile(opt) // a: v1, the snapshot's sums read
	require.NotNil(t, whole, "%v", diags)
	whole.prior()
	editRaceModel(t, dir, "select 2 as id\n", old.Add(time.Minute))
	p, why := CompileByPatch(opt)
	require.NotNil(t, p, why)
	require.Equal(t, "select 2 as id\n", readFileString(t, compiledA))
	ids := compiledIDs(whole)
	require.NoError(t, whole.WriteTarget(ids))
	whole.KeepPatch(ids, diags, nil, 0)
	require.Equal(t, "select 1 as id\n", readFileString(t, compiledA), "the whole compile's file")

	// the edit undone, as the whole compile read it
	editRaceModel(t, dir, "select 1 as id\n", old)
	requireCompilesAsCold(t, opt)
}

// A run loaded from the snapshot writes its compiled files after its patch
// let the snapshot's lock go: a patch of another mart may write target/
// in between. The run's writes then take that patch's snapshot out, which
// knows nothing of them; before, it stayed, and the run's file (the model
// as the run loaded it) was stale under it for good (found by review).
func TestRunWritesAfterAnotherPatch(t *testing.T) {
	opt, compiledA, old := raceProject(t)
	dir := opt.ProjectDir

	runOpt := opt
	runOpt.PatchForRun = true
	p, why := CompileByPatch(runOpt)
	require.NotNil(t, p, why)
	_, why = p.SelectorGraph()
	require.Empty(t, why)
	run, why := p.Result([]string{"model.p.a"})
	require.NotNil(t, run, why)

	// another mart patches an edit of a
	editRaceModel(t, dir, "select 2 as id\n", old.Add(time.Minute))
	other, why := CompileByPatch(opt)
	require.NotNil(t, other, why)
	require.Equal(t, "select 2 as id\n", readFileString(t, compiledA))

	require.NoError(t, run.WriteTarget([]string{"model.p.a"}))
	require.Equal(t, "select 1 as id\n", readFileString(t, compiledA), "the run's file")
	requireCompilesAsCold(t, opt)
}

// Two whole compiles at once, with an edit between them: the second (the
// edit) wrote its compiled files, the first (as before the edit) wrote all
// of target/ and its snapshot, then the second put its manifest.json and
// snapshot in place. That snapshot said the second's compiled file was on
// disk, where the first's was, and every later compile trusted it. A
// whole compile now writes target/ under the snapshot's lock: the first
// waits for the second to be done (its snapshot then says the model
// changed since it read it, and the next compile patches it).
func TestWholeCompilesAtOnce(t *testing.T) {
	opt, _, old := raceProject(t)
	dir := opt.ProjectDir

	first, diags1 := Compile(opt) // a: v1
	require.NotNil(t, first, "%v", diags1)
	editRaceModel(t, dir, "select 2 as id\n", old.Add(time.Minute))
	second, diags2 := Compile(opt) // a: v2
	require.NotNil(t, second, "%v", diags2)

	firstDone := make(chan struct{})
	var firstErr error
	wholeWriteHook = func() {
		wholeWriteHook = nil // the first compile's write goes through
		go func() {
			defer close(firstDone)
			ids := compiledIDs(first)
			if firstErr = first.WriteTarget(ids); firstErr == nil {
				first.KeepPatch(ids, diags1, nil, 0)
			}
		}()
		select {
		case <-firstDone:
		case <-time.After(300 * time.Millisecond): // waiting for the lock
		}
	}
	defer func() { wholeWriteHook = nil }()
	ids := compiledIDs(second)
	require.NoError(t, second.WriteTarget(ids))
	second.KeepPatch(ids, diags2, nil, 0)
	<-firstDone
	require.NoError(t, firstErr)
	requireCompilesAsCold(t, opt)
}
