// Command editmatrix times `mart compile` after each of the edits an
// analyst makes in a day, on a copy of a genproject project, and says for
// each whether the compile was patched (partial parsing) or why not:
//
//	go run ./bench/cmd/genproject -n 10000 -out /dev/shm/p10000
//	go build -o /tmp/mart ./cmd/mart
//	go run ./bench/cmd/editmatrix -project /dev/shm/p10000 -mart /tmp/mart -rounds 3
//
// Each round copies the project, compiles it cold, then makes the edits in
// order, each followed by one `mart compile` (whole process, wall time);
// the table gives each edit's median over the rounds. An edit is made with
// an mtime of its own in the past, as the partial-parse tests make theirs,
// so the compile after it trusts the stats of the files it did not touch
// instead of reading every file changed within the last 2 s.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("editmatrix", flag.ContinueOnError)
	fset.SetOutput(stderr)
	project := fset.String("project", "", "a project genproject wrote (read only: each round works on a copy)")
	mart := fset.String("mart", "", "the mart binary to time")
	work := fset.String("work", "", "where the copy goes (default: beside the project, <project>.editmatrix)")
	rounds := fset.Int("rounds", 3, "how many times the whole sequence runs")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if *project == "" || *mart == "" || fset.NArg() > 0 || *rounds < 1 {
		fmt.Fprintln(stderr, "usage: editmatrix -project DIR -mart BIN [-work DIR] [-rounds N]")
		return 2
	}
	if *work == "" {
		*work = strings.TrimSuffix(*project, "/") + ".editmatrix"
	}
	times := map[string][]time.Duration{}
	how := map[string]string{}
	var order []string
	for r := 0; r < *rounds; r++ {
		res, err := round(*project, *work, *mart)
		if err != nil {
			fmt.Fprintln(stderr, "editmatrix:", err)
			return 1
		}
		for _, s := range res {
			if r == 0 {
				order = append(order, s.name)
			}
			times[s.name] = append(times[s.name], s.wall)
			if prev, ok := how[s.name]; ok && prev != s.how {
				s.how = prev + " | " + s.how // differs between rounds: both shown
			}
			how[s.name] = s.how
		}
	}
	os.RemoveAll(*work)
	fmt.Fprintf(stdout, "%-44s %9s %9s %9s  %s\n", "edit, then mart compile", "min ms", "median", "max", "patched, or why not")
	for _, name := range order {
		ts := times[name]
		slices.Sort(ts)
		fmt.Fprintf(stdout, "%-44s %9.0f %9.0f %9.0f  %s\n", name, ms(ts[0]), ms(ts[len(ts)/2]), ms(ts[len(ts)-1]), how[name])
	}
	return 0
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

type result struct {
	name string
	wall time.Duration
	how  string
}

// edit is one step of a round: it changes files of the project (dir) and
// returns the paths it wrote or removed, relative to dir.
type edit struct {
	name string
	do   func(p *proj) error
}

// proj is the copy a round works on.
type proj struct {
	dir     string
	clock   time.Time // the next past mtime an edit gets
	touched []string
	leaves  []string // models of the last layer (nothing refs them), by path
}

func (p *proj) read(rel string) (string, error) {
	b, err := os.ReadFile(filepath.Join(p.dir, rel))
	return string(b), err
}

func (p *proj) write(rel, text string) error {
	if err := os.MkdirAll(filepath.Dir(filepath.Join(p.dir, rel)), 0o755); err != nil {
		return err
	}
	p.touched = append(p.touched, rel)
	return os.WriteFile(filepath.Join(p.dir, rel), []byte(text), 0o644)
}

func (p *proj) remove(rel string) error {
	p.touched = append(p.touched, rel)
	return os.Remove(filepath.Join(p.dir, rel))
}

func (p *proj) rename(from, to string) error {
	p.touched = append(p.touched, from, to)
	return os.Rename(filepath.Join(p.dir, from), filepath.Join(p.dir, to))
}

