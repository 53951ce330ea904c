package duckdb

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/mart-dev/mart/warehouse"
)

// schemaDiff is how a batch's columns differ from its table's. Names
// compare case-insensitively, as DuckDB resolves them.
type schemaDiff struct {
	added   []warehouse.Column // in the batch only (with the batch's type)
	removed []warehouse.Column // in the table only
	changed []warehouse.TypeChange
}

func diffSchemas(table, batch []warehouse.Column) schemaDiff {
	var d schemaDiff
	for _, c := range batch {
		t, ok := warehouse.FindColumn(table, c.Name)
		switch {
		case !ok:
			d.added = append(d.added, c)
		case !strings.EqualFold(t.Type, c.Type):
			d.changed = append(d.changed, warehouse.TypeChange{Name: t.Name, From: t.Type, To: c.Type})
		}
	}
	for _, c := range table {
		if _, ok := warehouse.FindColumn(batch, c.Name); !ok {
			d.removed = append(d.removed, c)
		}
	}
	return d
}

func (d schemaDiff) empty() bool {
	return len(d.added) == 0 && len(d.removed) == 0 && len(d.changed) == 0
}

// schemaChange is what on_schema_change decided for one batch.
type schemaChange struct {
	alters  []string           // ALTER TABLE statements, to run before any DML
	changes []string           // what they do, for people
	columns []warehouse.Column // the table's columns afterwards
}

// planSchemaChange applies dbt's on_schema_change rules to a table and a
// batch:
//
//   - ignore: new batch columns are not written; a table column missing from
//     the batch is an error (dbt's insert would fail on it too);
//   - fail: any added, missing or retyped column is an error naming them;
//   - append_new_columns: new columns are added; missing ones stay (NULL in
//     new rows); types are left alone;
//   - sync_all_columns: new columns are added, missing ones dropped, and a
//     retyped column takes the batch's type, unless the batch's type is
//     narrower than the table's (the table's then holds the batch's values
//     and is kept).
func (w *Warehouse) planSchemaChange(r warehouse.Relation, target string, table, batch []warehouse.Column, mode string) (schemaChange, error) {
	d := diffSchemas(table, batch)
	plan := schemaChange{columns: append([]warehouse.Column(nil), table...)}
	if d.empty() {
		return plan, nil
	}
	refuse := func(e *warehouse.SchemaChangeError) error {
		e.Relation, e.OnSchemaChange = r, mode
		return e
	}
	switch mode {
	case "", warehouse.SchemaIgnore:
		if len(d.removed) > 0 {
			return plan, refuse(&warehouse.SchemaChangeError{Removed: d.removed})
		}
		return plan, nil
	case warehouse.SchemaFail:
		return plan, refuse(&warehouse.SchemaChangeError{Added: d.added, Removed: d.removed, Changed: d.changed})
	}
	alter := "ALTER TABLE " + target + " "
	for _, c := range d.added {
		plan.alters = append(plan.alters, alter+"ADD COLUMN "+w.QuoteIdent(c.Name)+" "+c.Type)
		plan.changes = append(plan.changes, fmt.Sprintf("added column %s %s", c.Name, c.Type))
		plan.columns = append(plan.columns, c)
	}
	if mode != warehouse.SchemaSyncAllColumns {
		return plan, nil
	}
	for _, c := range d.changed {
		verb := "changed"
		switch {
		case widens(c.From, c.To):
			verb = "widened"
		case widens(c.To, c.From):
			continue // the table's type already holds the batch's values
		}
		plan.alters = append(plan.alters, alter+"ALTER COLUMN "+w.QuoteIdent(c.Name)+" SET DATA TYPE "+c.To)
		plan.changes = append(plan.changes, fmt.Sprintf("%s column %s from %s to %s", verb, c.Name, c.From, c.To))
		for i := range plan.columns {
			if strings.EqualFold(plan.columns[i].Name, c.Name) {
				plan.columns[i].Type = c.To
			}
		}
	}
	for _, c := range d.removed {
		plan.alters = append(plan.alters, alter+"DROP COLUMN "+w.QuoteIdent(c.Name))
		plan.changes = append(plan.changes, "dropped column "+c.Name)
		kept := plan.columns[:0]
		for _, k := range plan.columns {
			if !strings.EqualFold(k.Name, c.Name) {
				kept = append(kept, k)
			}
		}
		plan.columns = kept
	}
	return plan, nil
}

// writable returns the columns of table that the batch has, in the table's
// order and spelling: what a strategy writes.
func writable(table, batch []warehouse.Column) []warehouse.Column {
	var out []warehouse.Column
	for _, c := range table {
		if _, ok := warehouse.FindColumn(batch, c.Name); ok {
			out = append(out, c)
		}
	}
	return out
}

var (
	intRank = map[string]int{"TINYINT": 1, "SMALLINT": 2, "INTEGER": 3, "BIGINT": 4, "HUGEINT": 5}
	// uintRank: an unsigned type fits the signed type one rank up.
	uintRank = map[string]int{"UTINYINT": 1, "USMALLINT": 2, "UINTEGER": 3, "UBIGINT": 4, "UHUGEINT": 5}
	// intDigits is how many decimal digits each integer type needs.
	intDigits  = map[string]int{"TINYINT": 3, "SMALLINT": 5, "INTEGER": 10, "BIGINT": 19, "HUGEINT": 39, "UTINYINT": 3, "USMALLINT": 5, "UINTEGER": 10, "UBIGINT": 20, "UHUGEINT": 39}
	decimalRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^DECIMAL\((\d+),\s*(\d+)\)$`) })
	timestamps = map[string]int{"DATE": 1, "TIMESTAMP_S": 2, "TIMESTAMP_MS": 3, "TIMESTAMP": 4, "TIMESTAMP_NS": 5}
)

// widens reports whether DuckDB type to holds every value of type from
// without loss: a bigger integer, a float or decimal wide enough, a finer
// timestamp, or text (every value has a text form).
func widens(from, to string) bool {
	from, to = strings.ToUpper(strings.TrimSpace(from)), strings.ToUpper(strings.TrimSpace(to))
	if from == to {
		return false
	}
	if to == "VARCHAR" {
		return true
	}
	if rt, ok := intRank[to]; ok {
		if rf, ok := intRank[from]; ok {
			return rt > rf
		}
		if rf, ok := uintRank[from]; ok {
			return rt > rf
		}
		return false
	}
	if rt, ok := uintRank[to]; ok {
		rf, ok := uintRank[from]
		return ok && rt > rf
	}
	switch to {
	case "DOUBLE":
		return from == "FLOAT" || intRank[from] > 0 && intRank[from] <= 3 || uintRank[from] > 0 && uintRank[from] <= 3
	case "FLOAT":
		return intRank[from] > 0 && intRank[from] <= 2 || uintRank[from] > 0 && uintRank[from] <= 2
	}
	if m := decimalRE().FindStringSubmatch(to); m != nil {
		pt, _ := strconv.Atoi(m[1])
		st, _ := strconv.Atoi(m[2])
		if f := decimalRE().FindStringSubmatch(from); f != nil {
			pf, _ := strconv.Atoi(f[1])
			sf, _ := strconv.Atoi(f[2])
			return st >= sf && pt-st >= pf-sf
		}
		if n, ok := intDigits[from]; ok {
			return pt-st >= n
		}
		return false
	}
	if rt, ok := timestamps[to]; ok {
		rf, ok := timestamps[from]
		return ok && rt > rf
	}
	return false
}
