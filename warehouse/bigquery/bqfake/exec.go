package bqfake

import (
	"context"
	"database/sql"
	"net/http"
)

// run is one execution of a query job's script: against the catalog
// (s.mu held, except while DuckDB works) and the job's DuckDB connection.
type run struct {
	s        *Server
	ctx      context.Context
	conn     *sql.Conn
	project  string // the job's project: default for two-part names
	location string
	dryRun   bool
	inTx     bool
	txSnap   map[string]*project
	caught   *apiError // the error an exception handler is handling
	temps    map[string]bool
	vars     map[string]*bqType // declared variables by lower-case name (nil type: inferred)
	rowCount *int64             // @@row_count
	result   *Result            // the last SELECT's result
	dml      [3]int64           // rows inserted, updated, deleted
}

func (s *Server) newRun(ctx context.Context, conn *sql.Conn, projectID, location string, dryRun bool) *run {
	return &run{s: s, ctx: ctx, conn: conn, project: projectID, location: location, dryRun: dryRun,
		temps: map[string]bool{}, vars: map[string]*bqType{}}
}

// script runs a statement list; on an error inside a transaction that is
// not handled, the transaction is rolled back.
func (r *run) script(list []*stmt) *apiError {
	err := r.list(list)
	if r.inTx {
		r.rollback()
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
		if err == nil || !st.hasHandler || err.Reason == "stopped" {
			return err
		}
		outer := r.caught
		r.caught = err
		defer func() { r.caught = outer }()
		return r.list(st.handler)
	case "if":
		return r.ifStatement(st)
	case "begin":
		if r.inTx {
			return invalidQuery("Nested transactions are not supported")
		}
		if _, err := r.duckExec("BEGIN TRANSACTION"); err != nil {
			return err
		}
		r.inTx, r.txSnap = true, r.s.snapshot()
		return nil
	case "commit":
		if !r.inTx {
			return invalidQuery("COMMIT TRANSACTION without an active transaction")
		}
		if _, err := r.duckExec("COMMIT"); err != nil {
			r.rollback()
			return err
		}
		r.inTx, r.txSnap = false, nil
		return nil
	case "rollback":
		if !r.inTx {
			return invalidQuery("ROLLBACK TRANSACTION without an active transaction")
		}
		r.rollback()
		return nil
	case "raise":
		return r.raise(st)
	}
	if f := r.s.failureFor(st.src, r.dryRun); f != nil {
		return &apiError{failureCode(f.Reason), f.Reason, f.Message}
	}
	return r.exec(st)
}

// rollback ends the transaction: DuckDB's, and the catalog's snapshot.
func (r *run) rollback() {
	_, _ = r.duckExec("ROLLBACK")
	r.s.projects, r.inTx, r.txSnap = r.txSnap, false, nil
}

// ifStatement runs the first branch whose condition is TRUE (a dry run:
// the first branch).
func (r *run) ifStatement(st *stmt) *apiError {
	for _, b := range st.branches {
		if b.cond == nil || r.dryRun {
			return r.list(b.body)
		}
		ok, err := r.condition(b.cond)
		if err != nil {
			return err
		}
		if ok {
			return r.list(b.body)
		}
	}
	return nil
}

// condition evaluates an IF condition; NULL is not TRUE.
func (r *run) condition(cond *stmt) (bool, *apiError) {
	expr, err := r.translateExpr(cond)
	if err != nil {
		return false, err
	}
	var ok sql.NullBool
	if err := r.duckScalar("SELECT CAST(("+expr+") AS BOOLEAN)", &ok); err != nil {
		return false, err
	}
	return ok.Valid && ok.Bool, nil
}

// raise is RAISE [USING MESSAGE = expr]: without a message it raises the
// error being handled again.
func (r *run) raise(st *stmt) *apiError {
	toks := st.toks
	if len(toks) == 1 {
		if r.caught != nil {
			return r.caught
		}
		return invalidQuery("RAISE is only allowed in an exception handler")
	}
	if len(toks) < 5 || !toks[1].is("USING") || !toks[2].is("MESSAGE") || toks[3].text != "=" {
		return invalidQuery("Syntax error: expected RAISE USING MESSAGE = ...")
	}
	msg := &stmt{src: st.src, toks: toks[4:], kind: "simple"}
	if r.dryRun {
		return nil
	}
	expr, err := r.translateExpr(msg)
	if err != nil {
		return err
	}
	var text sql.NullString
	if err := r.duckScalar("SELECT CAST(("+expr+") AS VARCHAR)", &text); err != nil {
		return err
	}
	return &apiError{http.StatusBadRequest, "invalidQuery", text.String}
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

// exec runs one simple statement.
func (r *run) exec(st *stmt) *apiError {
	if len(st.toks) == 0 {
		return nil
	}
	switch st.toks[0].text {
	case "CREATE":
		return r.create(st)
	case "DROP":
		return r.drop(st)
	case "ALTER":
		return r.alter(st)
	case "DECLARE":
		return r.declare(st)
	case "SET":
		return r.set(st)
	case "SELECT", "WITH", "(":
		return r.selectStatement(st)
	case "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE":
		return r.dmlStatement(st)
	}
	return invalidQuery("bqfake: %s statements are not supported", st.toks[0].text)
}