// replace replaces the first old in rel with new; it is an error when rel
// has no old.
func (p *proj) replace(rel, old, new string) error {
	text, err := p.read(rel)
	if err != nil {
		return err
	}
	if !strings.Contains(text, old) {
		return fmt.Errorf("%s has no %q", rel, old)
	}
	return p.write(rel, strings.Replace(text, old, new, 1))
}

// settle gives what the last edit touched, and their directories, an
// mtime of their own in the past.
func (p *proj) settle() error {
	seen := map[string]bool{}
	for _, rel := range p.touched {
		for d := rel; ; d = filepath.Dir(d) {
			if !seen[d] {
				seen[d] = true
			}
			if d == "." || d == "/" {
				break
			}
		}
	}
	paths := make([]string, 0, len(seen))
	for rel := range seen {
		paths = append(paths, rel)
	}
	sort.Strings(paths)
	for _, rel := range paths {
		p.clock = p.clock.Add(time.Minute)
		if err := os.Chtimes(filepath.Join(p.dir, rel), p.clock, p.clock); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	p.touched = p.touched[:0]
	return nil
}

// leafName is the model name of a leaf's path.
func leafName(rel string) string { return strings.TrimSuffix(filepath.Base(rel), ".sql") }

var lastLayer = regexp.MustCompile(`^models/layer_\d+/`)

func edits(p *proj) []edit {
	leaf := func(i int) string { return p.leaves[i] }
	schema := func(i int) string { return lastLayer.FindString(leaf(i)) + "_schema.yml" }
	return []edit{
		{"model SQL edited", func(p *proj) error {
			text, err := p.read(leaf(0))
			if err != nil {
				return err
			}
			return p.write(leaf(0), text+"-- edited\n")
		}},
		{"macro edited (called by some models)", func(p *proj) error {
			return p.replace("macros/synth_2.sql", "least(greatest", "least( greatest")
		}},
		{"description edited", func(p *proj) error {
			return p.replace(schema(0), "description: \"Synthetic model", "description: \"Edited model")
		}},
		{"column test added", func(p *proj) error {
			return p.replace(schema(0), "description: \"Display name of the row.\"\n", "description: \"Display name of the row.\"\n        data_tests: [not_null]\n")
		}},
		{"model added", func(p *proj) error {
			return p.write("models/layer_0/g_0/new_model.sql", "select * from {{ ref('m_0') }}\n")
		}},
		{"that model removed", func(p *proj) error { return p.remove("models/layer_0/g_0/new_model.sql") }},
		{"model renamed with its entry", func(p *proj) error {
			from := leaf(1)
			to := strings.TrimSuffix(from, ".sql") + "_r.sql"
			if err := p.rename(from, to); err != nil {
				return err
			}
			return p.replace(schema(1), "- name: "+leafName(from)+"\n", "- name: "+leafName(to)+"\n")
		}},
		{"model file renamed, its entry left", func(p *proj) error {
			from := leaf(2)
			return p.rename(from, strings.TrimSuffix(from, ".sql")+"_r.sql")
		}},
		{"its entry renamed after it", func(p *proj) error {
			name := leafName(leaf(2))
			return p.replace(schema(2), "- name: "+name+"\n", "- name: "+name+"_r\n")
		}},
		{"model file removed, its entry left", func(p *proj) error { return p.remove(leaf(3)) }},
		{"folder config edited (beside that entry)", func(p *proj) error {
			return p.replace("mart.yml", "+tags: [\"g_3\"]", "+tags: [\"g_3\", \"edited\"]")
		}},
		{"that entry removed", func(p *proj) error {
			text, err := p.read(schema(3))
			if err != nil {
				return err
			}
			entry := regexp.MustCompile(`(?m)^  - name: ` + regexp.QuoteMeta(leafName(leaf(3))) + `\n(?:    .*\n|      .*\n)*`)
			if !entry.MatchString(text) {
				return fmt.Errorf("%s has no entry of %s", schema(3), leafName(leaf(3)))
			}
			return p.write(schema(3), entry.ReplaceAllLiteralString(text, ""))
		}},
		{"project var changed", func(p *proj) error { return p.replace("mart.yml", "\n  v: 1\n", "\n  v: 2\n") }},
		{"config() added in a model", func(p *proj) error {
			text, err := p.read(leaf(4))
			if err != nil {
				return err
			}
			return p.write(leaf(4), "{{ config(materialized='view') }}\n"+text)
		}},
		{"model config in YAML", func(p *proj) error {
			name := leafName(leaf(4))
			return p.replace(schema(4), "- name: "+name+"\n", "- name: "+name+"\n    config: {tags: [yaml]}\n")
		}},
		{"accepted_values test added", func(p *proj) error {
			return p.replace(schema(5), "description: \"Amount in cents, kept below 1000.\"\n", "description: \"Amount in cents, kept below 1000.\"\n        data_tests:\n          - accepted_values:\n              values: [1, 2, 3]\n")
		}},
		{"relationships test added", func(p *proj) error {
			return p.replace(schema(6), "data_tests: [unique, not_null]\n", "data_tests:\n          - unique\n          - not_null\n          - relationships:\n              to: ref('m_0')\n              field: id\n")
		}},
		{"docs block added", func(p *proj) error {
			return p.write("models/docs.md", "{% docs amount_cents %}\nAmount in cents.\n{% enddocs %}\n")
		}},
		{"doc() used in a description", func(p *proj) error {
			return p.replace(schema(5), "description: \"Amount in cents, kept below 1000.\"", "description: '{{ doc(\"amount_cents\") }}'")
		}},
		{"docs block edited", func(p *proj) error {
			return p.replace("models/docs.md", "Amount in cents.", "Amount in euro cents.")
		}},
		{"source table added (the project's first)", func(p *proj) error {
			return p.write("models/layer_0/_sources.yml", "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n")
		}},
		{"model reading it added", func(p *proj) error {
			return p.write("models/layer_0/g_0/stg_events.sql", "select * from {{ source('raw', 'events') }}\n")
		}},
		{"freshness set (the only source table)", func(p *proj) error {
			return p.replace("models/layer_0/_sources.yml", "      - name: events\n", "      - name: events\n        loaded_at_field: loaded_at\n        freshness: {warn_after: {count: 1, period: day}}\n")
		}},
		{"macro added (new file)", func(p *proj) error {
			return p.write("macros/new_macro.sql", "{% macro cents(x) %}({{ x }} / 100){% endmacro %}\n{% macro unused_one() %}1{% endmacro %}\n")
		}},
		{"model calling it", func(p *proj) error {
			text, err := p.read(leaf(7))
			if err != nil {
				return err
			}
			return p.write(leaf(7), text+"-- {{ cents('amount') }}\n")
		}},
		{"singular test added (tests/ is new)", func(p *proj) error {
			return p.write("tests/assert_small.sql", "select * from {{ ref('m_0') }} where amount > 1000\n")
		}},
		{"analysis added (analyses/ is new)", func(p *proj) error {
			return p.write("analyses/look.sql", "select count(*) from {{ ref('m_0') }}\n")
		}},
		{"exposure added", func(p *proj) error {
			return p.write("models/exposures.yml", "version: 2\nexposures:\n  - name: dash\n    type: dashboard\n    owner: {name: a}\n    depends_on: [ref('m_0')]\n")
		}},
		{"seed rows edited", func(p *proj) error { return p.replace("seeds/base.csv", "1,name_1,37", "1,name_1,38") }},
		{"model moved to another folder", func(p *proj) error {
			return p.rename(leaf(8), "models/layer_0/g_0/"+filepath.Base(leaf(8)))
		}},
		{"folder renamed", func(p *proj) error {
			return p.rename(filepath.Dir(leaf(len(p.leaves)-1)), filepath.Dir(leaf(len(p.leaves)-1))+"_r")
		}},
		{"folder disabled in the project file", func(p *proj) error {
			text, err := p.read("mart.yml") // a folder of the last layer: nothing refs its models
			if err != nil {
				return err
			}
			layer := "    " + strings.TrimSuffix(strings.TrimPrefix(lastLayer.FindString(leaf(0)), "models/"), "/") + ":\n"
			at := strings.Index(text, layer)
			folder := "      g_10:\n        +tags: [\"g_10\"]\n"
			if at < 0 || !strings.Contains(text[at:], folder) {
				return fmt.Errorf("mart.yml has no %q under %q", folder, layer)
			}
			return p.write("mart.yml", text[:at]+strings.Replace(text[at:], folder, folder+"        +enabled: false\n", 1))
		}},
		{"that folder enabled again", func(p *proj) error {
			return p.replace("mart.yml", "        +tags: [\"g_10\"]\n        +enabled: false\n", "        +tags: [\"g_10\"]\n")
		}},
		{"model's ref changed", func(p *proj) error {
			text, err := p.read(leaf(9))
			if err != nil {
				return err
			}
			refs := regexp.MustCompile(`ref\('m_\d+'\)`)
			if !refs.MatchString(text) {
				return fmt.Errorf("%s refs nothing", leaf(9))
			}
			return p.write(leaf(9), refs.ReplaceAllLiteralString(text, "ref('m_1')"))
		}},
		{"unused macro removed", func(p *proj) error {
			return p.replace("macros/new_macro.sql", "{% macro unused_one() %}1{% endmacro %}\n", "")
		}},
		{"unit test added (the project's first)", func(p *proj) error {
			name := leafName(leaf(10))
			text, err := p.read(leaf(10))
			if err != nil {
				return err
			}
			var given strings.Builder
			for _, m := range regexp.MustCompile(`ref\('(m_\d+)'\)`).FindAllStringSubmatch(text, -1) {
				fmt.Fprintf(&given, "      - input: ref('%s')\n        rows:\n          - {id: 1, name: a, amount: 2}\n", m[1])
			}
			return p.write("models/unit_tests.yml", "version: 2\nunit_tests:\n  - name: "+name+"_adds\n    model: "+name+"\n    given:\n"+given.String()+
				"    expect:\n      rows:\n        - {id: 1}\n")
		}},
		{"seed added", func(p *proj) error { return p.write("seeds/codes.csv", "code,label\n1,one\n2,two\n") }},
		{"unused var added", func(p *proj) error { return p.replace("mart.yml", "\n  v: ", "\n  unused_var: 3\n  v: ") }},
		{"on-run-end hook added", func(p *proj) error {
			return p.replace("mart.yml", "\nvars:\n", "\non-run-end:\n  - \"select 1\"\n\nvars:\n")
		}},
		{"project version bumped", func(p *proj) error { return p.replace("mart.yml", "version: \"1.0.0\"", "version: \"1.0.1\"") }},
		{"flags: block added to the project file", func(p *proj) error {
			return p.replace("mart.yml", "\nvars:\n", "\nflags:\n  send_anonymous_usage_stats: false\n\nvars:\n")
		}},
		{"column renamed in YAML, with its tests", func(p *proj) error {
			return p.replace(schema(11), "      - name: id\n        description: \"Row key, unique in every model.\"\n        data_tests: [unique, not_null]\n",
				"      - name: row_id\n        description: \"Row key, unique in every model.\"\n        data_tests: [unique, not_null]\n")
		}},
		{"source column test added", func(p *proj) error {
			return p.replace("models/layer_0/_sources.yml", "      - name: events\n", "      - name: events\n        columns:\n          - name: id\n            data_tests: [not_null]\n")
		}},
		{"macro moved to another file", func(p *proj) error {
			if err := p.replace("macros/new_macro.sql", "{% macro cents(x) %}({{ x }} / 100){% endmacro %}\n", ""); err != nil {
				return err
			}
			text, err := p.read("macros/synth_3.sql")
			if err != nil {
				return err
			}
			return p.write("macros/synth_3.sql", text+"{% macro cents(x) %}({{ x }} / 100){% endmacro %}\n")
		}},
		{"properties file renamed", func(p *proj) error {
			return p.rename("models/layer_0/_sources.yml", "models/layer_0/sources.yml")
		}},
		// a model enabled in prod only, as dbt projects have them: in dev
		// it is disabled, rendered by every compile to learn so
		{"prod-only model added (disabled by target)", func(p *proj) error {
			return p.write("models/prod/prod_only.sql", "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('amount') }} as c from {{ ref('m_0') }}\n")
		}},
		{"macro it calls edited", func(p *proj) error {
			return p.replace("macros/synth_3.sql", "{% macro cents(x) %}({{ x }} / 100){% endmacro %}\n", "{% macro cents(x) %}({{ x }} / 100.0){% endmacro %}\n")
		}},
		{"prod-only model's SQL edited", func(p *proj) error {
			return p.replace("models/prod/prod_only.sql", " as c from", " as c, 1 as one from")
		}},
		{"prod-only model's ref changed", func(p *proj) error {
			return p.replace("models/prod/prod_only.sql", "ref('m_0')", "ref('m_1')")
		}},
		// an analyst turning a model off for a while with its own config()
		// (described, tested), and on again
		{"model disabled by its config()", func(p *proj) error {
			text, err := p.read(leaf(6))
			if err != nil {
				return err
			}
			return p.write(leaf(6), "{{ config(enabled=false) }}\n"+text)
		}},
		{"and enabled again", func(p *proj) error {
			return p.replace(leaf(6), "{{ config(enabled=false) }}\n", "")
		}},
		{"nothing changed", func(p *proj) error { return nil }},
	}
}

// round copies the project, compiles it cold, and times the edits.
func round(project, work, mart string) ([]result, error) {
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	if err := copyDir(project, work); err != nil {
		return nil, err
	}
	os.RemoveAll(filepath.Join(work, "target"))
	p := &proj{dir: work, clock: time.Now().Add(-24 * time.Hour)}
	// every file gets a past mtime: a fresh copy's files are all racily
	// clean for the first compile after the cold one
	if err := filepath.WalkDir(work, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(path, p.clock, p.clock)
	}); err != nil {
		return nil, err
	}
	p.clock = p.clock.Add(time.Hour)
	last, err := filepath.Glob(filepath.Join(work, "models", "layer_*"))
	if err != nil || len(last) == 0 {
		return nil, fmt.Errorf("%s is not a genproject project (no models/layer_*)", project)
	}
	sort.Slice(last, func(i, j int) bool { return layerNum(last[i]) < layerNum(last[j]) })
	if err := filepath.WalkDir(last[len(last)-1], func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".sql") {
			rel, _ := filepath.Rel(work, path)
			p.leaves = append(p.leaves, filepath.ToSlash(rel))
		}
		return err
	}); err != nil {
		return nil, err
	}
	if len(p.leaves) < 5 {
		return nil, fmt.Errorf("%s has fewer than 5 models in its last layer", project)
	}
	if _, _, err := compile(mart, work); err != nil {
		return nil, fmt.Errorf("the cold compile: %w", err)
	}
	var out []result
	for _, e := range edits(p) {
		if err := e.do(p); err != nil {
			return nil, fmt.Errorf("%s: %w", e.name, err)
		}
		if err := p.settle(); err != nil {
			return nil, err
		}
		wall, how, err := compile(mart, work)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.name, err)
		}
		out = append(out, result{e.name, wall, how})
	}
	return out, nil
}

func layerNum(path string) int {
	var n int
	fmt.Sscanf(filepath.Base(path), "layer_%d", &n)
	return n
}

var noPatch = regexp.MustCompile(`mart timing: no patch: (.*?) +[0-9.]+ ms \(at`)

// compile runs `mart compile` in dir and says how long it took and
// whether it was patched.
func compile(mart, dir string) (time.Duration, string, error) {
	cmd := exec.Command(mart, "compile")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MART_TIMINGS=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, "", fmt.Errorf("%v: %s", err, lastLines(stderr.String(), 5))
	}
	if m := noPatch.FindStringSubmatch(stderr.String()); m != nil {
		return wall, "whole: " + m[1], nil
	}
	if strings.Contains(stderr.String(), "mart timing: stat inputs ") {
		return wall, "patched", nil // (a whole compile checks no inputs)
	}
	return wall, "whole", nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// copyDir copies the regular files and directories under from to to.
func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if rel == "target" || strings.HasPrefix(rel, "target"+string(filepath.Separator)) {
			return filepath.SkipDir
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}
