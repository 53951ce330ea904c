package openlineage_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/openlineage"
	"github.com/mart-dev/mart/warehouse"
)

// Emit never blocks: with the endpoint stalled and the queue full, events
// are dropped and counted, and Close reports it once, within its deadline.
func TestQueueIsBounded(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	var mu sync.Mutex
	var warnings []string
	c, err := openlineage.NewClient(srv.URL+"/custom/path", openlineage.ClientOptions{QueueSize: 2, Warn: func(m string) {
		mu.Lock()
		warnings = append(warnings, m)
		mu.Unlock()
	}})
	require.NoError(t, err)
	start := time.Now()
	for i := range 100 {
		c.Emit(map[string]int{"i": i})
	}
	assert.Less(t, time.Since(start), time.Second, "Emit does not wait for the endpoint")
	_, _, dropped := c.Stats()
	assert.GreaterOrEqual(t, dropped, 97, "one in flight, two queued at most")
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.Close(ctx)
	sent, failed, _ := c.Stats()
	assert.Equal(t, 100-dropped, sent)
	assert.Zero(t, failed)
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0], "dropped (queue full)")
}

// An endpoint that answers with an error status counts as down.
func TestErrorStatusIsAWarning(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }))
	defer srv.Close()
	var warnings []string
	c, err := openlineage.NewClient(srv.URL, openlineage.ClientOptions{Warn: func(m string) { warnings = append(warnings, m) }})
	require.NoError(t, err)
	for range 5 {
		c.Emit(map[string]int{})
	}
	c.Close(context.Background())
	sent, failed, _ := c.Stats()
	assert.Equal(t, 0, sent)
	assert.Equal(t, 5, failed)
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0], "401 Unauthorized")

	_, err = openlineage.NewClient("localhost:5000", openlineage.ClientOptions{})
	assert.ErrorContains(t, err, "expected an http(s) URL")
}

// A job that is not a plan node (mart extract's) gets a valid START and
// COMPLETE under the invocation.
func TestStartJob(t *testing.T) {
	v := newValidator(t)
	r := newReceiver(t)
	c, err := openlineage.NewClient(r.srv.URL, openlineage.ClientOptions{})
	require.NoError(t, err)
	e := openlineage.NewEmitter(c, openlineage.Options{Project: "soda", Command: "extract", InvocationID: openlineage.NewRunID(),
		TargetType: "duckdb"})
	e.StartInvocation()
	run := e.StartJob("extract.raw.members", "EXTRACT", []openlineage.Dataset{{Namespace: "postgres://db:5432", Name: "members.public.members"}},
		[]openlineage.Dataset{e.Dataset(warehouse.Relation{Schema: "main_raw", Name: "members"})})
	run.Complete(42)
	e.FinishInvocation(false, "")
	c.Close(context.Background())
	evs := r.events(t, v)
	require.Len(t, evs, 4)
	assert.Equal(t, []string{"START", "START", "COMPLETE", "COMPLETE"}, types(evs))
	assert.Equal(t, "duckdb://", evs[2].Outputs[0].Namespace)
	assert.JSONEq(t, `{"rowCount":42}`, withoutBase(t, evs[2].Outputs[0].OutputFacets["outputStatistics"]))
}

// Credentials in the endpoint URL (a password, an api_key in the query)
// never show in warnings or errors.
func TestEndpointCredentialsAreNotShown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := ln.Addr().String()
	ln.Close()
	for _, u := range []string{
		"http://user:OLSECRET1@" + dead + "/api/v1/lineage",
		"http://" + dead + "/api/v1/lineage?api_key=OLSECRET2",
		"http://user:OLSECRET1@" + dead + "?token=OLSECRET2&x=1",
	} {
		var warnings []string
		c, err := openlineage.NewClient(u, openlineage.ClientOptions{Warn: func(m string) { warnings = append(warnings, m) }})
		require.NoError(t, err)
		c.Emit(map[string]int{})
		c.Close(context.Background())
		require.Len(t, warnings, 1)
		assert.Contains(t, warnings[0], "cannot send events to http://")
		assert.Contains(t, warnings[0], dead)
		assert.NotContains(t, warnings[0], "OLSECRET", u)
	}
	for _, u := range []string{"ht!tp://user:OLSECRET3@[bad", "ftp://user:OLSECRET3@host/x"} {
		_, err := openlineage.NewClient(u, openlineage.ClientOptions{})
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "OLSECRET", u)
	}
}
