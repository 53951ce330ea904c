package bigquery

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/internal/zetasql"
)

// dialectGolden are the statements the pull-request commands write for
// BigQuery (mart diff, mart verify, mart clone), pinned in
// testdata/dialect/ (go test -update) and parsed by ZetaSQL.
func dialectGolden() map[string]string {
	d := Dialect{}
	newRel, oldRel := d.RelationName("proj", "pr_42", "fct_rentals"), d.RelationName("prod-proj", "mart", "fct_rentals")
	return map[string]string{
		"diff_by_key.sql": d.DiffQuery(warehouse.DiffSpec{New: newRel, Old: oldRel, Key: []string{"rental_id"},
			Columns: []string{"rental_id", "amount", "rented_at"}, Examples: 5}),
		"diff_by_composite_key.sql": d.DiffQuery(warehouse.DiffSpec{New: newRel, Old: oldRel, Key: []string{"store_id", "day"},
			Columns: []string{"store_id", "day", "revenue"}, Examples: 5}),
		"diff_by_rows.sql": d.DiffQuery(warehouse.DiffSpec{New: newRel, Old: oldRel,
			Columns: []string{"rental_id", "amount"}, Examples: 5}),
		"clone_table.sql": cloneSQL(oldRel, newRel, "table"),
		"clone_view.sql":  cloneSQL(oldRel, newRel, "view"),
	}
}

func TestDialectGolden(t *testing.T) {
	var s *zetasql.Server
	for name, sql := range dialectGolden() {
		checkGolden(t, filepath.Join("testdata", "dialect", name), sql+"\n")
		if s == nil {
			s = startZetaSQL(t)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := s.Parse(ctx, sql)
		cancel()
		require.NoError(t, err, "%s: GoogleSQL rejects it", name)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "dialect", "*.sql"))
	for _, f := range files {
		if _, ok := dialectGolden()[filepath.Base(f)]; !ok {
			if *update {
				require.NoError(t, os.Remove(f))
				continue
			}
			t.Errorf("%s is not produced by dialectGolden (stale? run go test -update)", f)
		}
	}
}
