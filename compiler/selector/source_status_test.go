package selector

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// source_status:fresher selects the sources whose newest loaded_at grew
// since the state's sources.json, and those the state did not check.
func TestSourceStatusFresher(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	opt := Options{
		StateSourcesLoadedAt: map[string]time.Time{"source.soda.raw.members": t0, "source.soda.raw.cars": t0},
		SourcesLoadedAt: map[string]time.Time{"source.soda.raw.members": t0.Add(time.Hour), "source.soda.raw.cars": t0,
			"source.soda.raw.trips": t0},
	}
	runSelectCases(t, []selectCase{
		{name: "fresher and new", include: []string{"source_status:fresher"}, opt: opt, want: []string{"src_members", "src_trips"}},
	})
	withChildren, err := Select(fixtureGraph(), []string{"source_status:fresher+"}, nil, opt)
	require.NoError(t, err)
	same, err := Select(fixtureGraph(), []string{"source:raw.members+ source:raw.trips+"}, nil, opt)
	require.NoError(t, err)
	require.Equal(t, same, withChildren, "graph operators apply to source_status")
	_, err = Select(fixtureGraph(), []string{"source_status:fresher"}, nil, Options{SourcesLoadedAt: opt.SourcesLoadedAt})
	require.ErrorIs(t, err, ErrNoSources)
	_, err = Select(fixtureGraph(), []string{"source_status:stale"}, nil, opt)
	require.ErrorContains(t, err, `unknown source status "stale"`)
}
