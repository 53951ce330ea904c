package compiler

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Ephemeral models in a patch. An ephemeral model has no relation: the
// nodes that read it put its CTE (its compiled SQL, after those of the
// ephemeral models it refs) in front of their SQL. The snapshot keeps, for
// each patchable ephemeral model, the patchable nodes that do
// (EphUsers, by their index in Nodes) and the generic tests that do
// (EphTests, by id): a text edit of it renders the first again with its
// new SQL in their CTEs (CompileByPatch) and replaces its CTE in the
// second's entries (ephTestSplices). A model a patch makes (added, moved,
// made again, reshaped) finds the CTEs of the ephemeral models it refs as
// the snapshot's compile left them (resolveMade) and joins their users;
// an ephemeral model a patch makes keeps its users when they see the same
// CTE (movedFace), and EphUsers' keys follow (ephemeralsMade).

// resolveMade is resolveSQL for the one model a patch made (c.nodes: n,
// rendered as rs), which may ref ephemeral models: their CTEs go in front
// of its SQL as the snapshot's compile left them, each one's compiled SQL
// (manifest.json's, final) after those of the ephemeral models it refs
// (its render targets, which the node index keeps), as a build from the
// snapshot inlines them (Result's renderer); an ephemeral model the patch
// made is found as it made it (madeEph). It returns those CTEs (nil:
// none) for its capture, and the patchable ephemeral models among them
// (EphUsers), whose users it joins; or why it cannot be patched: one was
// rendered again in the same edit (the CTE would be its new SQL).
func (l *patchLoad) resolveMade(dec *entryDecoder, n *Node, rs *renderState) (ctes, users []string, why string) {
	c := l.c
	l.withMadeEphemerals(dec, func() {
		c.resolveSQL()
		if n.Materialized() == "ephemeral" { // (an ephemeral model's SQL has no CTEs: finalizeWith)
			return
		}
		_, ephemerals, _ := c.targetNames(n, rs, nil)
		if users, why = l.ephemeralsRead(ephemerals); why == "" && len(ephemerals) > 0 {
			ctes = c.ephemeralCTEs(ephemerals, nil)
		}
	})
	return ctes, users, why
}

// withMadeEphemerals runs fn (resolveSQL, for the nodes a patch made)
// with the scope finding each ephemeral model as the snapshot's compile
// left it (its render targets from the node index: dec), or as the patch
// made it (madeEph).
func (l *patchLoad) withMadeEphemerals(dec *entryDecoder, fn func()) {
	c := l.c
	stateOf := c.stateOf
	c.stateOf = func(id string) *renderState {
		if st := l.madeEph[id]; st != nil {
			return st
		}
		return dec.ephemeralState(id)
	}
	c.resolved = true // (as resolveSQL leaves it)
	defer func() { c.stateOf = stateOf }()
	fn()
}

// ephemeralsRead are the patchable ephemeral models (EphUsers, or made by
// the patch: ephemeralsMade) whose CTEs a node the patch made puts in
// front of its SQL, for the ephemeral models its render refs; or why it
// cannot be patched: one is rendered again in the same edit (the CTE
// would be its new SQL). Call it within withMadeEphemerals.
func (l *patchLoad) ephemeralsRead(ephemerals []*Node) (ids []string, why string) {
	if len(ephemerals) == 0 {
		return nil, ""
	}
	for _, e := range l.c.ephemeralOrder(ephemerals) {
		if l.changedEph[e.UniqueID] {
			return nil, "refs ephemeral " + e.UniqueID + ", rendered again in the same edit"
		}
		if _, ok := l.snap.EphUsers[e.UniqueID]; ok || l.madeEph[e.UniqueID] != nil {
			ids = append(ids, e.UniqueID)
		}
	}
	return ids, ""
}

// ephTestUser says whether node n (rendered as st) is a generic test that
// an edit of the ephemeral models it reads may rewrite (EphTests): its
// SQL made when the project compiles (not at run time, nor against the
// warehouse), its CTEs those of its render's targets.
func ephTestUser(n *Node, st *renderState) bool {
	return n.ResourceType == TypeTest && n.TestType == "generic" && n.Enabled() && !n.RunTimeRender && n.CompiledCode != "" &&
		st != nil && !st.needsWarehouse
}

// ephemeralsMade keeps EphUsers' keys the patchable ephemeral models: a
// model removed (or made again other than ephemeral) leaves, one added
// joins with no reader yet, and one made again ephemeral keeps its
// readers (they stay only when they see it as they did: movedFace,
// ephemeralsKept). A generic test removed leaves EphTests; one made
// joins the lists of the ephemeral models it reads.
func (snap *patchSnapshot) ephemeralsMade(news []*newModel, gone []goneModel) {
	eph := map[string]bool{}
	for _, m := range news {
		if !m.test && !m.source && m.n.ResourceType == TypeModel && m.n.Materialized() == "ephemeral" {
			eph[m.n.UniqueID] = true
		}
	}
	for _, g := range gone {
		if g.test { // (those made again join below)
			for id, tests := range snap.EphTests {
				snap.EphTests[id] = slices.DeleteFunc(tests, func(t string) bool { return t == g.n.UniqueID })
			}
		} else if !eph[g.n.UniqueID] {
			delete(snap.EphUsers, g.n.UniqueID)
			delete(snap.EphTests, g.n.UniqueID)
		}
	}
	for id := range eph {
		if _, ok := snap.EphUsers[id]; !ok {
			if snap.EphUsers == nil {
				snap.EphUsers = map[string][]int{}
			}
			snap.EphUsers[id] = []int{}
		}
	}
	for _, m := range news {
		for _, id := range m.ephTests { // a generic test made: the CTEs in its SQL (makePending)
			if snap.EphTests == nil {
				snap.EphTests = map[string][]string{}
			}
			if !slices.Contains(snap.EphTests[id], m.n.UniqueID) {
				snap.EphTests[id] = append(snap.EphTests[id], m.n.UniqueID)
			}
		}
	}
}

