package bqfake

// checkRefs checks that every backticked project.dataset.table path (and
// dataset.table path of an existing dataset) of st exists in the job's
// location, except the token positions in skip, so that a missing table
// gets BigQuery's message before DuckDB sees the statement.
func (r *run) checkRefs(st *stmt, skip map[int]bool) *apiError {
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != 'q' || skip[i] || (i > 0 && toks[i-1].text == ".") {
			continue
		}
		parts, _, next := path(toks, i)
		raw, _ := rawPath(st.src, toks, i)
		i = next - 1
		if next < len(toks) && toks[next].text == "(" {
			continue // a function call
		}
		switch len(parts) {
		case 3:
			if _, err := r.s.findTable(raw[0], raw[1], raw[2], r.location); err != nil {
				return err
			}
		case 2:
			if ds := r.s.lookupDataset(r.project, raw[0]); ds != nil {
				if _, err := r.s.findTable(r.project, raw[0], raw[1], r.location); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// target reads the relation name at toks[i]: project, dataset, table, or
// a temporary (one-part) name, and the index after it.
func (r *run) target(st *stmt, i int) (proj, ds, name string, next int) {
	raw, next := rawPath(st.src, st.toks, i)
	switch len(raw) {
	case 0:
		return "", "", "", next
	case 1:
		return "", "", raw[0], next
	case 2:
		return r.project, raw[0], raw[1], next
	}
	return raw[len(raw)-3], raw[len(raw)-2], raw[len(raw)-1], next
}

// skipWords advances i over the given optional words, in order.
func skipWords(toks []token, i int, words ...string) int {
	for _, w := range words {
		if i < len(toks) && toks[i].is(w) {
			i++
		}
	}
	return i
}

// translator makes the statement's translator, which sees the script's
// variables.
func (r *run) translator(st *stmt) *translator {
	return &translator{src: st.src, project: r.project, vars: r.variable}
}

// translateExpr translates an expression statement (an IF condition, a
// SET value).
func (r *run) translateExpr(st *stmt) (string, *apiError) {
	return r.translate(st, (*translator).seq)
}

// translateStatement translates a query or DML statement.
func (r *run) translateStatement(st *stmt) (string, *apiError) {
	return r.translate(st, (*translator).query)
}

// translate translates st with f and checks the tables it names exist in
// the job's location (BigQuery's not-found messages).
func (r *run) translate(st *stmt, f func(*translator, []node) string) (string, *apiError) {
	ns, err := tree(st.toks)
	if err != nil {
		return "", invalidQuery("%v", err)
	}
	t := r.translator(st)
	out := f(t, ns)
	return out, r.translated(t)
}

// translated reports a translation's error, or a table it names that
// does not exist.
func (r *run) translated(t *translator) *apiError {
	if t.err != nil {
		return invalidQuery("%v", t.err)
	}
	for _, ref := range t.refs {
		if _, err := r.s.findTable(ref[0], ref[1], ref[2], r.location); err != nil {
			return err
		}
	}
	return nil
}
