package openlineage_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// validator checks events against the OpenLineage schemas kept in
// testdata/schema (its README says which, and how references resolve).
type validator struct {
	event  *jsonschema.Schema
	facets map[string]*jsonschema.Schema // by _schemaURL
}

const core = "https://openlineage.io/spec/2-0-0/OpenLineage.json"

// schemaFiles maps each kept file to its $id.
var schemaFiles = map[string]string{
	"OpenLineage-2-0-0.json":                               core,
	"facets/ParentRunFacet-1-1-0.json":                     "https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json",
	"facets/ErrorMessageRunFacet-1-0-0.json":               "https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json",
	"facets/SQLJobFacet-1-0-1.json":                        "https://openlineage.io/spec/facets/1-0-1/SQLJobFacet.json",
	"facets/JobTypeJobFacet-2-0-2.json":                    "https://openlineage.io/spec/facets/2-0-2/JobTypeJobFacet.json",
	"facets/SchemaDatasetFacet-1-0-0.json":                 "https://openlineage.io/spec/facets/1-0-0/SchemaDatasetFacet.json",
	"facets/OutputStatisticsOutputDatasetFacet-1-0-0.json": "https://openlineage.io/spec/facets/1-0-0/OutputStatisticsOutputDatasetFacet.json",
	"facets/DataQualityAssertionsDatasetFacet-1-1-0.json":  "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json",
	"facets/ColumnLineageDatasetFacet-1-1-0.json":          "https://openlineage.io/spec/facets/1-1-0/ColumnLineageDatasetFacet.json",
}

// schemaLoader serves the kept files by $id; the core versions the facets
// name (1-0-2, 2-0-2) by the kept 2-0-0 core; the core's unversioned facet
// references by the kept facet of that name, else an empty schema.
type schemaLoader map[string]any

func (l schemaLoader) Load(url string) (any, error) {
	if doc, ok := l[url]; ok {
		return doc, nil
	}
	if strings.HasSuffix(url, "/OpenLineage.json") {
		var doc map[string]any
		b, _ := json.Marshal(l[core])
		_ = json.Unmarshal(b, &doc)
		doc["$id"] = url
		return doc, nil
	}
	if _, name, ok := strings.Cut(url, "/facets/"); ok && !strings.Contains(name, "/") {
		for id, doc := range l {
			if strings.HasSuffix(id, "/"+name) {
				return doc, nil
			}
		}
		return map[string]any{}, nil
	}
	return nil, fmt.Errorf("no schema kept for %s", url)
}

func newValidator(t *testing.T) *validator {
	t.Helper()
	loader := schemaLoader{}
	for file, id := range schemaFiles {
		data, err := os.ReadFile(filepath.Join("testdata", "schema", file))
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		require.NoError(t, err, file)
		require.Equal(t, id, doc.(map[string]any)["$id"], file)
		loader[id] = doc
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(loader)
	c.AssertFormat()
	v := &validator{facets: map[string]*jsonschema.Schema{}}
	var err error
	v.event, err = c.Compile(core + "#/$defs/RunEvent")
	require.NoError(t, err)
	for _, id := range schemaFiles {
		if id == core {
			continue
		}
		defs := loader[id].(map[string]any)["$defs"].(map[string]any)
		for name := range defs {
			url := id + "#/$defs/" + name
			v.facets[url], err = c.Compile(url)
			require.NoError(t, err, url)
		}
	}
	return v
}

// validate checks one event (raw JSON) and every facet in it.
func (v *validator) validate(raw []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	if err := v.event.Validate(inst); err != nil {
		return fmt.Errorf("RunEvent: %v", err)
	}
	var errs []string
	walkFacets(inst, func(where string, f map[string]any) {
		url, _ := f["_schemaURL"].(string)
		s, ok := v.facets[url]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: no schema kept for _schemaURL %q", where, url))
			return
		}
		if err := s.Validate(f); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", where, err))
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// walkFacets calls fn for each facet of the run, the job and the datasets.
func walkFacets(ev any, fn func(where string, f map[string]any)) {
	m := ev.(map[string]any)
	each := func(where string, facets any) {
		fs, _ := facets.(map[string]any)
		for name, f := range fs {
			fn(where+"."+name, f.(map[string]any))
		}
	}
	each("run.facets", m["run"].(map[string]any)["facets"])
	each("job.facets", m["job"].(map[string]any)["facets"])
	for _, side := range []string{"inputs", "outputs"} {
		ds, _ := m[side].([]any)
		for i, d := range ds {
			dm := d.(map[string]any)
			for _, key := range []string{"facets", "inputFacets", "outputFacets"} {
				each(fmt.Sprintf("%s[%d].%s", side, i, key), dm[key])
			}
		}
	}
}

// The validator rejects what the schemas forbid, so the tests that use it
// can fail.
func TestValidatorRejects(t *testing.T) {
	v := newValidator(t)
	ok := `{"eventType":"START","eventTime":"2026-01-01T00:00:00Z","producer":"https://x.example/p","schemaURL":"https://openlineage.io/spec/2-0-0/OpenLineage.json#/$defs/RunEvent",
		"run":{"runId":"0b7e4c3a-8d2f-4a51-9c6e-1f2a3b4c5d6e","facets":%s},"job":{"namespace":"n","name":"j"},"inputs":[],"outputs":[]}`
	require.NoError(t, v.validate([]byte(fmt.Sprintf(ok, `{}`))))
	for name, bad := range map[string]string{
		"no run id":   strings.Replace(fmt.Sprintf(ok, `{}`), `"runId":"0b7e4c3a-8d2f-4a51-9c6e-1f2a3b4c5d6e",`, ``, 1),
		"bad type":    strings.Replace(fmt.Sprintf(ok, `{}`), `"START"`, `"BEGIN"`, 1),
		"bad uuid":    strings.Replace(fmt.Sprintf(ok, `{}`), `0b7e4c3a-8d2f`, `zz`, 1),
		"bare facet":  fmt.Sprintf(ok, `{"parent":{"run":{"runId":"0b7e4c3a-8d2f-4a51-9c6e-1f2a3b4c5d6e"}}}`),
		"facet shape": fmt.Sprintf(ok, `{"parent":{"_producer":"https://x.example/p","_schemaURL":"https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet","run":{}}}`),
	} {
		require.Error(t, v.validate([]byte(bad)), name)
	}
}
