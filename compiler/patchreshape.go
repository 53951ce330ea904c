package compiler

import (
	"encoding/json"
	"slices"
)

// Patching a model whose edit changed its refs, sources or macro calls
// (a join added, a ref renamed, a macro called), or its config: its
// render's facts (renderFacts) differ from the snapshot's. A config that
// changed must leave what other nodes see of the model as it was
// (reconfigured: its relation, enabled, not ephemeral), and the entry
// takes its new config, tags and meta and the node index a new entry. Such a model is rendered again with ref() and
// source() finding every node of the snapshot (its node index and
// manifest.json's entries, as an added model is: patchadd.go), and it
// goes through the whole compile's steps for one node (resolveRefs,
// resolveSQL). Its entry is written with its new text, refs, sources,
// depends_on and fingerprint; its parent_map list is replaced; it leaves
// the child_map lists of the parents it no longer refs and joins those
// of its new ones (graphSplices). Nothing else changes: what other nodes
// see of it (its relation, materialization, access, tags: its config) is
// as it was, its children and tests are, and no render may read graph.
// The patch refuses a new ref that closes a cycle, an ephemeral or
// unknown one, one of a model removed in the same edit, a new source
// the snapshot does not know, a macro that is volatile, reads graph or
// is not the snapshot's, and anything the compile of it says; those
// compile the whole project, which reports them.
//
// The snapshot follows: the model's capture (its facts, stubs, names), its
// macros' callers, and its parents in the node index (IndexDeps, which
// builds from the snapshot select by).

// reshapeModels renders the reshaped jobs' models again finding every
// node, and makes their entries, or says why it cannot. gone are the
// models removed in the same edit.
func (l *patchLoad) reshapeModels(jobs []*patchJob, gone []goneModel) string {
	c := l.c
	if why := l.unversionedIndex(); why != "" {
		return why
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return err.Error()
	}
	defer dec.close()
	c.scope.lazy = dec
	defer func() { c.scope.lazy = nil }()
	fileOf, _ := c.macroPlaces()
	for _, j := range jobs {
		id := j.pn.ID
		why := id + "'s render changed more than its text and "
		pos, ok := l.ix.pos[id]
		if !ok {
			return why + "the node index lacks it"
		}
		j.ixPos = pos
		// rendered as the whole compile renders it: its ref() targets and
		// its own relation as they were before they rendered (earlyNode),
		// which its stubs keep for the patches to come
		n := j.pre
		dec.early = true
		rs, err := c.renderNode(&n, RenderOptions{})
		dec.early = false
		if dec.why != "" {
			return why + dec.why
		}
		if err != nil || rs == nil || rs.needsWarehouse {
			return why + "it does not render cleanly without the warehouse"
		}
		facts, ok := renderFacts(rs)
		if !ok {
			return why + "its render cannot be kept"
		}
		// its config changed too (config() set other values): what other
		// nodes see of it must not (reconfigured)
		configChanged := !sameConfigFacts(facts, j.pc.Facts)
		if configChanged {
			if w := l.reconfigured(j, &n, rs); w != "" {
				return why + w
			}
		}
		if w := l.patchMacros(rs.macros, fileOf); w != "" {
			return why + "it " + w
		}
		if w := c.patchTargets(dec, rs, gone, nil); w != "" {
			return why + "it " + w
		}
		dec.early = true // its sources are found now
		stubs := c.stubsOf(rs)
		dec.early = false
		// as the whole compile does after its renders (run): its relation
		// final (as it was: its config is), a singular test attached to its
		// one parent
		n.Database, n.Schema, n.Alias, n.Relation = j.fin.Database, j.fin.Schema, j.fin.Alias, j.fin.Relation
		if n.ResourceType == TypeTest {
			n.AttachedNode = ""
		}
		c.nodes = []*Node{&n}
		c.states[id] = rs
		c.resolveRefs()
		ctes, ephs, w := l.resolveMade(dec, &n, rs)
		if w != "" {
			return why + "it " + w
		}
		if len(c.diags) > 0 {
			return why + "a compile of it says something"
		}
		targets, _, _ := c.targetNames(&n, rs, nil)
		if slices.Contains(n.DependsOn.Nodes, id) {
			return why + "it refs itself" // left to the whole compile (its graph drops the edge)
		}
		if n.CompiledCode == "" {
			return why + "it compiles to nothing"
		}
		f := n.Fingerprint
		if f != nil {
			for _, e := range f.EnvVarNames {
				if IsSecretKey(e) {
					return why + "it reads a secret env var"
				}
			}
			j.varNames, j.envNames = f.VarNames, f.EnvVarNames
		}
		j.flags = c.readsFullRefresh(n.RawCode, rs.macros)
		c.settleEntry(&n)
		fin := j.fin
		fin.RawCode, fin.Checksum, fin.CompiledCode, fin.Fingerprint = n.RawCode, n.Checksum, n.CompiledCode, f
		fin.Refs, fin.Sources, fin.DependsOn, fin.AttachedNode = n.Refs, n.Sources, n.DependsOn, n.AttachedNode
		if configChanged {
			fin.Config, fin.Tags, fin.Meta = n.Config, n.Tags, n.Meta
		}
		if j.desc != nil {
			if w := j.desc.apply(&fin); w != "" {
				return id + w
			}
		}
		if j.frag, err = appendNode(nil, &fin); err != nil {
			return why + err.Error()
		}
		j.code = []byte(fin.CompiledCode + "\n")
		j.out = fin
		if configChanged {
			// its node index entry anew: its config, tags, group and access,
			// with where the index says it is declared
			det, err := l.ix.detail(j.ixPos)
			if err != nil {
				return why + "its node index entry is unreadable"
			}
			e := fin
			e.yamlFile, e.yamlLine, e.rerender = det.yamlFile, det.yamlLine, true
			if j.ixPos < l.ix.base { // the index's own line, moved as the edits since moved it
				e.yamlLine = shiftLine(l.snap.LineShifts[det.yamlFile], det.yamlLine)
			}
			e.Columns = make(map[string]*Column, len(fin.Columns))
			for name, col := range fin.Columns {
				cp := *col
				cp.pos = det.colPos[name]
				e.Columns[name] = &cp
			}
			add := indexAddOf(&e, nil) // (not ephemeral: reconfigured)
			j.reindex = &add
		}
		j.macros = rs.macros
		j.pc.Facts, j.pc.Stubs, j.pc.Names, j.pc.CTEs, j.ephs = facts, stubs, targets, ctes, ephs
	}
	c.nodes = nil
	return ""
}

