package bqfake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// run is one execution of a query job's script against the catalog. It is
// used with s.mu held.
type run struct {
	s        *Server
	project  string // the job's project: default for two-part names
	location string
	dryRun   bool
	inTx     bool
	txSnap   map[string]*project
	caught   *apiError // the error an exception handler is handling
	temps    map[string]bool
	last     *stmt // the last simple statement run
	dml      [3]int64
}

func (s *Server) newRun(projectID, location string, dryRun bool) *run {
	return &run{s: s, project: projectID, location: location, dryRun: dryRun, temps: map[string]bool{}}
}

// script runs a statement list; on an error inside a transaction that is
// not handled, the transaction is rolled back.
func (r *run) script(list []*stmt) *apiError {
	err := r.list(list)
	if r.inTx {
		r.s.projects, r.inTx = r.txSnap, false
		if err == nil {
			err = invalidQuery("Transaction started in the script was not committed by its end; it was rolled back")
		}
	}
	return err
}

func (r *run) list(list []*stmt) *apiError {
	for _, st := range list {
		if err := r.one(st); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) one(st *stmt) *apiError {
	switch st.kind {
	case "block":
		err := r.list(st.body)
		if err == nil || !st.hasHandler {
			return err
		}
		outer := r.caught
		r.caught = err
		defer func() { r.caught = outer }()
		return r.list(st.handler)
	case "if":
		return r.list(st.body)
	case "begin":
		if r.inTx {
			return invalidQuery("Nested transactions are not supported")
		}
		r.inTx, r.txSnap = true, r.s.snapshot()
		return nil
	case "commit":
		if !r.inTx {
			return invalidQuery("COMMIT TRANSACTION without an active transaction")
		}
		r.inTx, r.txSnap = false, nil
		return nil
	case "rollback":
		if !r.inTx {
			return invalidQuery("ROLLBACK TRANSACTION without an active transaction")
		}
		r.s.projects, r.inTx, r.txSnap = r.txSnap, false, nil
		return nil
	case "raise":
		return r.raise(st)
	}
	r.last = st
	if f := r.s.failureFor(st.src, r.dryRun); f != nil {
		return &apiError{failureCode(f.Reason), f.Reason, f.Message}
	}
	return r.exec(st)
}

func (r *run) raise(st *stmt) *apiError {
	msg := ""
	for i, t := range st.toks {
		if t.is("MESSAGE") && i+2 < len(st.toks) {
			if v := st.toks[i+2]; v.kind == 's' {
				msg = v.text
			} else if r.caught != nil {
				msg = r.caught.Message // @@error.message
			}
		}
	}
	if msg == "" && r.caught != nil {
		return r.caught
	}
	if msg == "" && len(st.toks) > 1 {
		return invalidQuery("RAISE USING MESSAGE needs a message")
	}
	if msg == "" {
		return invalidQuery("RAISE is only allowed in an exception handler")
	}
	return &apiError{http.StatusBadRequest, "invalidQuery", msg}
}

func failureCode(reason string) int {
	switch reason {
	case "notFound":
		return http.StatusNotFound
	case "accessDenied":
		return http.StatusForbidden
	case "duplicate":
		return http.StatusConflict
	case "rateLimitExceeded", "jobRateLimitExceeded":
		return http.StatusTooManyRequests
	case "backendError", "internalError", "jobBackendError", "jobInternalError":
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// exec applies one simple statement: reference checks and DDL effects.
func (r *run) exec(st *stmt) *apiError {
	toks := st.toks
	if len(toks) == 0 {
		return nil
	}
	skip := map[int]bool{}
	var err *apiError
	switch toks[0].text {
	case "CREATE":
		err = r.create(st, skip)
	case "DROP":
		err = r.drop(st, skip)
	case "ALTER":
		err = r.alter(st, skip)
	case "INSERT", "MERGE", "DELETE", "UPDATE", "TRUNCATE":
		if res, ok := r.s.resultFor(st.src); ok {
			r.dml[0] += res.Inserted
			r.dml[1] += res.Updated
			r.dml[2] += res.Deleted
		}
	}
	if err != nil {
		return err
	}
	if r.dryRun && (toks[0].text == "CREATE" || toks[0].text == "DROP" || toks[0].text == "ALTER") {
		return nil
	}
	return r.checkRefs(st, skip)
}

// checkRefs checks that every backticked project.dataset.table path (and
// dataset.table path of an existing dataset) of st exists in the job's
// location, except the token positions in skip.
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

func (r *run) create(st *stmt, skip map[int]bool) *apiError {
	toks := st.toks
	i := skipWords(toks, 1, "OR", "REPLACE")
	orReplace := i == 3
	temp := i < len(toks) && (toks[i].is("TEMP") || toks[i].is("TEMPORARY"))
	i = skipWords(toks, i, "TEMP", "TEMPORARY")
	if i >= len(toks) || (!toks[i].is("TABLE") && !toks[i].is("VIEW")) {
		return nil // schemas, functions, ...: not modelled
	}
	kind := toks[i].text
	i++
	ifNotExists := i+2 < len(toks) && toks[i].is("IF") && toks[i+1].is("NOT")
	i = skipWords(toks, i, "IF", "NOT", "EXISTS")
	proj, dsName, name, next := r.target(st, i)
	for k := i; k < next; k++ {
		skip[k] = true
	}
	if temp || proj == "" {
		r.temps[name] = true
		return nil
	}
	if r.inTx {
		return invalidQuery("CREATE %s on the permanent table %s.%s.%s is not supported inside a multi-statement transaction", kind, proj, dsName, name)
	}
	if err := r.checkRefs(st, skip); err != nil {
		return err
	}
	ds, err := r.s.findDataset(proj, dsName, r.location)
	if err != nil {
		return err
	}
	full := proj + ":" + dsName + "." + name
	old := ds.tables[name]
	if old != nil && !orReplace {
		if ifNotExists {
			return nil
		}
		return &apiError{http.StatusConflict, "duplicate", "Already Exists: Table " + full}
	}
	if old != nil && old.kind != kind {
		return invalidQuery("%s %s already exists and is a %s; it cannot be replaced by a %s", strings.ToLower(old.kind), full, strings.ToLower(old.kind), strings.ToLower(kind))
	}
	t := &table{project: proj, dataset: dsName, id: name, kind: kind, createdMs: r.s.now().UnixMilli()}
	if kind == "VIEW" {
		t.viewQuery = st.src
	} else {
		t.partition, t.clustering = partitionSpec(st, next)
		if old != nil && old.partition.String() != t.partition.String() {
			return invalidQuery("Cannot replace a table with a different partitioning spec. Instead, DROP the table, and then recreate it. New partitioning spec is %s and existing spec is %s.", t.partition, old.partition)
		}
		t.expirationMs = expiration(st, next)
	}
	if res, ok := r.s.resultFor(st.src); ok {
		t.schema = slices.Clone(res.Schema)
		t.numRows = res.NumRows
		if t.numRows == 0 {
			t.numRows = int64(len(res.Rows))
		}
	}
	if !r.dryRun {
		ds.tables[name] = t
	}
	return nil
}

// partitionSpec reads PARTITION BY and CLUSTER BY of a CREATE TABLE.
func partitionSpec(st *stmt, i int) (*Partitioning, []string) {
	toks := st.toks
	var part *Partitioning
	var cluster []string
	for ; i < len(toks) && !toks[i].is("AS") && !toks[i].is("OPTIONS") && !toks[i].is("COPY") && !toks[i].is("CLONE"); i++ {
		switch {
		case toks[i].is("PARTITION") && i+2 < len(toks):
			part = partitionExpr(st, i+2)
		case toks[i].is("CLUSTER") && i+2 < len(toks):
			for j := i + 2; j < len(toks); j += 2 {
				raw, _ := rawPath(st.src, toks, j)
				if len(raw) == 0 {
					break
				}
				cluster = append(cluster, raw[len(raw)-1])
				if j+1 >= len(toks) || toks[j+1].text != "," {
					break
				}
			}
		}
	}
	return part, cluster
}

// partitionExpr understands col, DATE(col), TIMESTAMP_TRUNC(col, UNIT),
// DATETIME_TRUNC, DATE_TRUNC and RANGE_BUCKET(col, GENERATE_ARRAY(a, b, c)).
func partitionExpr(st *stmt, i int) *Partitioning {
	toks := st.toks
	if i+1 < len(toks) && toks[i+1].text == "(" {
		fn := toks[i].text
		raw, next := rawPath(st.src, toks, i+2)
		if len(raw) == 0 {
			return nil
		}
		col := raw[len(raw)-1]
		switch fn {
		case "DATE":
			return &Partitioning{Type: "DAY", Field: col}
		case "TIMESTAMP_TRUNC", "DATETIME_TRUNC", "DATE_TRUNC":
			if next+1 < len(toks) {
				return &Partitioning{Type: toks[next+1].text, Field: col}
			}
		case "RANGE_BUCKET":
			var nums []int64
			for _, t := range toks[next:] {
				if t.kind == 'n' {
					n, _ := strconv.ParseInt(t.text, 10, 64)
					nums = append(nums, n)
				}
				if len(nums) == 3 {
					return &Partitioning{Type: "RANGE", Field: col, Start: nums[0], End: nums[1], Interval: nums[2]}
				}
			}
		}
		return nil
	}
	raw, _ := rawPath(st.src, toks, i)
	if len(raw) == 0 {
		return nil
	}
	return &Partitioning{Type: "DAY", Field: raw[len(raw)-1]}
}

// expiration reports a non-NULL expiration_timestamp option as a
// placeholder time (the fake does not evaluate expressions).
func expiration(st *stmt, i int) int64 {
	for ; i+2 < len(st.toks); i++ {
		if st.toks[i].is("EXPIRATION_TIMESTAMP") && st.toks[i+1].text == "=" && !st.toks[i+2].is("NULL") {
			return 1
		}
	}
	return 0
}
