// Package mongodb is mart extract's MongoDB source
// (go.mongodb.org/mongo-driver/v2). A collection lands as a table: _id as
// text (an ObjectId's hex), each top-level field a column whose type the
// documents say (nested documents and arrays as JSON), widened as new
// documents need. Reads are _id- (or cursor-, then _id-) ordered pages of
// chunk_size documents: a page is the only thing held in memory.
//
// MongoDB offers no snapshot across queries outside a replica set's
// transactions, so pages are read one query each; merging by _id and
// reconciling deletes by _id make the raw table equal the collection once
// writes pause. Change streams are not used: the test server (FerretDB,
// embedded) has none, and mart only ships what it tests.
package mongodb

import (
	"context"

	"github.com/mart-dev/mart/extract"
)

func init() {
	extract.Register("mongodb", extract.Kind{
		Modes: []string{extract.ModeFull, extract.ModeIncremental},
		Extract: func(ctx context.Context, j *extract.Job) error {
			r, err := openReader(ctx, j)
			if err != nil {
				return err
			}
			defer r.Close()
			return j.Extract(ctx, r)
		},
	})
}
