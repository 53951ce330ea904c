package warehouse

import (
	"context"
	"fmt"
	"strings"
)

// Contract is a model's enforced contract (dbt's contract: {enforced:
// true}): the columns its query must produce, with their types, and the
// constraints the table is created with where the engine enforces them.
type Contract struct {
	Columns     []ContractColumn
	Constraints []Constraint // table-level
}

// ContractColumn is one column of a contract: Type is the declared
// data_type, in the engine's spelling.
type ContractColumn struct {
	Name, Type  string
	Constraints []Constraint
}

// Constraint is one contract constraint.
type Constraint struct {
	// Type is not_null, unique, primary_key, check, foreign_key or custom.
	Type string
	// Name names it (CONSTRAINT name), when given.
	Name string
	// Expression is a check's condition, a foreign key's "table (column)"
	// in dbt's older form, or a custom constraint's SQL.
	Expression string
	// Columns are a table-level constraint's columns.
	Columns []string
	// To and ToColumns are a foreign key's referenced relation (rendered)
	// and columns.
	To        string
	ToColumns []string
}

// ContractWarehouse checks and enforces contracts.
type ContractWarehouse interface {
	// QueryColumns is the columns a query returns, names and engine
	// types, found without running it.
	QueryColumns(ctx context.Context, sql string) ([]Column, error)
	// Enforces reports whether the engine enforces a constraint type when
	// a table is created with it; those it does not are left out of the
	// DDL (dbt warns about them).
	Enforces(constraintType string) bool
}

// ContractMismatch is a query that does not produce its contract's
// columns; its message is a side-by-side table.
type ContractMismatch struct {
	Rows []MismatchRow
}

// MismatchRow is one differing column.
type MismatchRow struct {
	Column, ContractType, QueryType, Reason string
}

func (e *ContractMismatch) Error() string {
	var b strings.Builder
	b.WriteString("the query does not match the model's contract (nothing was changed):\n")
	w := [3]int{len("column"), len("contract type"), len("query type")}
	for _, r := range e.Rows {
		w[0], w[1], w[2] = max(w[0], len(r.Column)), max(w[1], len(r.ContractType)), max(w[2], len(r.QueryType))
	}
	line := func(a, b2, c, d string) {
		fmt.Fprintf(&b, "  %-*s  %-*s  %-*s  %s\n", w[0], a, w[1], b2, w[2], c, d)
	}
	line("column", "contract type", "query type", "")
	for _, r := range e.Rows {
		line(r.Column, r.ContractType, r.QueryType, r.Reason)
	}
	return strings.TrimRight(b.String(), "\n")
}

// CheckContract compares the columns a query returns with a contract's.
// Types are compared as the engine spells them: the contract's declared
// types are normalized by the engine itself (a query of typed NULLs), so
// int and integer, or numeric(10,2) and decimal(10,2), are the same.
func CheckContract(ctx context.Context, w ContractWarehouse, d Dialect, c *Contract, query string) error {
	got, err := w.QueryColumns(ctx, query)
	if err != nil {
		return err
	}
	casts := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		casts[i] = "cast(null as " + col.Type + ") as " + d.QuoteIdent(col.Name)
	}
	want, err := w.QueryColumns(ctx, "select "+strings.Join(casts, ", "))
	if err != nil {
		return fmt.Errorf("the contract's data types: %w", err)
	}
	var m ContractMismatch
	for i, col := range c.Columns {
		wantType := want[i].Type
		g, ok := FindColumn(got, col.Name)
		switch {
		case !ok:
			m.Rows = append(m.Rows, MismatchRow{col.Name, wantType, "", "missing from the query"})
		case !strings.EqualFold(g.Type, wantType):
			m.Rows = append(m.Rows, MismatchRow{col.Name, wantType, g.Type, "data type differs"})
		}
	}
	for _, g := range got {
		found := false
		for _, col := range c.Columns {
			if strings.EqualFold(col.Name, g.Name) {
				found = true
				break
			}
		}
		if !found {
			m.Rows = append(m.Rows, MismatchRow{g.Name, "", g.Type, "not in the contract"})
		}
	}
	if len(m.Rows) > 0 {
		return &m
	}
	return nil
}

// ContractDDL renders the column definitions and table constraints of a
// CREATE TABLE for a contract, with the constraints enforces accepts
// (the rest are returned as unenforced, for a warning). notEnforced is
// appended to primary and foreign keys (BigQuery's " NOT ENFORCED").
func ContractDDL(d Dialect, c *Contract, enforces func(string) bool, notEnforced string) (defs []string, unenforced []Constraint) {
	quoteAll := func(cols []string) string {
		q := make([]string, len(cols))
		for i, x := range cols {
			q[i] = d.QuoteIdent(x)
		}
		return strings.Join(q, ", ")
	}
	render := func(k Constraint, columnLevel bool) (string, bool) {
		if !enforces(k.Type) {
			return "", false
		}
		prefix := ""
		if k.Name != "" {
			prefix = "CONSTRAINT " + d.QuoteIdent(k.Name) + " "
		}
		switch k.Type {
		case "not_null":
			return "NOT NULL", columnLevel
		case "unique":
			if columnLevel {
				return prefix + "UNIQUE", true
			}
			return prefix + "UNIQUE (" + quoteAll(k.Columns) + ")", len(k.Columns) > 0
		case "primary_key":
			if columnLevel {
				return prefix + "PRIMARY KEY" + notEnforced, true
			}
			return prefix + "PRIMARY KEY (" + quoteAll(k.Columns) + ")" + notEnforced, len(k.Columns) > 0
		case "check":
			return prefix + "CHECK (" + k.Expression + ")", k.Expression != ""
		case "foreign_key":
			ref := k.Expression
			if k.To != "" {
				ref = k.To + " (" + quoteAll(k.ToColumns) + ")"
			}
			if ref == "" {
				return "", false
			}
			if columnLevel {
				return prefix + "REFERENCES " + ref + notEnforced, true
			}
			return prefix + "FOREIGN KEY (" + quoteAll(k.Columns) + ") REFERENCES " + ref + notEnforced, len(k.Columns) > 0
		case "custom":
			return k.Expression, k.Expression != ""
		}
		return "", false
	}
	for _, col := range c.Columns {
		def := d.QuoteIdent(col.Name) + " " + col.Type
		for _, k := range col.Constraints {
			if sql, ok := render(k, true); ok {
				def += " " + sql
			} else {
				k.Columns = []string{col.Name}
				unenforced = append(unenforced, k)
			}
		}
		defs = append(defs, def)
	}
	for _, k := range c.Constraints {
		if sql, ok := render(k, false); ok {
			defs = append(defs, sql)
		} else {
			unenforced = append(unenforced, k)
		}
	}
	return defs, unenforced
}
