package compiler

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

// Patching a project whose models query the warehouse while they render
// (run_query, dbt_utils.star's get_columns_in_relation, statement
// blocks): `mart compile` renders each of them twice, as dbt parses it
// (execute false: its refs and config) while compiling, then against the
// warehouse once the project is compiled, with every node final (the CLI's
// renderWithWarehouse, through the compile's Renderer). Their output may
// differ with the same inputs (the warehouse changed), so a patch renders
// them every time too, both ways: the first as a volatile model's
// (CompileByPatch: its config, refs, macros and warnings must be as they
// were), the second here, through a Renderer whose ref() and source()
// find the nodes as `mart compile` wrote them in manifest.json (the
// node index), as a run of a selection renders (patchload.go). A model
// that may read graph is not patched (everyTimeOK): the compile's
// Renderer has the whole manifest, a patch does not.

// patchTest is a generic test that queries the warehouse while it renders
// (dbt_expectations' column type checks call get_columns_in_relation):
// what the snapshot keeps to render it as `mart compile` does. Its macro
// call is not in manifest.json (testCall), and its parse-time SQL is what
// a run's compile writes there and what a failed render keeps.
type patchTest struct {
	ID    string
	Macro string
	// the node it tests, as ref() or source() finds it
	TargetType, TargetSource, TargetName, TargetVersion string
	Column, Where                                       string
	Args                                                []byte // typedJSON of its arguments
	Pos                                                 jinja.Pos
	ParseSQL                                            string
	// its render as dbt parses it: renderFacts, what its ref() and
	// source() found, what its placeholders resolve to
	Facts string
	Stubs []patchStub
	Names []string
}

// warehouseTest is the snapshot's record of test n, which queries the
// warehouse while it renders, or why a patch cannot render it as a whole
// compile does.
func (c *compilation) warehouseTest(n *Node) (patchTest, string) {
	tc := n.testCall
	if n.ResourceType != TypeTest || tc == nil {
		// a template of its own (a test with ref() in its arguments, a
		// singular test, a snapshot, an analysis)
		return patchTest{}, n.UniqueID + " renders at run time"
	}
	// its render as dbt parses it, which every patch makes again (its
	// config is manifest.json's, so no config() call may change it)
	st := c.states[n.UniqueID]
	if st == nil || len(st.configAt) > 0 {
		return patchTest{}, n.UniqueID + " renders at run time and calls config()"
	}
	facts, ok := renderFacts(st)
	args, ok2 := typedJSON(nil, tc.args)
	if !ok || !ok2 {
		return patchTest{}, n.UniqueID + "'s arguments or config cannot be kept with their types"
	}
	names, ephemerals, _ := c.targetNames(n, st, nil)
	if len(ephemerals) > 0 {
		return patchTest{}, n.UniqueID + " renders at run time and tests an ephemeral model"
	}
	t := tc.target.node
	return patchTest{ID: n.UniqueID, Macro: tc.macro, TargetType: t.ResourceType, TargetSource: t.SourceName, TargetName: t.Name,
		TargetVersion: t.Version, Column: tc.column, Where: tc.where, Args: args, Pos: tc.pos, ParseSQL: n.CompiledCode,
		Facts: facts, Stubs: c.stubsOf(st), Names: names}, ""
}

// call is the test's macro call again.
func (t *patchTest) call() (*testCall, error) {
	v, err := fromTypedJSON(t.Args)
	if err != nil {
		return nil, fmt.Errorf("%s's arguments in the snapshot: %w", t.ID, err)
	}
	args, ok := v.(map[string]any)
	if v != nil && !ok {
		return nil, fmt.Errorf("%s's arguments in the snapshot are not a map", t.ID)
	}
	target := &Node{ResourceType: t.TargetType, SourceName: t.TargetSource, Name: t.TargetName, Version: t.TargetVersion}
	return &testCall{macro: t.Macro, target: &testTarget{node: target}, column: t.Column, where: t.Where, args: args, pos: t.Pos}, nil
}

