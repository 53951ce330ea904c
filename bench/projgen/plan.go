package projgen

import (
	"fmt"
	"slices"
)

// project is the shape of a project decided from Options before anything
// is rendered: layers, folders, and each model's parents and templating.
type project struct {
	opt         Options
	macroFiles  int
	layerStarts []int // layerStarts[k] is the first model of layer k; one extra entry holds Models
	models      []model
}

// model holds every choice made for one model.
type model struct {
	index   int
	layer   int
	group   int
	parents []int // models it refs, the first one from the previous layer; none in layer 0
	// fromSeed: a layer-0 model reads seeds/base.csv; otherwise literal rows.
	fromSeed bool
	// literalRows are a literal model's (id, amount) pairs.
	literalRows [][2]int
	config      configUse // whether and how it calls config()
	configTag   int
	loopCols    bool // selects id, name through {% set cols %}{% for %}
	useVar      bool // adds {{ var('v', 1) }} to amount
	ctes        bool // reads its parents through CTEs rather than inline refs
	jinjaNote   bool // starts with a {# #} comment
	amountCalls []macroCall
	nameCall    *macroCall // wraps the name column, if set
}

type configUse int

const (
	configNone configUse = iota
	configTags
	configMaterializedTags
)

// macroCall is one call of a project macro on the column of one parent:
// calls[i] applies to parent i, so a model calls at most one per parent.
type macroCall struct {
	kind   macroKind
	file   int // which macros file defines it (cents_to_eur and add_one: file 0)
	arg    int // kwarg value where the macro takes one
	parent int // 1-based parent alias p<parent>
}

func plan(opt Options) (*project, error) {
	if opt.Models <= 0 {
		return nil, fmt.Errorf("projgen: Options.Models must be positive, got %d", opt.Models)
	}
	switch opt.Materialized {
	case "", "view", "table":
	default:
		return nil, fmt.Errorf(`projgen: Options.Materialized must be "", "view" or "table", got %q`, opt.Materialized)
	}
	if opt.Layers < 0 {
		return nil, fmt.Errorf("projgen: Options.Layers must not be negative, got %d", opt.Layers)
	}
	if opt.Layers == 0 {
		opt.Layers = defaultLayers
	}
	opt.Layers = min(opt.Layers, opt.Models)
	p := &project{opt: opt, macroFiles: opt.MacrosFiles}
	switch {
	case p.macroFiles == 0:
		p.macroFiles = defaultMacrosFiles
	case p.macroFiles < 0:
		p.macroFiles = 0
	}
	for k := range opt.Layers + 1 {
		p.layerStarts = append(p.layerStarts, k*opt.Models/opt.Layers)
	}
	p.models = make([]model, opt.Models)
	for k := range opt.Layers {
		for i := p.layerStarts[k]; i < p.layerStarts[k+1]; i++ {
			p.models[i] = p.planModel(i, k)
		}
	}
	return p, nil
}

// planModel makes every random choice of model i, from its own stream.
func (p *project) planModel(i, layer int) model {
	r := newRNG(p.opt.Seed, uint64(i)+1)
	m := model{index: i, layer: layer, group: (i - p.layerStarts[layer]) / groupSize}
	switch {
	case p.opt.Chain && i > 0:
		m.parents = []int{i - 1}
	case !p.opt.Chain && layer > 0:
		m.parents = p.pickParents(r, layer)
	}
	if len(m.parents) == 0 {
		// Chains start from the seed; elsewhere 70% of layer 0 does.
		m.fromSeed = p.opt.Chain || r.chance(70)
		if !m.fromSeed {
			rows := 5 + r.intn(6)
			for id := 1; id <= rows; id++ {
				m.literalRows = append(m.literalRows, [2]int{id, r.intn(1000)})
			}
		}
	}
	switch n := r.intn(100); {
	case n < 15:
		m.config = configMaterializedTags
	case n < 25:
		m.config = configTags
	}
	m.configTag = r.intn(8)
	m.loopCols = !m.fromSeed && r.chance(35)
	m.useVar = r.chance(40)
	m.ctes = r.chance(50)
	m.jinjaNote = r.chance(20)
	if p.macroFiles > 0 {
		parents := max(len(m.parents), 1)
		for parent := 1; parent <= parents; parent++ {
			if r.chance(40) {
				m.amountCalls = append(m.amountCalls, p.pickMacro(r, parent))
			}
		}
		if !m.loopCols && r.chance(15) {
			m.nameCall = &macroCall{kind: macroLabel, file: r.intn(p.macroFiles), arg: r.intn(2), parent: 1}
		}
	}
	return m
}

// pickParents chooses 1-4 distinct models of earlier layers: the first from
// the layer just before (so layers are real depth), the others anywhere
// earlier, as fan-in looks in real projects (a mart joins staging and
// intermediate models).
func (p *project) pickParents(r *rng, layer int) []int {
	var n int
	switch x := r.intn(100); {
	case x < 30:
		n = 1
	case x < 65:
		n = 2
	case x < 85:
		n = 3
	default:
		n = 4
	}
	prevStart, prevEnd := p.layerStarts[layer-1], p.layerStarts[layer]
	parents := []int{prevStart + r.intn(prevEnd-prevStart)}
	n = min(n, prevEnd) // prevEnd is the number of models in earlier layers
	for len(parents) < n {
		c := r.intn(prevEnd)
		if !slices.Contains(parents, c) {
			parents = append(parents, c)
		}
	}
	return parents
}

func (p *project) pickMacro(r *rng, parent int) macroCall {
	c := macroCall{kind: macroKind(r.intn(int(numAmountMacros))), parent: parent}
	switch c.kind {
	case macroCentsToEUR, macroAddOne:
		c.file = 0
	default:
		c.file = r.intn(p.macroFiles)
	}
	c.arg = 2 + r.intn(4)
	return c
}

// materialized is the materialization a model ends up with, after folder
// and model configs.
func (p *project) materialized(m *model) string {
	if p.opt.Materialized != "" {
		return p.opt.Materialized
	}
	if m.config == configMaterializedTags || p.groupOverridesToTable(m.layer, m.group) {
		return "table"
	}
	return p.layerMaterialized(m.layer)
}

// layerMaterialized is the folder-level default of the mix: views on even
// layers, tables on odd ones, so a view reads tables or at most a couple of
// levels of views.
func (p *project) layerMaterialized(layer int) string {
	if p.opt.Materialized != "" {
		return p.opt.Materialized
	}
	if layer%2 == 0 {
		return "view"
	}
	return "table"
}

// hasGroupConfig says whether folder models/layer_k/g_j has its own config
// block in mart.yml (every seventh one does).
func hasGroupConfig(group int) bool { return group%7 == 3 }

// groupOverridesToTable: in the mix, configured folders of view layers
// become tables.
func (p *project) groupOverridesToTable(layer, group int) bool {
	return p.opt.Materialized == "" && hasGroupConfig(group) && p.layerMaterialized(layer) == "view"
}

func (p *project) groups(layer int) int {
	n := p.layerStarts[layer+1] - p.layerStarts[layer]
	return (n + groupSize - 1) / groupSize
}

func modelName(i int) string { return fmt.Sprintf("m_%d", i) }

func layerName(k int) string { return fmt.Sprintf("layer_%d", k) }

func groupName(j int) string { return fmt.Sprintf("g_%d", j) }

// modelPath is the model's file, relative to the project dir.
func (p *project) modelPath(m *model) string {
	return "models/" + layerName(m.layer) + "/" + groupName(m.group) + "/" + modelName(m.index) + ".sql"
}