// reconfigured checks a reshaped model whose config changed, as the whole
// compile settles and checks configs (finishConfigs, checkNodeConfig), or
// says why it cannot be patched: what other nodes see of it must be as it
// was (its relation, not ephemeral, enabled), its contract not newly
// enforced (its columns' places), nothing may warn, and its
// config must be what its manifest entry holds alone (no templated
// config: unrendered_config would need its YAML layers).
func (l *patchLoad) reconfigured(j *patchJob, n *Node, rs *renderState) string {
	c := l.c
	switch {
	case len(rs.warnings) > 0:
		return "its render warns"
	case !n.Enabled() || n.Materialized() == "ephemeral":
		return "it is disabled or ephemeral now"
	case n.ContractEnforced() && !j.fin.ContractEnforced():
		// a contract's columns are built in their YAML order, which the
		// node index's places may not hold: a patch adding, removing or
		// reordering the columns of a model without a contract leaves
		// them (only an enforced contract reads them; found by review)
		return "its contract is enforced now"
	case len(j.fin.UnrenderedConfig) > 0 || j.pc.Templated || c.project.templatedConfigs || c.project.Package(n.Package) != nil && c.project.Package(n.Package).templatedConfigs:
		return "its configs are templated"
	case !cacheableValue(rs.config):
		return "its config cannot be kept"
	}
	for _, call := range rs.configAt {
		if !cacheableValue(call.Set) {
			return "its config cannot be kept"
		}
	}
	if l.snap.saidOf(n, true) {
		return "the compile said something of it"
	}
	n.Meta = map[string]any{}
	settleTagsMeta(n)
	c.setRelation(n)
	if n.Database != j.fin.Database || n.Schema != j.fin.Schema || n.Alias != j.fin.Alias || n.Relation != j.fin.Relation {
		return "its relation changed"
	}
	c.checkNodeConfig(n)
	if len(c.diags) > 0 {
		return "a compile of its config says something"
	}
	return ""
}

