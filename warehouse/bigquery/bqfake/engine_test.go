package bqfake

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A closed fake's database is reused by the next one, empty.
func TestEngineReuse(t *testing.T) {
	s := New()
	s.AddDataset("p", "d", "US")
	s.AddTable(Table{Project: "p", Dataset: "d", Name: "t", Schema: []Field{{Name: "x", Type: "INT64"}}})
	s.AddTable(Table{Project: "p", Dataset: "d", Name: "v", Kind: "VIEW", Schema: []Field{{Name: "x", Type: "INT64"}}})
	eng := s.eng
	s.Close()

	s2 := New()
	defer s2.Close()
	assert.Same(t, eng, s2.eng, "the pooled database is reused")
	var n int
	require.NoError(t, s2.eng.db.QueryRowContext(context.Background(),
		"SELECT count(*) FROM duckdb_schemas() WHERE NOT internal AND schema_name <> 'main'").Scan(&n))
	assert.Zero(t, n, "no dataset is left")
	s2.AddDataset("p", "d", "US")
	_, ok := s2.Table("p", "d", "t")
	assert.False(t, ok)
}
