package compiler

import (
	"fmt"
	"strconv"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

// Table is a query's result as templates see it, shaped like the agate
// table dbt's run_query returns: table.rows (each indexable by number or
// column name), table.columns (by number or name, each with .name and
// .values()), table.column_names, and iteration over the rows.
type Table struct {
	cols []warehouse.Column
	rows [][]any
}

func newTable(r *warehouse.Rows) *Table {
	if r == nil {
		return &Table{}
	}
	return &Table{cols: r.Columns, rows: r.Values}
}

// Items are the rows.
func (t *Table) Items() []any {
	out := make([]any, len(t.rows))
	for i := range t.rows {
		out[i] = &TableRow{t: t, i: i}
	}
	return out
}

func (t *Table) Attr(name string) (any, bool) {
	switch name {
	case "rows":
		return &jinja.List{Items: t.Items()}, true
	case "columns":
		return &tableColumns{t: t}, true
	case "column_names":
		names := make([]any, len(t.cols))
		for i, c := range t.cols {
			names[i] = c.Name
		}
		return &jinja.List{Items: names}, true
	case "column_types":
		types := make([]any, len(t.cols))
		for i, c := range t.cols {
			types[i] = c.Type
		}
		return &jinja.List{Items: types}, true
	case "print_table", "print_json":
		return jinja.Func(func([]any, map[string]any) (any, error) { return "", nil }), true
	}
	return nil, false
}

func (t *Table) column(key string) (int, bool) {
	if i, err := strconv.Atoi(key); err == nil {
		if i < 0 {
			i += len(t.cols)
		}
		return i, i >= 0 && i < len(t.cols)
	}
	for i, c := range t.cols {
		if c.Name == key {
			return i, true
		}
	}
	return 0, false
}

// TableRow is one row: row[0], row['name'], row.name, iteration.
type TableRow struct {
	t *Table
	i int
}

func (r *TableRow) Items() []any { return r.t.rows[r.i] }

func (r *TableRow) Attr(name string) (any, bool) {
	j, ok := r.t.column(name)
	if !ok {
		return nil, false
	}
	return r.t.rows[r.i][j], true
}

// tableColumns is table.columns.
type tableColumns struct{ t *Table }

func (c *tableColumns) Items() []any {
	out := make([]any, len(c.t.cols))
	for j := range c.t.cols {
		out[j] = &TableColumn{t: c.t, j: j}
	}
	return out
}

func (c *tableColumns) Attr(name string) (any, bool) {
	j, ok := c.t.column(name)
	if !ok {
		return nil, false
	}
	return &TableColumn{t: c.t, j: j}, true
}

// TableColumn is one column: .name, .data_type, .values().
type TableColumn struct {
	t *Table
	j int
}

func (c *TableColumn) Attr(name string) (any, bool) {
	switch name {
	case "name":
		return c.t.cols[c.j].Name, true
	case "data_type":
		return c.t.cols[c.j].Type, true
	case "values", "values_distinct":
		distinct := name == "values_distinct"
		return jinja.Func(func([]any, map[string]any) (any, error) {
			out := make([]any, 0, len(c.t.rows))
			seen := map[string]bool{}
			for _, r := range c.t.rows {
				v := r[c.j]
				if distinct {
					k := fmt.Sprintf("%T %v", v, v)
					if seen[k] {
						continue
					}
					seen[k] = true
				}
				out = append(out, v)
			}
			return &jinja.List{Items: out, Tuple: true}, nil
		}), true
	}
	return nil, false
}
