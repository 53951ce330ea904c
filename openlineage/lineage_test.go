package openlineage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/cli"
)

// receiver is a local OpenLineage endpoint (127.0.0.1) that keeps what it
// is sent.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	paths  []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		r.paths = append(r.paths, req.Method+" "+req.URL.Path+" "+req.Header.Get("Content-Type"))
		r.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// event is what the tests read of an event.
type event struct {
	EventType string `json:"eventType"`
	Run       struct {
		RunID  string `json:"runId"`
		Facets struct {
			Parent *struct {
				Run struct {
					RunID string `json:"runId"`
				} `json:"run"`
				Job struct{ Namespace, Name string } `json:"job"`
			} `json:"parent"`
			ErrorMessage *struct{ Message string } `json:"errorMessage"`
		} `json:"facets"`
	} `json:"run"`
	Job struct {
		Namespace, Name string
		Facets          map[string]json.RawMessage
	} `json:"job"`
	Inputs  []dataset `json:"inputs"`
	Outputs []dataset `json:"outputs"`
}

type dataset struct {
	Namespace    string                     `json:"namespace"`
	Name         string                     `json:"name"`
	Facets       map[string]json.RawMessage `json:"facets"`
	InputFacets  map[string]json.RawMessage `json:"inputFacets"`
	OutputFacets map[string]json.RawMessage `json:"outputFacets"`
}

// events validates every body against the schemas and decodes it.
func (r *receiver) events(t *testing.T, v *validator) []event {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []event
	for i, b := range r.bodies {
		require.NoError(t, v.validate(b), "event %d: %s", i, b)
		var ev event
		require.NoError(t, json.Unmarshal(b, &ev))
		out = append(out, ev)
		assert.Equal(t, "POST /api/v1/lineage application/json", r.paths[i])
	}
	return out
}

func copyDemo(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dst := t.TempDir()
	for _, p := range []string{"models", "macros", "seeds", "snapshots", "tests"} {
		require.NoError(t, os.CopyFS(filepath.Join(dst, p), os.DirFS(filepath.Join(root, p))), p)
	}
	data, err := os.ReadFile(filepath.Join(root, "mart.yml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dst, "mart.yml"), data, 0o644))
	return dst
}

// run runs mart in-process and returns its exit code, stdout and stderr.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	t.Setenv("HOME", t.TempDir())
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, nil, &out, &errb)
	return code, out.String(), errb.String()
}

