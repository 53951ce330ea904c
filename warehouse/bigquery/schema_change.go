package bigquery

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/mart-dev/mart/warehouse"
)

// schemaPlan is what on_schema_change decided for one batch: statements to
// run before the rows change (adds, widenings), after they changed (drops),
// and to undo the adds if the change fails.
type schemaPlan struct {
	before, after, undo []string
	changes             []string           // for people
	columns             []warehouse.Column // the table's columns once applied
}

// planSchemaChange applies dbt's on_schema_change rules, as the DuckDB
// adapter does, within what BigQuery's ALTER TABLE can do:
//
//   - ignore: new batch columns are not written; a table column missing from
//     the batch is an error;
//   - fail: any added, missing or retyped column is an error;
//   - append_new_columns: new columns are added (NULL in old rows);
//   - sync_all_columns: also drops the columns the batch lacks (after the
//     rows are written) and widens retyped ones where BigQuery can (INT64 to
//     NUMERIC, BIGNUMERIC or FLOAT64; NUMERIC to BIGNUMERIC or FLOAT64;
//     longer STRING/BYTES); a narrower batch type is written as is; any other
//     type change is an error asking for --full-refresh.
func planSchemaChange(r warehouse.Relation, target string, table, batch []warehouse.Column, mode string) (schemaPlan, error) {
	plan := schemaPlan{columns: append([]warehouse.Column(nil), table...)}
	added, removed, changed := diffColumns(table, batch)
	if len(added)+len(removed)+len(changed) == 0 {
		return plan, nil
	}
	refuse := func(e *warehouse.SchemaChangeError) error {
		e.Relation, e.OnSchemaChange = r, mode
		return e
	}
	switch mode {
	case "", warehouse.SchemaIgnore:
		if len(removed) > 0 {
			return plan, refuse(&warehouse.SchemaChangeError{Removed: removed})
		}
		return plan, nil
	case warehouse.SchemaFail:
		return plan, refuse(&warehouse.SchemaChangeError{Added: added, Removed: removed, Changed: changed})
	}
	alter := "ALTER TABLE " + target + " "
	for _, c := range added {
		plan.before = append(plan.before, alter+"ADD COLUMN "+quoteIdent(c.Name)+" "+c.Type)
		plan.undo = append(plan.undo, alter+"DROP COLUMN IF EXISTS "+quoteIdent(c.Name))
		plan.changes = append(plan.changes, fmt.Sprintf("added column %s %s", c.Name, c.Type))
		plan.columns = append(plan.columns, c)
	}
	if mode != warehouse.SchemaSyncAllColumns {
		return plan, nil
	}
	var refused []warehouse.TypeChange
	for _, c := range changed {
		switch {
		case widens(c.From, c.To):
			plan.before = append(plan.before, alter+"ALTER COLUMN "+quoteIdent(c.Name)+" SET DATA TYPE "+c.To)
			plan.changes = append(plan.changes, fmt.Sprintf("widened column %s from %s to %s", c.Name, c.From, c.To))
			for i := range plan.columns {
				if strings.EqualFold(plan.columns[i].Name, c.Name) {
					plan.columns[i].Type = c.To
				}
			}
		case widens(c.To, c.From): // the table's type holds the batch's values
		default:
			refused = append(refused, c)
		}
	}
	if len(refused) > 0 {
		return plan, refuse(&warehouse.SchemaChangeError{Changed: refused})
	}
	for _, c := range removed {
		plan.after = append(plan.after, alter+"DROP COLUMN "+quoteIdent(c.Name))
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

// diffColumns compares a table's columns with a batch's (names compare
// case-insensitively, as BigQuery resolves them).
func diffColumns(table, batch []warehouse.Column) (added, removed []warehouse.Column, changed []warehouse.TypeChange) {
	for _, c := range batch {
		t, ok := warehouse.FindColumn(table, c.Name)
		switch {
		case !ok:
			added = append(added, c)
		case !strings.EqualFold(t.Type, c.Type):
			changed = append(changed, warehouse.TypeChange{Name: t.Name, From: t.Type, To: c.Type})
		}
	}
	for _, c := range table {
		if _, ok := warehouse.FindColumn(batch, c.Name); !ok {
			removed = append(removed, c)
		}
	}
	return added, removed, changed
}

// writable returns the columns of table that the batch has, in the table's
// order and spelling: what a strategy writes.
func writable(table, batch []warehouse.Column) []string {
	var out []string
	for _, c := range table {
		if _, ok := warehouse.FindColumn(batch, c.Name); ok {
			out = append(out, c.Name)
		}
	}
	return out
}

// requireColumns checks that every name is a column of cols.
func requireColumns(cols []warehouse.Column, what, where string, names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := warehouse.FindColumn(cols, n); !ok {
			missing = append(missing, strconv.Quote(n))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	have := make([]string, len(cols))
	for i, c := range cols {
		have[i] = c.Name
	}
	verb := "is not a column"
	if len(missing) > 1 {
		verb = "are not columns"
	}
	return fmt.Errorf("%s %s %s of %s (columns: %s)", what, strings.Join(missing, ", "), verb, where, strings.Join(have, ", "))
}

var paramType = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(STRING|BYTES)\((\d+)\)$`) })

// widens reports whether BigQuery's ALTER COLUMN SET DATA TYPE can change
// from into to: INT64 to NUMERIC, BIGNUMERIC or FLOAT64; NUMERIC to
// BIGNUMERIC or FLOAT64; STRING(n)/BYTES(n) to a longer or unbounded one.
func widens(from, to string) bool {
	from, to = strings.ToUpper(strings.ReplaceAll(from, " ", "")), strings.ToUpper(strings.ReplaceAll(to, " ", ""))
	base := func(t string) string { b, _, _ := strings.Cut(t, "("); return b }
	switch base(from) {
	case "INT64":
		return from == "INT64" && (to == "NUMERIC" || to == "BIGNUMERIC" || to == "FLOAT64")
	case "NUMERIC":
		return from == "NUMERIC" && (to == "BIGNUMERIC" || to == "FLOAT64")
	}
	if m := paramType().FindStringSubmatch(from); m != nil {
		if to == m[1] {
			return true
		}
		if n := paramType().FindStringSubmatch(to); n != nil && n[1] == m[1] {
			a, _ := strconv.Atoi(m[2])
			b, _ := strconv.Atoi(n[2])
			return b > a
		}
	}
	return false
}
