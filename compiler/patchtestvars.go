package compiler

import (
	"fmt"
	"slices"
)

// Patching a change of a var, an env var or --full-refresh that generic
// tests read: a test of the root project's YAML whose arguments or where:
// (which render in the test's render, as dbt's do: genericTest), or a
// macro it calls, may read it. The whole compile records such tests in
// VarUse (varUse.Tests, by unique id) instead of blocking the var, and so
// does a patch that makes one (makePending); a patch whose var changed
// makes the tests of each entry that declares one again, as an edit of
// the entry's tests does (remakeTests, from the entry's text as it is,
// with every check that takes). A daily run that passes the day in
// --vars, and tests only that day's rows (where: "day = '{{ var('ds')
// }}'"), so patches target/ instead of compiling the whole project.
//
// What still compiles the whole project: a test declared in a package's
// properties file or on a versioned model, or whose entry's tests hold
// Jinja anywhere but in their arguments and where: (the rest of a test's
// config renders when the file loads: a var read there is read outside
// the renders), anchors or aliases; more tests than a patch makes again
// faster than a whole compile; and everything remakeTests refuses.

// varTestEdits are the entries that declare the generic tests tests (by
// unique id: what changed that each reads, for a reason) as testEdits of
// their properties files, but those already in done or remade
// (newEntryHits); or why they cannot
// be made again. A test an edit removed since is passed over.
func (l *patchLoad) varTestEdits(tests map[string]string, texts map[string][]byte, done []testEdit, remade map[string]bool) ([]testEdit, string) {
	if why := l.unversionedIndex(); why != "" {
		return nil, why
	}
	ix := l.ix
	// (as macroTestEdits: past a twentieth of the index, a whole compile
	// is as fast)
	if limit := max(64, len(ix.nodes)/20); len(tests) > limit {
		return nil, fmt.Sprintf("%d generic tests read what changed, more than a patch makes again faster than a whole compile (%d)", len(tests), limit)
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.close()
	todo := newEntryHits(done, remade)
	for _, id := range sortedKeys(tests) {
		i, ok := ix.pos[id]
		if !ok || ix.nodes[i].gone {
			continue // removed since: its entry's other tests are recorded on their own
		}
		why := tests[id] + ", which generic test " + id + " may read, changed, and "
		if i >= len(l.snap.Entries) {
			return nil, why + "its manifest.json entry is not known"
		}
		t, err := dec.decode(i)
		if err != nil {
			return nil, err.Error()
		}
		file := ix.nodes[i].sel.Path
		if t.ResourceType != TypeTest || t.TestType != "generic" {
			return nil, why + "the node index has another node of its id"
		}
		if t.Package != l.c.project.Name || l.c.projectOf(file) != l.c.project {
			return nil, why + "a package declares it"
		}
		todo.add(entryHit{id: t.AttachedNode, file: file, why: why, byVar: tests[id]})
	}
	return l.entryHitEdits(todo, texts)
}

// readsByTest records that generic test id (one a patch made) may read
// the VarUse keys keys, unless a change of one compiles whole anyway.
func (snap *patchSnapshot) readsByTest(id string, keys []string) {
	for _, k := range keys {
		use := snap.VarUse[k]
		if use.Blocked == "" && !slices.Contains(use.Tests, id) {
			use.Tests = append(use.Tests, id)
			if snap.VarUse == nil {
				snap.VarUse = map[string]varUse{}
			}
			snap.VarUse[k] = use
		}
	}
}

// renderReads are the VarUse keys a node's render may read (useKeys):
// the vars and env vars its text and the macros it called name, and
// --full-refresh when they may read it.
func (c *compilation) renderReads(st *renderState) []string {
	names := scanCalls(st.node.RawCode, "var") // sorted, as a macro set's
	envs := scanCalls(st.node.RawCode, "env_var")
	if len(st.macros) > 0 {
		ms := c.macroSet(st.macros)
		names, envs = union(names, ms.vars), union(envs, ms.envVars)
	}
	return useKeys(names, envs, c.readsFullRefresh(st.node.RawCode, st.macros))
}
