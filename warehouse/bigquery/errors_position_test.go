package bigquery

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

// BigQuery's "at [line:col]" is moved from the script the adapter sent
// into the compiled SQL it was given.
func TestErrorPositionsInTheGivenSQL(t *testing.T) {
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddDataset("proj", "mart", "EU")
	// the statements hold the model's SQL after the adapter's own lines;
	// the fake reports the position as BigQuery would, in the whole job
	ctx := context.Background()
	w, err := Open(ctx, Config{Project: "proj", Dataset: "mart", Location: "EU", APIEndpoint: fake.URL()})
	require.NoError(t, err)
	defer w.Close()
	model := "select 1 as a,\n  no_such_column as b"

	stmt := createTableSQL(relationSQL(warehouse.Relation{Database: "proj", Schema: "mart", Name: "t"}),
		&tableSpec{}, model, false)
	line := 0
	for i, l := range strings.Split(stmt, "\n") {
		if l == "  no_such_column as b" {
			line = i + 1
		}
	}
	require.NotZero(t, line)
	fake.FailJob(`no_such_column`, bqfake.Failure{Message: "Unrecognized name: no_such_column at [" + strconv.Itoa(line) + ":3]"})

	_, err = w.CreateTable(ctx, warehouse.Relation{Name: "t"}, model, warehouse.TableOptions{})
	l, c, ok := warehouse.ErrorPosition(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, [2]int{2, 3}, [2]int{l, c})

	fake2 := bqfake.New()
	t.Cleanup(fake2.Close)
	fake2.AddDataset("proj", "mart", "EU")
	fake2.FailJob(`no_such_column`, bqfake.Failure{Message: "Unrecognized name: no_such_column at [2:3]"})
	w2, err := Open(ctx, Config{Project: "proj", Dataset: "mart", Location: "EU", APIEndpoint: fake2.URL()})
	require.NoError(t, err)
	defer w2.Close()
	_, err = w2.Query(ctx, model, 0)
	l, c, ok = warehouse.ErrorPosition(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, [2]int{2, 3}, [2]int{l, c})
}
