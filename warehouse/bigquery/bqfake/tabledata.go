package bqfake

import (
	"fmt"
	"net/http"
	"strconv"

	bq "google.golang.org/api/bigquery/v2"
)

// tabledata.list: a table's rows, in pages (startIndex or pageToken, and
// maxResults).
func (s *Server) listTableData(w http.ResponseWriter, r *http.Request, p []string) {
	q := r.URL.Query()
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.findTable(p[0], p[1], p[2], "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	if t.kind != "TABLE" {
		writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf("Cannot list a table of type %s.", t.kind))
		return
	}
	start, _ := strconv.Atoi(q.Get("startIndex"))
	if tok := q.Get("pageToken"); tok != "" {
		start, _ = strconv.Atoi(tok)
	}
	size := 100000
	if v, err := strconv.Atoi(q.Get("maxResults")); err == nil && v > 0 {
		size = v
	}
	out := &bq.TableDataList{Kind: "bigquery#tableDataList", TotalRows: t.numRows}
	if t.stored {
		rel := duckRel(t.project, t.dataset, t.id)
		n, err := count(r.Context(), s.eng.db, rel)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "internalError", "bqfake: "+err.Error())
			return
		}
		out.TotalRows = n
		res, err := readResult(r.Context(), s.eng.db, fmt.Sprintf("SELECT * FROM %s LIMIT %d OFFSET %d", rel, size, start))
		if err != nil {
			writeError(w, http.StatusInternalServerError, "internalError", "bqfake: "+err.Error())
			return
		}
		int64TS := q.Get("formatOptions.useInt64Timestamp") == "true"
		for _, row := range res.Rows {
			out.Rows = append(out.Rows, encodeRow(res.Schema, row, int64TS))
		}
	}
	if next := int64(start + size); next < out.TotalRows {
		out.PageToken = strconv.FormatInt(next, 10)
	}
	writeJSON(w, out)
}
