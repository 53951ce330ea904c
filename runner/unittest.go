package runner

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// runUnitTest renders the model with its inputs replaced by the test's
// given rows (as CTEs: no real table is read or written) and compares the
// result with the expected rows, order-insensitively.
func (r *Runner) runUnitTest(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	spec := n.UnitTest
	where := fmt.Sprintf("unit test %s (%s)", n.Name, n.Path)
	mocks := map[string]string{}
	for _, g := range spec.Given {
		key, err := compiler.InputKey(g.Input)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		rows, err := r.inputRows(g)
		if err != nil {
			return fmt.Errorf("%s: given %s: %w", where, g.Input, err)
		}
		cols, err := r.inputColumns(ctx, key)
		if err != nil {
			return fmt.Errorf("%s: given %s: %w", where, g.Input, err)
		}
		sql, err := r.rowsSQL(rows, cols)
		if err != nil {
			return fmt.Errorf("%s: given %s: %w", where, g.Input, err)
		}
		mocks[key] = sql
	}
	model := r.m.Node(n.AttachedNode)
	sql, err := r.opt.Renderer.RenderNode(ctx, model.UniqueID, compiler.RenderOptions{Log: r.opt.Log, Print: r.opt.Print, Incremental: spec.Incremental,
		Mocks: mocks, Warehouse: r.wh})
	if err != nil {
		return fmt.Errorf("%s: rendering %s: %w", where, model.Name, err)
	}
	actual, err := r.wh.Query(ctx, sql, 0)
	if err != nil {
		return fmt.Errorf("%s: running %s on the given rows: %w", where, model.Name, err)
	}
	expRows, err := r.inputRows(spec.Expect)
	if err != nil {
		return fmt.Errorf("%s: expect: %w", where, err)
	}
	cols := expectedColumns(expRows)
	types := map[string]string{}
	for _, c := range actual.Columns {
		types[strings.ToLower(c.Name)] = c.Type
	}
	var typed []warehouse.Column
	for _, c := range cols {
		t, ok := types[strings.ToLower(c)]
		if !ok {
			var have []string
			for _, ac := range actual.Columns {
				have = append(have, ac.Name)
			}
			return fmt.Errorf("%s: expected column %q is not in %s's output (columns: %s)", where, c, model.Name, strings.Join(have, ", "))
		}
		typed = append(typed, warehouse.Column{Name: c, Type: t})
	}
	var expected *warehouse.Rows
	if len(expRows) > 0 {
		esql, err := r.rowsSQL(expRows, typed)
		if err != nil {
			return fmt.Errorf("%s: expect: %w", where, err)
		}
		if expected, err = r.wh.Query(ctx, esql, 0); err != nil {
			return fmt.Errorf("%s: expected rows do not fit %s's column types: %w", where, model.Name, err)
		}
	} else {
		expected = &warehouse.Rows{}
	}
	missing, extra := diffRows(project(actual, cols), project(expected, cols))
	zero := int64(len(missing) + len(extra))
	res.Failures = &zero
	if zero == 0 {
		res.Status = StatusPass
		res.Message = fmt.Sprintf("%d row%s as expected", len(expRows), plural(int64(len(expRows))))
		return nil
	}
	res.Status = StatusFail
	res.Message = fmt.Sprintf("actual differs from expected (%d missing, %d unexpected)", len(missing), len(extra))
	diff := &warehouse.Rows{Columns: append([]warehouse.Column{{Name: "diff"}}, typed...)}
	for _, m := range missing {
		diff.Values = append(diff.Values, append([]any{"- expected"}, strAny(m)...))
	}
	for _, e := range extra {
		diff.Values = append(diff.Values, append([]any{"+ actual"}, strAny(e)...))
	}
	res.FailingRows = diff
	return nil
}

func strAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// inputRows returns the rows of a given or expect block: inline rows, CSV
// text, or a CSV fixture file (dbt's fixture: name, read from
// <test-path>/fixtures/name.csv).
func (r *Runner) inputRows(in compiler.UnitTestInput) ([]map[string]any, error) {
	if in.Fixture != "" {
		var tried []string
		for _, tp := range r.opt.TestPaths {
			p := filepath.Join(r.opt.ProjectDir, tp, "fixtures", in.Fixture+".csv")
			data, err := os.ReadFile(p)
			if err == nil {
				in.Format, in.CSV = "csv", string(data)
				break
			}
			tried = append(tried, filepath.ToSlash(filepath.Join(tp, "fixtures", in.Fixture+".csv")))
		}
		if in.CSV == "" {
			return nil, fmt.Errorf("fixture %q not found (looked for %s)", in.Fixture, strings.Join(tried, ", "))
		}
	}
	switch in.Format {
	case "", "dict":
		return in.Rows, nil
	case "csv":
		rd := csv.NewReader(strings.NewReader(strings.TrimSpace(in.CSV)))
		recs, err := rd.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("csv rows: %v", err)
		}
		if len(recs) == 0 {
			return nil, nil
		}
		var out []map[string]any
		for _, rec := range recs[1:] {
			m := map[string]any{}
			for i, h := range recs[0] {
				h = strings.TrimSpace(h)
				if i < len(rec) {
					if rec[i] == "" {
						m[h] = nil
					} else {
						m[h] = rec[i]
					}
				}
			}
			out = append(out, m)
		}
		return out, nil
	}
	return nil, fmt.Errorf("format %q is not supported (use dict or csv)", in.Format)
}

func expectedColumns(rows []map[string]any) []string {
	seen := map[string]bool{}
	var cols []string
	for _, r := range rows {
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	return cols
}

// inputColumns returns the real columns of a mocked input, when it exists:
// the relation of the node the model's ref() or source() finds.
func (r *Runner) inputColumns(ctx context.Context, key string) ([]warehouse.Column, error) {
	n := r.opt.Renderer.Target(key)
	if n != nil {
		if run := r.m.Node(n.UniqueID); run != nil {
			n = run // the run's: a --defer run reads a deferred node's relation in the state
		}
	}
	if n == nil || (n.ResourceType == compiler.TypeModel && n.Materialized() == "ephemeral") {
		return nil, nil
	}
	rel := warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias}
	if n.ResourceType == compiler.TypeSource {
		rel.Name = n.Identifier
	}
	cols, _, err := r.wh.Describe(ctx, rel)
	return cols, err
}

// rowsSQL writes rows as a query of literal rows (the warehouse's
// dialect writes it). With known columns every column is present (missing
// values are NULL) and cast to its type, and a key that is not a column is
// an error.
func (r *Runner) rowsSQL(rows []map[string]any, cols []warehouse.Column) (string, error) {
	if len(cols) == 0 {
		for _, c := range expectedColumns(rows) {
			cols = append(cols, warehouse.Column{Name: c})
		}
	}
	if len(cols) == 0 {
		return "", fmt.Errorf("no rows and no known columns: give at least one row, or build the input first")
	}
	index := make(map[string]int, len(cols))
	names := make([]string, len(cols))
	for i, c := range cols {
		index[strings.ToLower(c.Name)] = i
		names[i] = c.Name
	}
	values := make([][]any, len(rows))
	for i, row := range rows {
		values[i] = make([]any, len(cols))
		for k, v := range row {
			j, ok := index[strings.ToLower(k)]
			if !ok {
				return "", fmt.Errorf("row %d has column %q, which the input does not have (its columns: %s)", i+1, k, strings.Join(names, ", "))
			}
			values[i][j] = v
		}
	}
	return r.wh.ValuesQuery(cols, values), nil
}

// project keeps the named columns of rows, as comparable strings.
func project(rows *warehouse.Rows, cols []string) [][]string {
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, rc := range rows.Columns {
			if strings.EqualFold(rc.Name, c) {
				idx[i] = j
			}
		}
	}
	out := make([][]string, 0, len(rows.Values))
	for _, v := range rows.Values {
		line := make([]string, len(cols))
		for i, j := range idx {
			if j >= 0 {
				line[i] = cell(v[j])
			}
		}
		out = append(out, line)
	}
	return out
}

func cell(v any) string {
	switch t := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return t.Format("2006-01-02 15:04:05.999999")
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// diffRows returns the rows of want missing from got, and the rows of got
// not in want, as multisets.
func diffRows(got, want [][]string) (missing, extra [][]string) {
	key := func(r []string) string { return strings.Join(r, "\x00") }
	count := map[string]int{}
	for _, r := range got {
		count[key(r)]++
	}
	for _, r := range want {
		k := key(r)
		if count[k] > 0 {
			count[k]--
		} else {
			missing = append(missing, r)
		}
	}
	for _, r := range got {
		k := key(r)
		if count[k] > 0 {
			count[k]--
			extra = append(extra, r)
		}
	}
	return missing, extra
}
