package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract/extracttest"
)

// TestTypes lands one row of each kind of PostgreSQL type and reads it
// back from DuckDB: the landed types and the exact values.
func TestTypes(t *testing.T) {
	dsn, conn := extracttest.Postgres(t)
	extracttest.PgExec(t, conn, `
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN price AS numeric(12,4);
CREATE TABLE kinds (
  id int PRIMARY KEY,
  small int2, big int8, real4 float4, dbl float8,
  money_ numeric(10,2), wide numeric(38,6), free numeric, cost price,
  flag bool, label varchar(20), fixed char(3), body text,
  blob bytea, day date, clock time, at_local timestamp, at_tz timestamptz,
  doc json, docb jsonb, uid uuid, feeling mood,
  ints int[], words text[], amounts numeric(6,2)[],
  net inet, span interval
);
INSERT INTO kinds VALUES (
  1, -32768, 9223372036854775807, 1.5, 0.1,
  -12345678.91, 12345678901234567890123456789012.123456, 3.14159265358979323846264338327950288, 99.5,
  true, 'héllo', 'ab', 'multi
line',
  '\x00ff10', '2026-03-04', '13:14:15.123456', '2026-03-04 05:06:07.891011', '2026-03-04 05:06:07.891011+02',
  '{"b": 1, "a": [true, null]}', '{"b": 1, "a": [true, null]}', '12345678-90ab-cdef-1234-567890abcdef', 'happy',
  '{1,NULL,3}', '{"x","y z"}', '{1.50,-2.25}',
  '10.0.0.1/8', '1 day 2 hours'
);
INSERT INTO kinds (id) VALUES (2);`)
	t.Setenv("KINDS_DSN", dsn)
	dir := extracttest.Project(t, `version: 2
sources:
  - name: pg
    schema: raw
    extract: {from: postgres, dsn: "{{ env_var('KINDS_DSN') }}"}
    tables:
      - name: kinds
`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})

	types := extracttest.Query(t, dir, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'kinds' ORDER BY ordinal_position`)
	assert.Equal(t, [][]any{
		{"id", "INTEGER"}, {"small", "SMALLINT"}, {"big", "BIGINT"}, {"real4", "FLOAT"}, {"dbl", "DOUBLE"},
		{"money_", "DECIMAL(10,2)"}, {"wide", "DECIMAL(38,6)"}, {"free", "VARCHAR"}, {"cost", "DECIMAL(12,4)"},
		{"flag", "BOOLEAN"}, {"label", "VARCHAR"}, {"fixed", "VARCHAR"}, {"body", "VARCHAR"},
		{"blob", "BLOB"}, {"day", "DATE"}, {"clock", "TIME"}, {"at_local", "TIMESTAMP"}, {"at_tz", "TIMESTAMP WITH TIME ZONE"},
		{"doc", "JSON"}, {"docb", "JSON"}, {"uid", "UUID"}, {"feeling", "VARCHAR"},
		{"ints", "INTEGER[]"}, {"words", "VARCHAR[]"}, {"amounts", "DECIMAL(6,2)[]"},
		{"net", "VARCHAR"}, {"span", "VARCHAR"}, {"_mart_extracted_at", "TIMESTAMP WITH TIME ZONE"},
	}, types)

	rows := extracttest.Query(t, dir, `SELECT id, small, big, real4, dbl, money_::varchar, wide::varchar, free, cost::varchar,
		flag, label, fixed, body, blob, day::varchar, clock::varchar, at_local, at_tz, doc::varchar, docb::varchar, uid::varchar, feeling,
		ints, words, amounts::varchar, net, span FROM raw.kinds ORDER BY id`)
	require.Len(t, rows, 2)
	assert.Equal(t, []any{
		int32(1), int16(-32768), int64(9223372036854775807), float32(1.5), 0.1,
		"-12345678.91", "12345678901234567890123456789012.123456", "3.14159265358979323846264338327950288", "99.5000",
		true, "héllo", "ab ", "multi\nline",
		[]byte{0, 0xff, 0x10}, "2026-03-04", "13:14:15.123456",
		time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC), time.Date(2026, 3, 4, 3, 6, 7, 891011000, time.UTC),
		`{"b": 1, "a": [true, null]}`, `{"a": [true, null], "b": 1}`, "12345678-90ab-cdef-1234-567890abcdef", "happy",
		[]any{int32(1), nil, int32(3)}, []any{"x", "y z"}, "[1.50, -2.25]",
		"10.0.0.1/8", "1 day 02:00:00",
	}, rows[0])
	for i, v := range rows[1][1:] {
		assert.Nil(t, v, "column %d of the NULL row", i+1)
	}
}