// reshapeSplices adds to graphSplices' work what the reshaped models
// change: their parent_map lists, replaced, and the child_map lists of
// the parents they left (lost) and joined (kids). A new parent that
// depends on the model, through any path, would close a cycle: refused.
func reshapeSplices(jobs []*patchJob, news []*newModel, ix *nodeIndex, tail *mapTail, b []byte, base int64, kids, lost map[string][]string) ([]fileSplice, string) {
	var splices []fileSplice
	// the parents as they are once every reshaped model has its new ones,
	// and the nodes added theirs (one may ref a reshaped model that now
	// refs it: a cycle)
	now := make(map[string][]string, len(jobs)+len(news))
	for _, m := range news {
		if m.replace == nil {
			now[m.n.UniqueID] = m.n.DependsOn.Nodes
		}
	}
	for _, j := range jobs {
		now[j.pn.ID] = j.out.DependsOn.Nodes
	}
	parents := parentsOf(now, ix)
	for _, j := range jobs {
		id := j.pn.ID
		i, ok := findEntry(tail.parents, id)
		if !ok {
			return nil, "manifest.json's parent_map lacks " + id
		}
		e := tail.parents[i]
		var old []string
		if json.Unmarshal(b[e.from-base:e.to-base], &old) != nil || !slices.Equal(old, j.fin.DependsOn.Nodes) {
			return nil, "manifest.json's parent_map is not as written"
		}
		splices = append(splices, fileSplice{e.from, e.to, appendStrings(nil, now[id]), nil})
		for _, p := range old {
			if !slices.Contains(now[id], p) {
				lost[p] = append(lost[p], id)
			}
		}
		for _, p := range now[id] {
			if slices.Contains(old, p) {
				continue
			}
			kids[p] = append(kids[p], id)
			if dependsOn(p, id, parents) {
				return nil, id + " now refs " + p + ", which depends on it: a cycle"
			}
		}
	}
	return splices, ""
}

// parentsOf gives a node's parents: now's, for the nodes a patch gave
// new ones, else the node index's.
func parentsOf(now map[string][]string, ix *nodeIndex) func(string) []string {
	return func(id string) []string {
		if p, ok := now[id]; ok {
			return p
		}
		if i, ok := ix.pos[id]; ok {
			return ix.nodes[i].sel.DependsOn
		}
		return nil
	}
}

// dependsOn says whether from has id among its ancestors (parents gives
// a node's parents).
func dependsOn(from, id string, parents func(string) []string) bool {
	seen := map[string]bool{from: true}
	queue := []string{from}
	for len(queue) > 0 {
		at := queue[0]
		queue = queue[1:]
		for _, p := range parents(at) {
			if p == id {
				return true
			}
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return false
}

// reshaped makes the snapshot follow a reshaped model: its macros'
// callers, and its parents in the node index.
func (snap *patchSnapshot) reshaped(j *patchJob, c *compilation) {
	for _, mf := range snap.MacroFiles {
		for name, use := range mf.Macros {
			if i := slices.Index(use.Callers, j.ni); i >= 0 {
				use.Callers = slices.Delete(use.Callers, i, i+1)
				mf.Macros[name] = use
			}
		}
	}
	fileOf, _ := c.macroPlaces()
	for _, name := range j.macros {
		if file, ok := fileOf[name]; ok {
			if mf := snap.MacroFiles[file]; mf.Blocked == "" {
				use := mf.Macros[name]
				use.Callers = append(use.Callers, j.ni)
				mf.Macros[name] = use
			}
		}
	}
	snap.joinEphUsers(j.ni, j.ephs)
	if j.reindex != nil {
		return // a new index entry (after the writes)
	}
	if snap.IndexDeps == nil {
		snap.IndexDeps = map[int][]string{}
	}
	snap.IndexDeps[j.ixPos] = j.out.DependsOn.Nodes
}
