package duckdb

import (
	"context"
	"fmt"
	"testing"

	"github.com/mart-dev/mart/warehouse"
)

// BenchmarkKind looks up a table's kind and a view's among 2,000 tables
// and 2,000 views, as an incremental model's build and
// get_columns_in_relation do.
func BenchmarkKind(b *testing.B) {
	w := openTemp(b, Config{})
	ctx := context.Background()
	for i := 0; i < 2000; i++ {
		for _, s := range []string{fmt.Sprintf(`CREATE TABLE t%d (i INTEGER)`, i), fmt.Sprintf(`CREATE VIEW v%d AS SELECT 1 AS i`, i)} {
			if _, err := w.Exec(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, name := range []string{"t1500", "v1500"} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := w.Describe(ctx, warehouse.Relation{Name: name}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
