package docsite

import (
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
)

// nodeDetail is what a node's page shows beyond data/index.js, stored in
// its folder's shard (data/n/<k>.js). Fields ending in _html are HTML made
// in Go (goldmark, highlightSQL) with everything the user wrote escaped;
// the browser puts every other string on the page as text.
type nodeDetail struct {
	ID           string           `json:"id"`
	Path         string           `json:"path"`
	PatchPath    string           `json:"patch_path,omitempty"`
	Relation     string           `json:"relation,omitempty"`
	Database     string           `json:"database,omitempty"`
	Schema       string           `json:"schema,omitempty"`
	Alias        string           `json:"alias,omitempty"`
	Materialized string           `json:"materialized,omitempty"`
	Language     string           `json:"language,omitempty"`
	Description  string           `json:"description_html"`
	Raw          string           `json:"raw_html,omitempty"`
	Compiled     string           `json:"compiled_html,omitempty"`
	Config       compiler.Config  `json:"config"`
	Meta         compiler.Object  `json:"meta,omitempty"`
	Owner        string           `json:"owner,omitempty"`
	Tags         []string         `json:"tags"`
	Columns      []columnDetail   `json:"columns"`
	Tests        []testRef        `json:"tests"`
	Macros       []string         `json:"macros,omitempty"`
	Run          *runDetail       `json:"run"`
	Stats        *statsDetail     `json:"stats"`
	Freshness    *FreshnessResult `json:"freshness"`
	Source       *sourceDetail    `json:"source,omitempty"`
}

// testRef is a test as listed on the page of a node it reads.
type testRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"` // unique, not_null, ..., singular, unit
	Column   string `json:"column,omitempty"`
	Severity string `json:"severity,omitempty"`
	Status   string `json:"status,omitempty"`
	Failures *int64 `json:"failures,omitempty"`
}

// runDetail is a node's last run.
type runDetail struct {
	Status      string         `json:"status"`
	Message     string         `json:"message"`
	Rows        int64          `json:"rows"`
	Seconds     float64        `json:"seconds"`
	CompletedAt string         `json:"completed_at,omitempty"`
	Failures    *int64         `json:"failures,omitempty"`
	Adapter     map[string]any `json:"adapter_response,omitempty"`
}

// statsDetail is what the warehouse catalog says about the relation.
type statsDetail struct {
	Kind     string  `json:"kind"`
	Relation string  `json:"relation"`
	Rows     any     `json:"rows,omitempty"`
	Bytes    any     `json:"bytes,omitempty"`
	Modified any     `json:"modified,omitempty"`
	Comment  *string `json:"comment,omitempty"`
}

type sourceDetail struct {
	Name          string          `json:"name"`
	Identifier    string          `json:"identifier"`
	LoadedAtField string          `json:"loaded_at_field,omitempty"`
	Extract       compiler.Object `json:"extract,omitempty"`
}

// detail builds a node's page data.
func (s *site) detail(n *compiler.Node) *nodeDetail {
	jinja := n.ResourceType != compiler.TypeSeed && n.ResourceType != compiler.TypeSource
	d := &nodeDetail{ID: n.UniqueID, Path: n.Path, PatchPath: n.PatchPath, Relation: n.Relation,
		Database: n.Database, Schema: n.Schema, Alias: n.Alias, Materialized: n.Materialized(), Language: n.Language,
		Description: s.md.render(n.Description), Config: n.Config, Meta: n.Meta, Owner: owner(n), Tags: n.Tags,
		Macros: n.DependsOn.Macros, Run: s.runDetail(n.UniqueID), Freshness: s.fresh[n.UniqueID]}
	if n.RawCode != "" {
		d.Raw = highlightSQL(n.RawCode, jinja)
	}
	if n.CompiledCode != "" {
		d.Compiled = highlightSQL(n.CompiledCode, false)
	}
	if n.ResourceType == compiler.TypeSource {
		d.Source = &sourceDetail{Name: n.SourceName, Identifier: n.Identifier, LoadedAtField: n.LoadedAtField, Extract: n.Extract}
	}
	entry := s.in.Catalog.entry(n.UniqueID)
	d.Stats = statsOf(entry)
	d.Tests = s.testRefs(n.UniqueID)
	d.Columns = s.columns(n, entry, d.Tests)
	if d.Tags == nil {
		d.Tags = []string{}
	}
	return d
}

// owner is meta.owner, as text.
func owner(n *compiler.Node) string {
	switch v := n.Meta["owner"].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func (s *site) runDetail(id string) *runDetail {
	r := s.results[id]
	if r == nil {
		return nil
	}
	d := &runDetail{Status: r.Status, Message: r.Message, Rows: r.RowsAffected, Seconds: r.ExecutionTime,
		Failures: r.Failures, Adapter: r.AdapterResponse}
	if len(d.Adapter) == 0 {
		d.Adapter = nil
	}
	var last time.Time
	for _, t := range r.Timing {
		if t.CompletedAt.After(last) {
			last = t.CompletedAt
		}
	}
	if !last.IsZero() {
		d.CompletedAt = last.UTC().Format(time.RFC3339)
	}
	return d
}

func statsOf(e *CatalogEntry) *statsDetail {
	if e == nil {
		return nil
	}
	md := e.Metadata
	rel := strings.Trim(md.Database+"."+md.Schema+"."+md.Name, ".")
	d := &statsDetail{Kind: md.Type, Relation: rel, Comment: md.Comment}
	if st, ok := e.Stats["row_count"]; ok {
		d.Rows = st.Value
	}
	if st, ok := e.Stats["bytes"]; ok {
		d.Bytes = st.Value
	}
	if st, ok := e.Stats["last_modified"]; ok {
		d.Modified = st.Value
	}
	return d
}

// testRefs lists the tests that read the node, by unique id.
func (s *site) testRefs(id string) []testRef {
	tests := s.testsOf[id]
	out := make([]testRef, len(tests))
	for i, t := range tests {
		r := testRef{ID: t.UniqueID, Name: t.Name, Kind: testKind(t), Severity: t.Config.String("severity"),
			Status: s.status(t.UniqueID)}
		if t.AttachedNode == id {
			r.Column = t.ColumnName
		}
		if res := s.results[t.UniqueID]; res != nil {
			r.Failures = res.Failures
		}
		out[i] = r
	}
	return out
}

// testKind is the generic test's name, or singular or unit.
func testKind(t *compiler.Node) string {
	switch {
	case t.ResourceType == compiler.TypeUnitTest:
		return "unit"
	case t.TestMetadata != nil:
		return t.TestMetadata.Name
	}
	return "singular"
}
