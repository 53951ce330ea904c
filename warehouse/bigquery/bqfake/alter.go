package bqfake

import (
	"net/http"
	"slices"
	"strings"
)

func (r *run) drop(st *stmt, skip map[int]bool) *apiError {
	toks := st.toks
	i := skipWords(toks, 1, "TEMP", "TEMPORARY")
	if i >= len(toks) || (!toks[i].is("TABLE") && !toks[i].is("VIEW")) {
		return nil
	}
	kind := toks[i].text
	i++
	ifExists := i+1 < len(toks) && toks[i].is("IF") && toks[i+1].is("EXISTS")
	i = skipWords(toks, i, "IF", "EXISTS")
	proj, dsName, name, next := r.target(st, i)
	for k := i; k < next; k++ {
		skip[k] = true
	}
	if proj == "" {
		delete(r.temps, name)
		return nil
	}
	if r.inTx {
		return invalidQuery("DROP %s on the permanent table %s.%s.%s is not supported inside a multi-statement transaction", kind, proj, dsName, name)
	}
	ds, err := r.s.findDataset(proj, dsName, r.location)
	if err != nil {
		if ifExists && err.Code == http.StatusNotFound && r.s.lookupDataset(proj, dsName) == nil {
			return nil
		}
		return err
	}
	t := ds.tables[name]
	full := proj + ":" + dsName + "." + name
	switch {
	case t == nil && ifExists:
		return nil
	case t == nil:
		return notFound("Not found: Table %s", full)
	case t.kind != kind:
		return invalidQuery("%s is a %s, not a %s: use DROP %s", full, strings.ToLower(t.kind), strings.ToLower(kind), t.kind)
	}
	if !r.dryRun {
		delete(ds.tables, name)
	}
	return nil
}

// alter handles ALTER TABLE ... RENAME TO, ADD COLUMN, DROP COLUMN; other
// actions (SET OPTIONS, ALTER COLUMN) only need the table to exist.
func (r *run) alter(st *stmt, skip map[int]bool) *apiError {
	toks := st.toks
	if len(toks) < 3 || (!toks[1].is("TABLE") && !toks[1].is("VIEW")) {
		return nil
	}
	i := skipWords(toks, 2, "IF", "EXISTS")
	proj, dsName, name, next := r.target(st, i)
	for k := i; k < next; k++ {
		skip[k] = true
	}
	if proj == "" {
		return nil
	}
	if r.inTx {
		return invalidQuery("ALTER %s on the permanent table %s.%s.%s is not supported inside a multi-statement transaction", toks[1].text, proj, dsName, name)
	}
	t, err := r.s.findTable(proj, dsName, name, r.location)
	if err != nil {
		return err
	}
	if r.dryRun {
		return nil
	}
	work := *t
	work.schema = slices.Clone(t.schema)
	for i = next; i < len(toks); i++ {
		switch {
		case toks[i].is("RENAME") && i+2 < len(toks) && toks[i+1].is("TO"):
			raw, _ := rawPath(st.src, toks, i+2)
			skip[i+2] = true
			ds := r.s.projects[proj].datasets[dsName]
			newName := raw[len(raw)-1]
			if ds.tables[newName] != nil {
				return &apiError{http.StatusConflict, "duplicate", "Already Exists: Table " + proj + ":" + dsName + "." + newName}
			}
			delete(ds.tables, name)
			work.id = newName
			ds.tables[newName] = &work
			return nil
		case toks[i].is("ADD") && i+1 < len(toks) && toks[i+1].is("COLUMN"):
			j := skipWords(toks, i+2, "IF", "NOT", "EXISTS")
			ifNot := j > i+2
			raw, after := rawPath(st.src, toks, j)
			if len(raw) != 1 || after >= len(toks) {
				return invalidQuery("Syntax error: expected a column name and type after ADD COLUMN")
			}
			if hasColumn(work.schema, raw[0]) {
				if ifNot {
					continue
				}
				return invalidQuery("Column already exists: %s", raw[0])
			}
			work.schema = append(work.schema, Field{Name: raw[0], Type: toks[after].text})
		case toks[i].is("DROP") && i+1 < len(toks) && toks[i+1].is("COLUMN"):
			j := skipWords(toks, i+2, "IF", "EXISTS")
			ifExists := j > i+2
			raw, _ := rawPath(st.src, toks, j)
			if len(raw) != 1 {
				return invalidQuery("Syntax error: expected a column name after DROP COLUMN")
			}
			if !hasColumn(work.schema, raw[0]) {
				if ifExists {
					continue
				}
				return invalidQuery("Column not found: %s", raw[0])
			}
			work.schema = slices.DeleteFunc(work.schema, func(f Field) bool { return strings.EqualFold(f.Name, raw[0]) })
		case toks[i].is("SET") && i+1 < len(toks) && toks[i+1].is("OPTIONS"):
			if hasWord(toks[i:], "EXPIRATION_TIMESTAMP") {
				work.expirationMs = expiration(st, i)
			}
		}
	}
	*t = work
	return nil
}

func hasColumn(fields []Field, name string) bool {
	return slices.ContainsFunc(fields, func(f Field) bool { return strings.EqualFold(f.Name, name) })
}