// WarehouseRenderFailed is the warning of a node whose render against the
// warehouse failed (often: a parent is not built yet); it keeps its
// parse-time SQL.
func WarehouseRenderFailed(n *Node, err error) Diagnostic {
	return Diagnostic{Severity: SevWarning, File: n.Path,
		Summary: fmt.Sprintf("%s %s queries the warehouse while it renders, and that failed: its compiled SQL is the parse-time render", n.ResourceType, n.Name),
		Detail:  err.Error()}
}

// WarehouseNodes are the ids of the snapshot's nodes (models and generic
// tests) that query the warehouse while they render.
func (p *Patched) WarehouseNodes() map[string]bool {
	if p.load == nil {
		return nil
	}
	return p.load.snap.warehouseIDs()
}

// warehouseIDs are the ids of the models and tests that query the
// warehouse while they render (Warehouse, WarehouseTests).
func (snap *patchSnapshot) warehouseIDs() map[string]bool {
	ids := make(map[string]bool, len(snap.Warehouse)+len(snap.WarehouseTests))
	for _, ni := range snap.Warehouse {
		if ni >= 0 && ni < len(snap.Nodes) {
			ids[snap.Nodes[ni].ID] = true
		}
	}
	for _, t := range snap.WarehouseTests {
		ids[t.ID] = true
	}
	return ids
}

// warehouseTests are the snapshot's tests that query the warehouse while
// they render, by id.
func (snap *patchSnapshot) warehouseTests() map[string]*patchTest {
	out := make(map[string]*patchTest, len(snap.WarehouseTests))
	for i := range snap.WarehouseTests {
		out[snap.WarehouseTests[i].ID] = &snap.WarehouseTests[i]
	}
	return out
}

// index reads the snapshot's node index, once; why there is none ("" when
// there is). A damaged one is never trusted: the snapshot is removed, and
// PatchNote tells it.
func (l *patchLoad) index() string {
	if l.ix != nil {
		return ""
	}
	return l.useIndex(l.readIndex())
}

// unversionedIndex is index, refusing a project with versioned models
// (what a patch that makes nodes again does not take: their versions'
// refs and entries).
func (l *patchLoad) unversionedIndex() string {
	if why := l.index(); why != "" {
		return why
	}
	if len(l.ix.versions) > 0 {
		return "the project has versioned models"
	}
	return ""
}

// readIndex reads the snapshot's node index; safe to call on another
// goroutine (it changes nothing).
func (l *patchLoad) readIndex() (*nodeIndex, error) {
	if l.snap.Index.Len == 0 || l.snap.Entries == nil {
		return nil, errNoIndex
	}
	return readIndex(l.file, l.snap)
}

var errNoIndex = errors.New("no node index")

// useIndex keeps the index readIndex read, or says why there is none.
func (l *patchLoad) useIndex(ix *nodeIndex, err error) string {
	switch {
	case err == errNoIndex:
		return err.Error()
	case err != nil:
		os.Remove(l.file)
		return unreadableSnapshot + relTo(l.c.project.Dir, blobsFile(l.file)) + "\x00" + err.Error()
	}
	l.ix, l.testsIn = ix, nil
	return ""
}

