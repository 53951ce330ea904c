package compiler

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"

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

// WarehouseRenderFailed is the warning of a node whose render against the
// warehouse failed (often: a parent is not built yet); it keeps its
// parse-time SQL.
func WarehouseRenderFailed(n *Node, err error) Diagnostic {
	return Diagnostic{Severity: SevWarning, File: n.Path,
		Summary: fmt.Sprintf("%s %s queries the warehouse while it renders, and that failed: its compiled SQL is the parse-time render", n.ResourceType, n.Name),
		Detail:  err.Error()}
}

// WarehouseModels are the ids of the snapshot's models that query the
// warehouse while they render.
func (p *Patched) WarehouseModels() map[string]bool {
	if p.load == nil {
		return nil
	}
	return p.load.snap.warehouseIDs()
}

// warehouseIDs are the ids of the models that query the warehouse while
// they render (Warehouse).
func (snap *patchSnapshot) warehouseIDs() map[string]bool {
	ids := make(map[string]bool, len(snap.Warehouse))
	for _, ni := range snap.Warehouse {
		if ni >= 0 && ni < len(snap.Nodes) {
			ids[snap.Nodes[ni].ID] = true
		}
	}
	return ids
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
	l.ix = ix
	return ""
}

// renderAgainstWarehouse renders the jobs' models that query the warehouse
// against it, in the order of their ids, as `mart compile` does: a render
// that fails keeps the parse-time SQL the patch rendered, with the warning
// the compile gives. It returns those warnings, or why it cannot render
// them as the compile would (then nothing is written). Call it once the
// patch's renders are done (it turns the compilation's scope into the
// Renderer's), with the node index read (index).
func (l *patchLoad) renderAgainstWarehouse(ctx context.Context, jobs []*patchJob, open func() (warehouse.Warehouse, error)) (Diagnostics, string) {
	var todo []*patchJob
	for _, j := range jobs {
		if j.warehouse {
			todo = append(todo, j)
		}
	}
	if len(todo) == 0 {
		return nil, ""
	}
	sort.Slice(todo, func(a, b int) bool { return todo[a].pn.ID < todo[b].pn.ID })
	// a render against the warehouse may call macros its parse-time render
	// did not (execute is true): none may read graph, which the compile's
	// Renderer has with Go's types and a patch only as JSON has it
	if why := l.readsGraph(); why != "" {
		return nil, why
	}
	ix := l.ix
	if ix == nil {
		return nil, "no node index"
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.f.Close()
	// each model as the compile's Renderer has it: its manifest.json
	// entry with its config's Go types (the index's), the text and the
	// parse-time SQL this patch rendered
	m := &Manifest{Nodes: make(map[string]*Node, len(todo))}
	for _, j := range todo {
		i, ok := ix.pos[j.pn.ID]
		if !ok {
			return nil, j.pn.ID + " is not in the node index"
		}
		if ix.nodes[i].flags&(ixTyped|ixExact) == 0 {
			return nil, j.pn.ID + "'s config is not kept with its types"
		}
		n, err := dec.decode(i)
		if err != nil {
			return nil, err.Error()
		}
		n.RawCode, n.Checksum, n.CompiledCode, n.Fingerprint = j.out.RawCode, j.out.Checksum, j.out.CompiledCode, j.out.Fingerprint
		dec.got[i] = n
		m.Nodes[n.UniqueID] = n
	}
	wh, err := open()
	if err != nil {
		return nil, "the warehouse does not open: " + err.Error()
	}
	defer wh.Close()
	if ctx == nil {
		ctx = context.Background()
	}
	ids := make([]string, len(todo))
	for i, j := range todo {
		ids[i] = j.pn.ID
	}
	sqls, errs := l.renderer(dec, m).RenderNodes(ctx, ids, RenderOptions{Warehouse: wh}, l.c.target.Threads)
	var diags Diagnostics
	for i, j := range todo {
		if errs[i] != nil {
			diags = append(diags, WarehouseRenderFailed(&j.out, errs[i]))
			continue
		}
		sql := sqls[i]
		j.out.CompiledCode = sql
		if j.frag, err = appendNode(nil, &j.out); err != nil {
			return nil, j.pn.ID + ": " + err.Error()
		}
		j.code = []byte(sql + "\n")
	}
	return diags, ""
}