// TestBuildEmitsLineage builds the SODA Store with --openlineage-url and
// checks what the local receiver got: every event valid against the
// OpenLineage schemas; the invocation as a parent run; a START and a
// COMPLETE per node that ran, sharing a run id; datasets named by the
// DuckDB file; row counts; tests as data-quality assertions.
func TestBuildEmitsLineage(t *testing.T) {
	v := newValidator(t)
	r := newReceiver(t)
	dir := copyDemo(t)
	code, out, errs := run(t, map[string]string{"OPENLINEAGE_NAMESPACE": "soda-prod"}, "build", "--project-dir", dir, "--openlineage-url", r.srv.URL)
	require.Equal(t, 0, code, "%s\n%s", out, errs)
	assert.NotContains(t, errs, "OpenLineage")
	events := r.events(t, v)

	byRun := map[string][]event{}
	var invocation string
	for _, ev := range events {
		assert.Equal(t, "soda-prod", ev.Job.Namespace)
		if ev.Job.Name == "soda.build" {
			invocation = ev.Run.RunID
		}
		byRun[ev.Run.RunID] = append(byRun[ev.Run.RunID], ev)
	}
	require.NotEmpty(t, invocation)
	require.Equal(t, []string{"START", "COMPLETE"}, types(byRun[invocation]))
	nodes := len(regexp.MustCompile(`(?m)^\d+ of \d+ (OK|PASS|WARN|FAIL|ERROR) `).FindAllString(out, -1))
	require.Greater(t, nodes, 100)
	assert.Len(t, byRun, nodes+1, "a run per node that ran, and the invocation")

	jobs := map[string]event{}
	for id, evs := range byRun {
		if id == invocation {
			continue
		}
		require.Equal(t, []string{"START", "COMPLETE"}, types(evs), "run of %s", evs[0].Job.Name)
		p := evs[1].Run.Facets.Parent
		require.NotNil(t, p, evs[0].Job.Name)
		assert.Equal(t, invocation, p.Run.RunID)
		assert.Equal(t, "soda.build", p.Job.Name)
		jobs[evs[1].Job.Name] = evs[1]
	}
	ns := "duckdb://" + filepath.ToSlash(filepath.Join(dir, "target", "mart.duckdb"))

	stg, ok := jobs["model.soda.stg_members"]
	require.True(t, ok, "jobs: %v", keys(jobs))
	require.Len(t, stg.Inputs, 1)
	assert.Equal(t, dataset{Namespace: ns, Name: "mart.main_raw.raw_members"}, dataset{Namespace: stg.Inputs[0].Namespace, Name: stg.Inputs[0].Name})
	require.Len(t, stg.Outputs, 1)
	assert.Equal(t, "mart.main_staging.stg_members", stg.Outputs[0].Name)
	assert.Contains(t, string(stg.Job.Facets["sql"]), `"query":"`)
	assert.Contains(t, string(stg.Job.Facets["jobType"]), `"jobType":"MODEL"`)
	assert.Contains(t, string(stg.Outputs[0].Facets["schema"]), `"name":"member_id"`, "documented columns")

	seed := jobs["seed.soda.raw_members"]
	require.Len(t, seed.Outputs, 1)
	assert.JSONEq(t, `{"rowCount":400}`, withoutBase(t, seed.Outputs[0].OutputFacets["outputStatistics"]))

	var test event
	for name, ev := range jobs {
		if strings.HasPrefix(name, "test.soda.unique_stg_members_member_id.") {
			test = ev
		}
	}
	require.Len(t, test.Inputs, 1)
	assert.Equal(t, "mart.main_staging.stg_members", test.Inputs[0].Name)
	assert.JSONEq(t, `{"assertions":[{"assertion":"unique","column":"member_id","success":true,"severity":"error","failures":0,
		"properties":{"test":"`+test.Job.Name+`","status":"pass"}}]}`,
		withoutBase(t, test.Inputs[0].InputFacets["dataQualityAssertions"]))
}

// A failing model is a FAIL event with its error; column lineage is sent
// for a model that selects columns of one relation by name.
func TestFailAndColumnLineage(t *testing.T) {
	v := newValidator(t)
	last := buildLastEvents(t, v, 1, map[string]string{
		"mart.yml":           "name: tiny\n",
		"seeds/people.csv":   "id,name,city\n1,Ann,Oslo\n",
		"models/renamed.sql": "select id, name as person, city from {{ ref('people') }} where id > 0",
		"models/broken.sql":  "select no_such_column from {{ ref('people') }}",
	})
	broken := last["model.tiny.broken"]
	assert.Equal(t, "FAIL", broken.EventType)
	require.NotNil(t, broken.Run.Facets.ErrorMessage)
	assert.Contains(t, broken.Run.Facets.ErrorMessage.Message, "no_such_column")
	assert.Equal(t, "FAIL", last["tiny.build"].EventType)

	renamed := last["model.tiny.renamed"]
	require.Len(t, renamed.Outputs, 1)
	in := renamed.Inputs[0]
	assert.JSONEq(t, `{"fields":{
		"id":{"inputFields":[{"namespace":"`+in.Namespace+`","name":"`+in.Name+`","field":"id","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}]}]},
		"person":{"inputFields":[{"namespace":"`+in.Namespace+`","name":"`+in.Name+`","field":"name","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}]}]},
		"city":{"inputFields":[{"namespace":"`+in.Namespace+`","name":"`+in.Name+`","field":"city","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}]}]}}}`,
		withoutBase(t, renamed.Outputs[0].Facets["columnLineage"]))
}

