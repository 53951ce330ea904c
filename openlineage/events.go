package openlineage

import (
	"crypto/rand"
	"fmt"
	"time"
)

// Producer is the producer URI of every event and facet.
const Producer = "https://github.com/mart-dev/mart"

// Schema URLs: the core spec these events are written (and tested)
// against, and each facet's own schema (testdata/schema holds them all).
const (
	RunEventSchema         = "https://openlineage.io/spec/2-0-0/OpenLineage.json#/$defs/RunEvent"
	parentFacetSchema      = "https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet"
	errorFacetSchema       = "https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet"
	sqlFacetSchema         = "https://openlineage.io/spec/facets/1-0-1/SQLJobFacet.json#/$defs/SQLJobFacet"
	jobTypeFacetSchema     = "https://openlineage.io/spec/facets/2-0-2/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"
	schemaFacetSchema      = "https://openlineage.io/spec/facets/1-0-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"
	statsFacetSchema       = "https://openlineage.io/spec/facets/1-0-0/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet"
	assertionsFacetSchema  = "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet"
	columnLineageFacetSchm = "https://openlineage.io/spec/facets/1-1-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"
)

// Event types.
const (
	Start    = "START"
	Complete = "COMPLETE"
	Fail     = "FAIL"
)

// RunEvent is an OpenLineage run event.
type RunEvent struct {
	EventType string    `json:"eventType"`
	EventTime string    `json:"eventTime"`
	Run       Run       `json:"run"`
	Job       Job       `json:"job"`
	Inputs    []Dataset `json:"inputs"`
	Outputs   []Dataset `json:"outputs"`
	Producer  string    `json:"producer"`
	SchemaURL string    `json:"schemaURL"`
}

// Run is a run and its facets.
type Run struct {
	RunID  string         `json:"runId"`
	Facets map[string]any `json:"facets,omitempty"`
}

// Job is a job and its facets.
type Job struct {
	Namespace string         `json:"namespace"`
	Name      string         `json:"name"`
	Facets    map[string]any `json:"facets,omitempty"`
}

// Dataset is an input or output dataset.
type Dataset struct {
	Namespace    string         `json:"namespace"`
	Name         string         `json:"name"`
	Facets       map[string]any `json:"facets,omitempty"`
	InputFacets  map[string]any `json:"inputFacets,omitempty"`
	OutputFacets map[string]any `json:"outputFacets,omitempty"`
}

// facet is a facet's body with the base facet's fields.
func facet(schema string, fields map[string]any) map[string]any {
	fields["_producer"] = Producer
	fields["_schemaURL"] = schema
	return fields
}

// NewRunID returns a random (version 4) UUID.
func NewRunID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func eventTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// parentFacet names the run that started this one.
func parentFacet(namespace, job, runID string) map[string]any {
	return facet(parentFacetSchema, map[string]any{
		"run": map[string]any{"runId": runID},
		"job": map[string]any{"namespace": namespace, "name": job},
	})
}

func errorFacet(msg string) map[string]any {
	return facet(errorFacetSchema, map[string]any{"message": msg, "programmingLanguage": "SQL"})
}

func sqlFacet(query string) map[string]any {
	return facet(sqlFacetSchema, map[string]any{"query": query})
}

func jobTypeFacet(jobType string) map[string]any {
	return facet(jobTypeFacetSchema, map[string]any{"processingType": "BATCH", "integration": "MART", "jobType": jobType})
}
