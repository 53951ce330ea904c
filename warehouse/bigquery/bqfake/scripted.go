package bqfake

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// conform makes the relation rel match a scripted schema: columns the
// schema has and the table lacks are added (NULL), columns of another type
// are retyped; columns the schema does not name stay.
func (r *run) conform(rel string, schema []Field) *apiError {
	var have []Field
	if err := r.unlocked(func() error {
		var err error
		have, err = describe(r.ctx, r.conn, rel)
		return err
	}); err != nil {
		return r.duckError(err)
	}
	var stmts []string
	for _, f := range schema {
		want, err := fieldType(f).duck()
		if err != nil {
			return invalidQuery("bqfake: scripted schema: %v", err)
		}
		i := fieldIndex(have, f.Name)
		switch {
		case i < 0:
			stmts = append(stmts, "ALTER TABLE "+rel+" ADD COLUMN "+duckIdent(f.Name)+" "+want)
		case mustDuck(fieldType(have[i])) != want:
			stmts = append(stmts, "ALTER TABLE "+rel+" ALTER COLUMN "+duckIdent(have[i].Name)+" SET DATA TYPE "+want)
		}
	}
	_, err := r.duckExec(stmts...)
	return err
}

// createScripted makes the table rel hold a rule's schema and rows.
func (r *run) createScripted(c *createStmt, rel string, rule Result) *apiError {
	cols := make([]string, len(rule.Schema))
	for i, f := range rule.Schema {
		t, err := fieldType(f).duck()
		if err != nil {
			return invalidQuery("bqfake: scripted schema: %v", err)
		}
		cols[i] = duckIdent(f.Name) + " " + t
	}
	stmts := []string{c.head(rel) + " (" + strings.Join(cols, ", ") + ")"}
	for _, row := range rule.Rows {
		vals := make([]string, len(rule.Schema))
		for i := range rule.Schema {
			var v any
			if i < len(row) {
				v = row[i]
			}
			lit, err := literal(v)
			if err != nil {
				return invalidQuery("bqfake: scripted row: %v", err)
			}
			vals[i] = lit
		}
		stmts = append(stmts, "INSERT INTO "+rel+" VALUES ("+strings.Join(vals, ", ")+")")
	}
	_, err := r.duckExec(stmts...)
	return err
}

// literal renders a scripted scalar value as DuckDB SQL.
func literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return duckString(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int, int32, int64:
		return fmt.Sprint(x), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case time.Time:
		return duckString(x.UTC().Format("2006-01-02 15:04:05.999999")), nil
	}
	return "", fmt.Errorf("value %v of type %T is not supported", v, v)
}

func fieldIndex(fields []Field, name string) int {
	for i, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

// mustDuck is t's DuckDB type, or "" if it has none.
func mustDuck(t bqType) string {
	s, _ := t.duck()
	return s
}
