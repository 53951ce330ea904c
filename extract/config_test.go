package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseConfigDefaults(t *testing.T) {
	c, errs := ParseConfig(map[string]any{"from": "postgres", "dsn": "{{ env_var('X') }}", "cursor": "updated_at", "lookback": "10m",
		"primary_key": "a, b", "statement_timeout": 60, "max_rows_per_second": 500})
	assert.Empty(t, errs)
	assert.Equal(t, Config{From: "postgres", DSN: "{{ env_var('X') }}", Mode: ModeIncremental, Cursor: "updated_at",
		LookbackDuration: 10 * time.Minute, Deletes: DeletesNone, ChunkSize: DefaultChunkSize, MaxRowsPerSecond: 500,
		StatementTimeout: time.Minute, LockTimeout: DefaultLockTimeout, PrimaryKey: []string{"a", "b"}, ApplicationName: "mart extract"}, c)

	_, errs = ParseConfig(map[string]any{"from": "mysql", "dsn": "root@tcp(127.0.0.1:3306)/app"})
	assert.Empty(t, errs, "a DSN without a password may be written as it is")

	c, errs = ParseConfig(map[string]any{"from": "postgres", "dsn": "x", "mode": "cdc"})
	assert.Empty(t, errs)
	assert.Equal(t, DeletesCDC, c.Deletes)

	c, errs = ParseConfig(map[string]any{"from": "mysql", "dsn": "x", "cursor": "id", "lookback": 100, "chunk_size": 10})
	assert.Empty(t, errs)
	assert.Equal(t, int64(100), c.LookbackCount)
	assert.Equal(t, 10, c.ChunkSize)

	c, errs = ParseConfig(map[string]any{"from": "files", "path": "data/*.csv", "lookback": "1d12h"})
	assert.Empty(t, errs)
	assert.Equal(t, ModeFull, c.Mode)
	assert.Equal(t, 36*time.Hour, c.LookbackDuration)
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		m    map[string]any
		want []string
	}{
		{map[string]any{"dsn": "x"}, []string{"extract.from: missing: say which kind of source this is (postgres, mysql, mongodb, files)"}},
		{map[string]any{"from": "mongo", "dsn": "x"}, []string{`extract.from: unknown value "mongo" (did you mean "mongodb"?) (expected postgres, mysql, mongodb, files)`}},
		{map[string]any{"from": "mysql"}, []string{`extract.dsn: missing: a mysql source needs a dsn, such as "{{ env_var('MY_DSN') }}"`}},
		{map[string]any{"from": "mongodb", "dsn": "x"}, []string{"extract.database: missing: a mongodb source needs the database its collections are in"}},
		{map[string]any{"from": "postgres", "dsn": "x", "mode": "incremental"}, []string{"extract.cursor: missing: mode incremental needs a cursor column that grows on every insert and update"}},
		{map[string]any{"from": "mysql", "dsn": "x", "mode": "cdc"}, []string{"extract.mode: cdc is only offered by postgres sources (logical replication); use incremental with deletes: reconcile"}},
		{map[string]any{"from": "postgres", "dsn": "x", "deletes": "cdc"}, []string{"extract.deletes: cdc needs mode: cdc"}},
		{map[string]any{"from": "postgres", "dsn": "x", "statement_timeout": "soon", "keep_deleted": "yes", "primary_key": []any{1}},
			[]string{`extract.statement_timeout: expected a duration such as "60s", "10m" or "1h", got "soon"`,
				`extract.primary_key: expected a list of column names, got 1`, `extract.keep_deleted: expected true or false, got "yes"`}},
		{map[string]any{"from": "files", "path": "x", "chunksize": 3}, []string{`extract: unknown key "chunksize" (did you mean "chunk_size"?)`}},
		{map[string]any{"from": "files"}, []string{`extract.path: missing: a files source needs a path such as "data/fleet/*.csv"`}},
		{map[string]any{"from": "postgres", "dsn": "postgres://u:secret@h/db", "replica_dsn": "host=h password=x"}, []string{
			`extract.dsn: holds a password: read the DSN from the environment, such as "{{ env_var('MY_DSN') }}"`,
			`extract.replica_dsn: holds a password: read the DSN from the environment, such as "{{ env_var('MY_DSN') }}"`}},
		// the slot and publication are written into replication commands
		{map[string]any{"from": "postgres", "dsn": "x", "mode": "cdc", "publication": "pub'x", "slot": "My Slot"}, []string{
			`extract.publication: "pub'x" is not a name PostgreSQL CDC can use: lowercase letters, digits and underscores, at most 63`,
			`extract.slot: "My Slot" is not a name PostgreSQL CDC can use: lowercase letters, digits and underscores, at most 63`}},
		{map[string]any{"from": "postgres", "dsn": "x", "mode": "cdc", "publication": "Pub", "slot": strings.Repeat("s", 64)}, []string{
			`extract.publication: "Pub" is not a name PostgreSQL CDC can use: lowercase letters, digits and underscores, at most 63`,
			`extract.slot: "` + strings.Repeat("s", 64) + `" is not a name PostgreSQL CDC can use: lowercase letters, digits and underscores, at most 63`}},
	} {
		_, errs := ParseConfig(tc.m)
		got := make([]string, len(errs))
		for i, e := range errs {
			got[i] = e.Error()
		}
		assert.ElementsMatch(t, tc.want, got, "%v", tc.m)
	}
}
