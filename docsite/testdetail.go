package docsite

import "github.com/mart-dev/mart/compiler"

// testDetail is a test's page data, stored in data/t/<k>.js (k from
// site.testShard).
type testDetail struct {
	ID          string                 `json:"id"`
	Name        string                 `json:"name"`
	Type        string                 `json:"type"` // test or unit_test
	Kind        string                 `json:"kind"`
	Path        string                 `json:"path"`
	Attached    string                 `json:"attached,omitempty"`
	Column      string                 `json:"column,omitempty"`
	Kwargs      compiler.Object        `json:"kwargs,omitempty"`
	Severity    string                 `json:"severity,omitempty"`
	Description string                 `json:"description_html"`
	Raw         string                 `json:"raw_html,omitempty"`
	Compiled    string                 `json:"compiled_html,omitempty"`
	Config      compiler.Config        `json:"config"`
	Tags        []string               `json:"tags"`
	Depends     []string               `json:"depends"`
	Run         *runDetail             `json:"run"`
	Unit        *compiler.UnitTestSpec `json:"unit,omitempty"`
}

func (s *site) testDetail(t *compiler.Node) *testDetail {
	d := &testDetail{ID: t.UniqueID, Name: t.Name, Type: t.ResourceType, Kind: testKind(t), Path: t.Path,
		Attached: t.AttachedNode, Column: t.ColumnName, Severity: t.Config.String("severity"),
		Description: s.md.render(t.Description), Config: t.Config, Tags: t.Tags, Depends: t.DependsOn.Nodes,
		Run: s.runDetail(t.UniqueID), Unit: t.UnitTest}
	if t.TestMetadata != nil {
		d.Kwargs = t.TestMetadata.Args()
	}
	if t.UnitTest != nil && d.Attached == "" {
		d.Attached = t.UnitTest.Model
	}
	if t.RawCode != "" {
		d.Raw = highlightSQL(t.RawCode, true)
	}
	if t.CompiledCode != "" {
		d.Compiled = highlightSQL(t.CompiledCode, false)
	}
	if d.Tags == nil {
		d.Tags = []string{}
	}
	if d.Depends == nil {
		d.Depends = []string{}
	}
	return d
}
