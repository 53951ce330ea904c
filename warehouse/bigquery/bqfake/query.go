package bqfake

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	bq "google.golang.org/api/bigquery/v2"
)

// startQuery parses a query job and starts running it.
func (s *Server) startQuery(j *job) {
	stmts, err := parseScript(j.Query)
	if err != nil {
		j.StatementType = ""
		s.finish(j, invalidQuery("%s", err.Error()), 0, nil)
		j.cancel()
		close(j.done)
		return
	}
	j.stmts = stmts
	j.StatementType = statementType(stmts)
	var wait time.Duration
	for _, st := range flatten(stmts) {
		if res, ok := s.resultFor(st.src); ok {
			wait = max(wait, res.Duration)
		}
	}
	if j.DryRun {
		wait = 0
	}
	j.delayed = wait > 0
	s.jobsWG.Add(1)
	go s.runJob(j, wait)
}

// runJob runs a job, after its scripted running time, unless it is
// cancelled first. Jobs run one at a time (Server.work).
func (s *Server) runJob(j *job, wait time.Duration) {
	defer s.jobsWG.Done()
	defer close(j.done)
	defer j.cancel()
	if wait > 0 {
		select {
		case <-time.After(wait):
		case <-j.ctx.Done():
		}
	}
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.State == "DONE" { // cancelled
		return
	}
	if err := j.ctx.Err(); err != nil { // timed out while waiting
		s.finish(j, stopError(err), 0, nil)
		return
	}
	if j.Type == "LOAD" {
		s.completeLoad(j)
		return
	}
	s.complete(j)
}

// complete runs a query job's script and marks it done (s.work and s.mu
// held).
func (s *Server) complete(j *job) {
	processed := s.estimate(j.stmts)
	if !j.DryRun && j.MaximumBytesBilled > 0 && billedBytes(processed) > j.MaximumBytesBilled {
		s.finish(j, &apiError{http.StatusBadRequest, "bytesBilledLimitExceeded", fmt.Sprintf(
			"Query exceeded limit for bytes billed: %d. %d or higher required.", j.MaximumBytesBilled, billedBytes(processed))}, processed, nil)
		return
	}
	conn, cerr := s.eng.db.Conn(j.ctx)
	if cerr != nil {
		s.finish(j, &apiError{http.StatusInternalServerError, "internalError", "bqfake: " + cerr.Error()}, 0, nil)
		return
	}
	rn := s.newRun(j.ctx, conn, j.Project, j.Location, j.DryRun)
	err := rn.script(j.stmts)
	_ = conn.Close()
	if j.State == "DONE" { // cancelled meanwhile
		return
	}
	j.result = rn.result
	s.finish(j, err, processed, func(st *bq.JobStatistics) {
		q := &bq.JobStatistics2{
			StatementType:       j.StatementType,
			TotalBytesProcessed: processed,
			TotalBytesBilled:    billedBytes(processed),
			TotalSlotMs:         slotMs(processed),
		}
		if j.DryRun {
			q.TotalBytesBilled = 0
		}
		if j.result != nil {
			q.Schema = apiSchema(j.result.Schema)
		}
		if n := rn.dml[0] + rn.dml[1] + rn.dml[2]; n > 0 || isDML(j.StatementType) {
			q.NumDmlAffectedRows = n
			q.DmlStats = &bq.DmlStatistics{InsertedRowCount: rn.dml[0], UpdatedRowCount: rn.dml[1], DeletedRowCount: rn.dml[2]}
		}
		st.Query = q
	})
}

func isDML(statementType string) bool {
	switch statementType {
	case "INSERT", "MERGE", "UPDATE", "DELETE":
		return true
	}
	return false
}

// estimate is the bytes a script processes: scripted per statement, else
// 1 MiB per distinct table a statement reads (a backticked three-part name
// that is not the statement's DDL or INSERT target).
func (s *Server) estimate(stmts []*stmt) int64 {
	var total int64
	for _, st := range flatten(stmts) {
		if res, ok := s.resultFor(st.src); ok && res.BytesProcessed > 0 {
			total += res.BytesProcessed
			continue
		}
		reads := map[string]bool{}
		first := true
		for i := 0; i < len(st.toks); i++ {
			if st.toks[i].kind != 'q' || (i > 0 && st.toks[i-1].text == ".") {
				continue
			}
			parts, _, next := path(st.toks, i)
			i = next - 1
			if len(parts) != 3 {
				continue
			}
			if first {
				first = false
				switch st.toks[0].text {
				case "CREATE", "DROP", "ALTER", "INSERT":
					continue
				}
			}
			reads[strings.Join(parts, ".")] = true
		}
		total += int64(len(reads)) << 20
	}
	return total
}

func encodeRow(schema []Field, row []any, int64TS bool) *bq.TableRow {
	out := &bq.TableRow{}
	for i, f := range schema {
		var v any
		if i < len(row) {
			v = row[i]
		}
		out.F = append(out.F, &bq.TableCell{V: encodeCell(f, v, int64TS)})
	}
	return out
}

// encodeCell renders a value of field f: a scalar's string, a STRUCT's
// {"f": [cells]}, a REPEATED field's [{"v": ...}].
func encodeCell(f Field, v any, int64TS bool) any {
	if f.Mode == "REPEATED" {
		cells := []any{}
		xs, _ := v.([]any)
		elem := f
		elem.Mode = ""
		for _, x := range xs {
			cells = append(cells, map[string]any{"v": encodeCell(elem, x, int64TS)})
		}
		return cells
	}
	if f.Fields != nil {
		xs, ok := v.([]any)
		if !ok {
			return nil
		}
		return encodeRow(f.Fields, xs, int64TS)
	}
	return encodeValue(f.Type, v, int64TS)
}

// encodeValue renders a Go value the way BigQuery sends it: a string (or
// null).
func encodeValue(typ string, v any, int64TS bool) any {
	if v == nil {
		return nil
	}
	switch x := v.(type) {
	case time.Time:
		switch apiType(typ) {
		case "DATE":
			return x.Format("2006-01-02")
		case "TIME":
			return x.Format("15:04:05.999999")
		case "DATETIME":
			return x.Format("2006-01-02T15:04:05.999999")
		case "TIMESTAMP":
			if int64TS {
				return strconv.FormatInt(x.UnixMicro(), 10)
			}
			return strconv.FormatFloat(float64(x.UnixMicro())/1e6, 'E', -1, 64)
		}
		return x.String()
	case float64:
		switch {
		case math.IsInf(x, 1):
			return "Infinity"
		case math.IsInf(x, -1):
			return "-Infinity"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	}
	return fmt.Sprint(v)
}
