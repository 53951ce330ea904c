package bqfake

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// readParquet reads a Parquet load: the file's schema, converted to
// BigQuery's types as a Parquet load job converts them, and its rows as
// text records for loadRows. The fake's own database reads no files, so
// the file is read by a throwaway DuckDB that may.
//
// The conversions (BigQuery's "Parquet conversions"): BOOLEAN to BOOL,
// INT32 and INT64 (any integer logical type) to INT64, FLOAT and DOUBLE to
// FLOAT64, STRING (UTF8), ENUM and JSON to STRING, other byte arrays to
// BYTES, DATE, TIME, TIMESTAMP with isAdjustedToUTC to TIMESTAMP and
// without it to DATETIME, DECIMAL to NUMERIC when its digits fit NUMERIC's
// 29 integer and 9 fractional digits, else BIGNUMERIC. Nested columns
// (LIST, MAP, STRUCT) are not supported by the fake.
func readParquet(ctx context.Context, data []byte) ([]Field, [][]*string, error) {
	f, err := os.CreateTemp("", "bqfake-*.parquet")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, err
	}
	db, err := sql.Open("duckdb", "?threads=1")
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET TimeZone = 'UTC'"); err != nil {
		return nil, nil, err
	}
	src := "read_parquet(" + duckString(f.Name()) + ")"
	rows, err := conn.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "+src+")")
	if err != nil {
		return nil, nil, fmt.Errorf("Error while reading data: not a Parquet file: %s", firstLine(err))
	}
	var schema []Field
	var sel []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			rows.Close()
			return nil, nil, err
		}
		bt, err := parquetType(typ)
		if err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("column %s: %w", name, err)
		}
		schema = append(schema, Field{Name: name, Type: bt, Mode: "NULLABLE"})
		text := "CAST(" + duckIdent(name) + " AS VARCHAR)"
		if bt == "BYTES" {
			text = "to_base64(" + duckIdent(name) + ")" // loadRows takes bytes in base64
		}
		sel = append(sel, text)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(schema) == 0 {
		return nil, nil, fmt.Errorf("the Parquet file has no columns")
	}
	rows, err = conn.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s", firstLine(err))
	}
	defer rows.Close()
	var out [][]*string
	for rows.Next() {
		vals := make([]sql.NullString, len(schema))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		rec := make([]*string, len(vals))
		for i, v := range vals {
			if v.Valid {
				s := v.String
				rec[i] = &s
			}
		}
		out = append(out, rec)
	}
	return schema, out, rows.Err()
}

var duckDecimalRE = regexp.MustCompile(`^DECIMAL\((\d+),\s*(\d+)\)$`)

// parquetType is the BigQuery type a Parquet load gives a column DuckDB
// reads as typ.
func parquetType(typ string) (string, error) {
	if m := duckDecimalRE.FindStringSubmatch(typ); m != nil {
		p, _ := strconv.Atoi(m[1])
		s, _ := strconv.Atoi(m[2])
		if s <= 9 && p-s <= 29 {
			return "NUMERIC", nil
		}
		return "BIGNUMERIC", nil
	}
	switch typ {
	case "BOOLEAN":
		return "BOOL", nil
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT":
		return "INT64", nil
	case "FLOAT", "DOUBLE":
		return "FLOAT64", nil
	case "VARCHAR", "JSON":
		return "STRING", nil
	case "BLOB":
		return "BYTES", nil
	case "DATE", "TIME":
		return typ, nil
	case "TIMESTAMP WITH TIME ZONE":
		return "TIMESTAMP", nil
	case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S":
		return "DATETIME", nil
	}
	return "", fmt.Errorf("bqfake: Parquet columns of DuckDB type %s (nested or unusual types) are not supported", typ)
}

func sameNames(a, b []Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i].Name, b[i].Name) {
			return false
		}
	}
	return true
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
