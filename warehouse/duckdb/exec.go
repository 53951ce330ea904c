package duckdb

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/mart-dev/mart/warehouse"
)

// Exec runs sqlText, which may hold several statements separated by
// semicolons, and returns the rows affected by the last one. Each statement
// auto-commits unless the SQL manages its own transaction. Exec is not
// retried on conflicts (see the package doc).
func (w *Warehouse) Exec(ctx context.Context, sqlText string) (int64, error) {
	res, err := w.db.ExecContext(ctx, sqlText)
	if err != nil {
		if ctx.Err() != nil {
			return 0, fmt.Errorf("exec: %w", ctx.Err())
		}
		return 0, fmt.Errorf("exec: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("exec: %w", err)
	}
	return n, nil
}

// Query runs sqlText and returns up to limit rows (all when limit <= 0).
//
// DuckDB's Go driver materializes whole results, so with a limit a single
// query is wrapped as SELECT * FROM (<query>) LIMIT n and DuckDB stops early.
// SQL that cannot be wrapped (SHOW, PRAGMA, several statements: DuckDB
// reports a syntax error for the wrapped form) runs as written and the
// result is cut to limit rows.
func (w *Warehouse) Query(ctx context.Context, sqlText string, limit int) (*warehouse.Rows, error) {
	if limit > 0 {
		wrapped := fmt.Sprintf("SELECT * FROM (\n%s\n) LIMIT %d", warehouse.TrimStatement(sqlText), limit)
		rows, err := w.query(ctx, wrapped, limit)
		if err == nil || !isParserError(err) {
			return rows, located(err, wrapped, sqlText)
		}
	}
	rows, err := w.query(ctx, sqlText, limit)
	return rows, located(err, sqlText, sqlText)
}

func (w *Warehouse) query(ctx context.Context, sqlText string, limit int) (*warehouse.Rows, error) {
	wrap := func(err error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("query: %w", ctx.Err())
		}
		return fmt.Errorf("query: %w", err)
	}
	rows, err := w.db.QueryContext(ctx, sqlText)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, wrap(err)
	}
	out := &warehouse.Rows{Columns: make([]warehouse.Column, len(types))}
	for i, t := range types {
		out.Columns[i] = warehouse.Column{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	for rows.Next() {
		if limit > 0 && len(out.Values) >= limit {
			break
		}
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, wrap(err)
		}
		for i, v := range vals {
			vals[i] = plain(v, out.Columns[i].Type)
		}
		out.Values = append(out.Values, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err)
	}
	return out, nil
}

// plain converts driver-specific values to the plain Go values promised by
// warehouse.Rows. typ is the column's DuckDB type name.
func plain(v any, typ string) any {
	switch x := v.(type) {
	case duckdb.Decimal:
		return decimalString(x)
	case *big.Int:
		return x.String()
	case duckdb.Interval:
		return fmt.Sprintf("%d months %d days %d microseconds", x.Months, x.Days, x.Micros)
	case duckdb.UUID:
		return x.String()
	case []byte:
		if typ == "UUID" && len(x) == 16 {
			var u duckdb.UUID
			copy(u[:], x)
			return u.String()
		}
		return x
	case []any:
		for i := range x {
			x[i] = plain(x[i], "")
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = plain(x[k], "")
		}
		return x
	}
	return v
}

// decimalString renders d with exactly its scale's digits after the point,
// as DuckDB prints it ("1.50" for DECIMAL(10,2)).
func decimalString(d duckdb.Decimal) string {
	if d.Value == nil {
		return "0"
	}
	digits := new(big.Int).Abs(d.Value).String()
	scale := int(d.Scale)
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if d.Value.Sign() < 0 {
		return "-" + digits
	}
	return digits
}