// joinEphUsers makes node ni a user of the ephemeral models ephs (and of
// no other), whose CTEs it puts in front of its SQL: an edit of one
// renders it again (EphUsers).
func (snap *patchSnapshot) joinEphUsers(ni int, ephs []string) {
	for id, users := range snap.EphUsers {
		if i := slices.Index(users, ni); i >= 0 {
			snap.EphUsers[id] = slices.Delete(users, i, i+1)
		}
	}
	for _, id := range ephs { // (each patchable, or one the patch made: ephemeralsMade)
		if snap.EphUsers == nil {
			snap.EphUsers = map[string][]int{}
		}
		snap.EphUsers[id] = append(snap.EphUsers[id], ni)
	}
}

// ephTestSplices are the splices that replace, in the entries of the
// generic tests that read them (EphTests), the CTEs of the ephemeral
// models the patch rendered again (jobs, their old entries in fin and
// new ones in out): each test's compiled SQL is its render's with the
// CTEs in front, which a whole compile makes with their new SQL and in
// the same order (their refs did not change: a text edit). A test gone
// in the same edit is skipped; one whose SQL holds an old CTE other than
// once refuses. read reads manifest.json.
func (l *patchLoad) ephTestSplices(jobs []*patchJob, gone []goneModel, read func(off, n int64) ([]byte, bool)) ([]fileSplice, string) {
	type swap struct{ was, now string }
	byTest := map[string][]swap{}
	for _, j := range jobs {
		name := cteName(j.fin.Name)
		for _, id := range l.snap.EphTests[j.pn.ID] {
			byTest[id] = append(byTest[id], swap{name + " as (\n" + j.fin.CompiledCode + "\n)", name + " as (\n" + j.out.CompiledCode + "\n)"})
		}
	}
	if len(byTest) == 0 {
		return nil, ""
	}
	if why := l.index(); why != "" {
		return nil, why
	}
	for _, g := range gone {
		delete(byTest, g.n.UniqueID)
	}
	var out []fileSplice
	for _, id := range slices.Sorted(maps.Keys(byTest)) {
		i, ok := l.ix.pos[id]
		if !ok || l.ix.nodes[i].gone {
			continue // removed since (a YAML edit)
		}
		at := l.snap.Entries[i]
		b, ok := read(at[0], at[1]-at[0])
		var entry struct {
			UniqueID     string `json:"unique_id"`
			CompiledCode string `json:"compiled_code"`
		}
		if !ok || json.Unmarshal(b, &entry) != nil || entry.UniqueID != id {
			return nil, id + "'s manifest entry unreadable"
		}
		code := entry.CompiledCode
		for _, sw := range byTest[id] {
			if strings.Count(code, sw.was) != 1 {
				return nil, id + " reads an ephemeral model rendered again, and its SQL holds its CTE other than once"
			}
			code = strings.Replace(code, sw.was, sw.now, 1)
		}
		was, now := appendString([]byte(`,"compiled_code":`), entry.CompiledCode), appendString([]byte(`,"compiled_code":`), code)
		if bytes.Count(b, was) != 1 {
			return nil, id + "'s compiled_code is not in its entry once"
		}
		out = append(out, fileSplice{at[0], at[1], bytes.Replace(b, was, now, 1), nil})
	}
	return out, ""
}

// ephemeralsKept says why the ephemeral models the patch removed or made
// again cannot be patched ("" when they can): one whose readers would see
// another CTE (not movedFace: its SQL or render targets changed, it is no
// longer ephemeral, or it is gone) needs every node that puts its CTE in
// front (EphUsers, through other ephemeral models too, and EphTests) made
// again (gone, or reshaped: rendered again finding what the patch made,
// resolveMade). The others keep the CTE they hold: a reader made again
// only around it (its child_map list, movedFace) or rendered again by a
// text edit (its capture's CTEs) would not show its new SQL (found by
// review: a reader through a chain kept the first model's old CTE).
func (snap *patchSnapshot) ephemeralsKept(news []*newModel, gone []goneModel, reshaped []*patchJob) string {
	made := make(map[string]bool, len(gone)+len(reshaped))
	for _, g := range gone {
		made[g.n.UniqueID] = true
	}
	for _, j := range reshaped {
		made[j.pn.ID] = true
	}
	same := map[string]bool{}
	for _, m := range news {
		if m.sameFace {
			same[m.n.UniqueID] = true
		}
	}
	for _, g := range gone {
		id := g.n.UniqueID
		users, eph := snap.EphUsers[id]
		if !eph || g.test || g.source || same[id] {
			continue
		}
		for _, u := range users {
			if u < 0 || u >= len(snap.Nodes) {
				return "the snapshot's ephemeral models' users are not its models"
			}
			if !made[snap.Nodes[u].ID] {
				return "ephemeral " + id + " is made again with another CTE and " + snap.Nodes[u].ID + ", which reads it, stays"
			}
		}
		for _, t := range snap.EphTests[id] {
			if !made[t] {
				return "ephemeral " + id + " is made again with another CTE and " + t + ", which reads it, stays"
			}
		}
	}
	return ""
}