// renderAgainstWarehouse renders the jobs' models and the snapshot's
// tests that query the warehouse against it, in the order of their ids,
// as `mart compile` does: a render that fails keeps the parse-time SQL,
// with the warning the compile gives. It returns those warnings and the
// tests' new manifest entries, or why it cannot render
// them as the compile would (then nothing is written). Call it once the
// patch's renders are done (it turns the compilation's scope into the
// Renderer's), with the node index read (index).
func (l *patchLoad) renderAgainstWarehouse(ctx context.Context, jobs []*patchJob, open func() (warehouse.Warehouse, error)) (Diagnostics, []testOutput, string) {
	byID := map[string]*patchJob{}
	for _, j := range jobs {
		if j.warehouse {
			byID[j.pn.ID] = j
		}
	}
	if len(byID)+len(l.snap.WarehouseTests) == 0 {
		return nil, nil, ""
	}
	// a render against the warehouse may call macros its parse-time
	// render did not (execute is true): none may read graph, which the
	// compile's Renderer has with Go's types and a patch only as JSON has it
	if why := l.readsGraph(); why != "" {
		return nil, nil, why
	}
	ix := l.ix
	if ix == nil {
		return nil, nil, "no node index"
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, nil, err.Error()
	}
	defer dec.f.Close()
	// each model as the compile's Renderer has it: its manifest.json
	// entry with its config's Go types (the index's), the text and the
	// parse-time SQL this patch rendered
	m := &Manifest{Nodes: make(map[string]*Node, len(byID)+len(l.snap.WarehouseTests))}
	for _, id := range sortedKeys(byID) {
		j := byID[id]
		n, why := l.decodeTyped(dec, id)
		if why != "" {
			return nil, nil, why
		}
		n.RawCode, n.Checksum, n.CompiledCode, n.Fingerprint = j.out.RawCode, j.out.Checksum, j.out.CompiledCode, j.out.Fingerprint
		m.Nodes[id] = n
	}
	// each test with its macro call and its parse-time SQL
	tests, why := l.decodeWarehouseTests(dec)
	if why != "" {
		return nil, nil, why
	}
	for _, n := range tests {
		m.Nodes[n.UniqueID] = n
	}
	wh, err := open()
	if err != nil {
		return nil, nil, "the warehouse does not open: " + err.Error()
	}
	defer wh.Close()
	if ctx == nil {
		ctx = context.Background()
	}
	ids := sortedKeys(m.Nodes)
	sqls, errs := l.renderer(dec, m).RenderNodes(ctx, ids, RenderOptions{Warehouse: wh}, l.c.target.Threads)
	var diags Diagnostics
	var outs []testOutput
	for i, id := range ids {
		j := byID[id]
		if j == nil { // a test
			out := *m.Nodes[id]
			if errs[i] != nil {
				diags = append(diags, WarehouseRenderFailed(&out, errs[i]))
			} else {
				out.CompiledCode = sqls[i]
			}
			o, why := l.testOutput(&out)
			if why != "" {
				return nil, nil, why
			}
			outs = append(outs, o)
			continue
		}
		if errs[i] != nil {
			diags = append(diags, WarehouseRenderFailed(&j.out, errs[i]))
			continue
		}
		sql := sqls[i]
		j.out.CompiledCode = sql
		if j.frag, err = appendNode(nil, &j.out); err != nil {
			return nil, nil, id + ": " + err.Error()
		}
		j.code = []byte(sql + "\n")
	}
	return diags, outs, ""
}

// testOutput is a test's entry in manifest.json made anew. A generic
// test has no compiled file to write: `mart compile` of every node writes
// none (cli's compiledFiles).
type testOutput struct {
	at   [2]int64 // where its entry is in manifest.json
	frag []byte
}

// testOutput encodes test n's manifest entry.
func (l *patchLoad) testOutput(n *Node) (testOutput, string) {
	frag, err := appendNode(nil, n)
	if err != nil {
		return testOutput{}, n.UniqueID + ": " + err.Error()
	}
	return testOutput{at: l.snap.Entries[l.ix.pos[n.UniqueID]], frag: frag}, ""
}

// decodeTyped decodes node id from the index, which must keep its config
// with its types.
func (l *patchLoad) decodeTyped(dec *entryDecoder, id string) (*Node, string) {
	i, ok := l.ix.pos[id]
	if !ok {
		return nil, id + " is not in the node index"
	}
	if l.ix.nodes[i].flags&(ixTyped|ixExact) == 0 {
		return nil, id + "'s config is not kept with its types"
	}
	n, err := dec.decode(i)
	if err != nil {
		return nil, err.Error()
	}
	dec.got[i] = n
	return n, ""
}