// A dataset's schema facet is the documented columns of the node it is
// read through: a model that reads a seed through an ephemeral model gets
// the seed's columns, though a source names the seed's table too (and
// sorts after it by id); the output's are the model's own; the test's
// assertion is on the relation of the model it tests.
func TestDatasetColumnsAreTheParentsRead(t *testing.T) {
	v := newValidator(t)
	last := buildLastEvents(t, v, 0, map[string]string{
		"mart.yml":         "name: tiny\n",
		"seeds/people.csv": "id,name\n1,Ann\n",
		"models/eph.sql":   "{{ config(materialized='ephemeral') }}\nselect id, name from {{ ref('people') }}\n",
		"models/m.sql":     "{{ config(materialized='table') }}\nselect id from {{ ref('eph') }}\n",
		"models/_p.yml": `version: 2
seeds:
  - name: people
    columns:
      - name: id
        description: the seed's key
models:
  - name: m
    columns:
      - name: id
        description: the model's key
        data_tests: [not_null]
sources:
  - name: raw
    schema: main
    tables:
      - name: people
        columns:
          - name: name
            description: the source's name
`,
	})
	m := last["model.tiny.m"]
	require.Len(t, m.Inputs, 1)
	assert.Equal(t, "mart.main.people", m.Inputs[0].Name)
	assert.JSONEq(t, `{"fields":[{"name":"id","description":"the seed's key"}]}`, withoutBase(t, m.Inputs[0].Facets["schema"]))
	require.Len(t, m.Outputs, 1)
	assert.JSONEq(t, `{"fields":[{"name":"id","description":"the model's key"}]}`, withoutBase(t, m.Outputs[0].Facets["schema"]))
	var test event
	for name, ev := range last {
		if strings.HasPrefix(name, "test.tiny.not_null_m_id") {
			test = ev
		}
	}
	require.Len(t, test.Inputs, 1)
	assert.Contains(t, string(test.Inputs[0].InputFacets["dataQualityAssertions"]), `"assertion":"not_null"`)
}

// buildLastEvents builds a project of these files with a receiver as the
// endpoint, checks the exit code, and returns each job's last event.
func buildLastEvents(t *testing.T, v *validator, wantCode int, files map[string]string) map[string]event {
	t.Helper()
	r := newReceiver(t)
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	code, out, errs := run(t, nil, "build", "--project-dir", dir, "--openlineage-url", r.srv.URL)
	require.Equal(t, wantCode, code, "%s\n%s", out, errs)
	last := map[string]event{}
	for _, ev := range r.events(t, v) {
		last[ev.Job.Name] = ev
	}
	return last
}

// A dead endpoint is one warning; the build neither fails nor waits.
func TestDeadEndpointIsOneWarning(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + l.Addr().String()
	l.Close() // nothing listens there now
	dir := copyDemo(t)
	start := time.Now()
	code, out, errs := run(t, map[string]string{"OPENLINEAGE_URL": url}, "build", "--project-dir", dir, "-s", "+stg_members")
	require.Equal(t, 0, code, "%s\n%s", out, errs)
	assert.Less(t, time.Since(start), 30*time.Second)
	assert.Equal(t, 1, strings.Count(errs, "warning: OpenLineage: cannot send events to "+url+"/api/v1/lineage"), errs)

	code, out, errs = run(t, nil, "build", "--project-dir", dir, "-s", "+stg_members", "--log-format", "json", "--openlineage-url", url)
	require.Equal(t, 0, code, "%s\n%s", out, errs)
	assert.Contains(t, errs, `"event":"warning"`)
	code, _, errs = run(t, nil, "build", "--project-dir", dir, "--openlineage-url", "localhost:5000")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--openlineage-url: expected an http(s) URL")
}

func types(evs []event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.EventType
	}
	return out
}

// withoutBase drops a facet's _producer and _schemaURL.
func withoutBase(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m), "facet %s", raw)
	delete(m, "_producer")
	delete(m, "_schemaURL")
	b, _ := json.Marshal(m)
	return string(b)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
