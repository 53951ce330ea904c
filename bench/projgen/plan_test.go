package projgen

import (
	"strings"
	"testing"
)

func TestPlanRejectsBadOptions(t *testing.T) {
	for _, opt := range []Options{
		{},
		{Models: -1},
		{Models: 10, Layers: -2},
		{Models: 10, Materialized: "incremental"},
	} {
		if _, err := plan(opt); err == nil {
			t.Errorf("plan(%+v) succeeded", opt)
		}
	}
}

func TestPlanDefaultsAndCaps(t *testing.T) {
	p, err := plan(Options{Models: 3})
	if err != nil {
		t.Fatal(err)
	}
	if p.opt.Layers != 3 || p.macroFiles != defaultMacrosFiles {
		t.Errorf("layers %d, macro files %d; want 3 (capped at Models) and %d", p.opt.Layers, p.macroFiles, defaultMacrosFiles)
	}
	if p, _ := plan(Options{Models: 100, MacrosFiles: -1}); p.macroFiles != 0 {
		t.Errorf("MacrosFiles -1 gave %d macro files", p.macroFiles)
	}
}

// Parents are distinct, from earlier layers, the first from the layer just
// before; views never read views more than a few levels deep.
func TestPlanFanIn(t *testing.T) {
	p, err := plan(Options{Models: 2000, Seed: 42, Layers: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.models {
		m := &p.models[i]
		if m.layer == 0 {
			if len(m.parents) != 0 {
				t.Fatalf("layer-0 model %d has parents %v", i, m.parents)
			}
			continue
		}
		if n := len(m.parents); n < 1 || n > 4 {
			t.Fatalf("model %d has %d parents", i, n)
		}
		if p.models[m.parents[0]].layer != m.layer-1 {
			t.Errorf("model %d: first parent %d is not in layer %d", i, m.parents[0], m.layer-1)
		}
		seen := map[int]bool{}
		for _, parent := range m.parents {
			if seen[parent] || p.models[parent].layer >= m.layer {
				t.Errorf("model %d: parent %d repeated or not from an earlier layer", i, parent)
			}
			seen[parent] = true
		}
	}
	if d := p.maxViewDepth(); d > 4 {
		t.Errorf("views nest %d deep", d)
	}
}

// maxViewDepth is the longest path of views reading views.
func (p *project) maxViewDepth() int {
	depth := make([]int, len(p.models))
	deepest := 0
	for i := range p.models { // parents come before children
		m := &p.models[i]
		if p.materialized(m) != "view" {
			continue
		}
		depth[i] = 1
		for _, parent := range m.parents {
			depth[i] = max(depth[i], depth[parent]+1)
		}
		deepest = max(deepest, depth[i])
	}
	return deepest
}

func TestPlanChain(t *testing.T) {
	p, err := plan(Options{Models: 50, Chain: true})
	if err != nil {
		t.Fatal(err)
	}
	if !p.models[0].fromSeed || len(p.models[0].parents) != 0 {
		t.Errorf("m_0 should read the seed")
	}
	for i := 1; i < len(p.models); i++ {
		if got := p.models[i].parents; len(got) != 1 || got[0] != i-1 {
			t.Errorf("m_%d refs %v, want [%d]", i, got, i-1)
		}
	}
}

// The project uses every templating construct the benchmarks mean to
// exercise.
func TestModelsUseAnalystTemplating(t *testing.T) {
	p, err := plan(Options{Models: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for i := range p.models {
		all.Write(p.modelSQL(&p.models[i]))
	}
	sql := all.String()
	for _, want := range []string{
		"{{ config(materialized='table', tags=['",
		"{{ config(tags=['",
		"{{ ref('m_",
		"{{ ref('base') }}",
		"{% set cols = ['id', 'name'] %}",
		"{% for c in cols %}p1.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}",
		"{{ cents_to_eur('p",
		"{{ add_one('p",
		", step=",
		", upper=false) }}",
		"{{ var('v', 1) }}",
		"{# ",
		"union all select",
		"join ",
	} {
		if !strings.Contains(sql, want) {
			t.Errorf("no model contains %q", want)
		}
	}
}