// decodeWarehouseTests decodes the snapshot's tests that query the
// warehouse, each with its macro call, its arguments with their Go types
// in test_metadata (JSON has no integer past 2^53) and its parse-time SQL,
// once each renders as the whole compile renders it (classify). Call it
// before the compilation's scope becomes a Renderer's.
func (l *patchLoad) decodeWarehouseTests(dec *entryDecoder) ([]*Node, string) {
	out := make([]*Node, 0, len(l.snap.WarehouseTests))
	for i := range l.snap.WarehouseTests {
		t := &l.snap.WarehouseTests[i]
		n, why := l.decodeTyped(dec, t.ID)
		if why != "" {
			return nil, why
		}
		tc, err := t.call()
		if err != nil {
			return nil, err.Error()
		}
		if !n.RunTimeRender || n.TestMetadata == nil {
			return nil, t.ID + " does not render at run time in manifest.json"
		}
		kwargs := make(map[string]any, len(tc.args)+1)
		for k, v := range tc.args {
			kwargs[k] = v
		}
		if tc.column != "" {
			kwargs["column_name"] = tc.column
		}
		n.TestMetadata.Kwargs = kwargs
		n.testCall, n.CompiledCode = tc, t.ParseSQL
		l.c.addStubs(t.Stubs)
		out = append(out, n)
	}
	errs := make([]string, len(out))
	parallel(len(out), func(i int) { errs[i] = l.classify(&l.snap.WarehouseTests[i], out[i]) })
	for _, why := range errs {
		if why != "" {
			return nil, why
		}
	}
	return out, ""
}

// classify renders test n as the whole compile does (renderAll): with
// execute true, where it must ask for the warehouse (an error before it
// does, or a test that no longer does, is the whole compile's to report), then as
// dbt parses it, which must say what it said (its macros, refs, warnings)
// and give its parse-time SQL. A macro it calls only when execute is true
// may have changed, or a var it reads then.
func (l *patchLoad) classify(t *patchTest, n *Node) string {
	render := func(from *Node, opt RenderOptions) (*Node, *renderState, error) {
		cp := *from
		cp.Config = maps.Clone(from.Config)
		st, err := l.c.renderNode(&cp, opt)
		return &cp, st, err
	}
	// (an error after it asked for the warehouse is the warehouse's
	// absence: renderAll renders again as dbt parses)
	first, st, _ := render(n, RenderOptions{})
	if st == nil || !st.needsWarehouse {
		return t.ID + " no longer renders as a test that queries the warehouse"
	}
	// the second render starts from the config the first one left, as in
	// renderAll (a config() call made only when execute is true stays)
	cp, st, err := render(first, RenderOptions{parse: true})
	if err != nil || st == nil {
		return t.ID + " does not render as before"
	}
	if facts, ok := renderFacts(st); !ok || facts != t.Facts || resolvePlaceholders(cp.CompiledCode, t.Names) != t.ParseSQL {
		return t.ID + "'s render changed"
	}
	return ""
}

// parseTimeTests are the manifest entries a run's compile writes of the
// snapshot's tests that query the warehouse: with their parse-time SQL
// (the runner renders them against the warehouse when it runs them).
func (l *patchLoad) parseTimeTests() ([]testOutput, string) {
	if len(l.snap.WarehouseTests) == 0 {
		return nil, ""
	}
	if why := l.index(); why != "" {
		return nil, why
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.f.Close()
	tests, why := l.decodeWarehouseTests(dec)
	if why != "" {
		return nil, why
	}
	outs := make([]testOutput, len(tests))
	for i, n := range tests {
		if outs[i], why = l.testOutput(n); why != "" {
			return nil, why
		}
	}
	return outs, ""
}
