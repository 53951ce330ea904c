package bigquery

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

// fakeEnv is a warehouse on a fresh fake with project proj and dataset
// mart in EU.
type fakeEnv struct {
	t    *testing.T
	fake *bqfake.Server
	w    *Warehouse
	ctx  context.Context
}

func newFake(t *testing.T, mutate ...func(*Config)) *fakeEnv {
	t.Helper()
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddDataset("proj", "mart", "EU")
	cfg := Config{Project: "proj", Dataset: "mart", Location: "EU", APIEndpoint: fake.URL(), JobRetries: 1}
	for _, m := range mutate {
		m(&cfg)
	}
	w, err := Open(context.Background(), cfg)
	require.NoError(t, err)
	w.backoff = func(int) time.Duration { return time.Millisecond }
	t.Cleanup(func() { _ = w.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return &fakeEnv{t: t, fake: fake, w: w, ctx: ctx}
}
