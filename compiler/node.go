package compiler

import "encoding/json"

// Resource types.
const (
	TypeModel    = "model"
	TypeSeed     = "seed"
	TypeSnapshot = "snapshot"
	TypeTest     = "test"
	TypeSource   = "source"
	TypeUnitTest = "unit_test"
	// TypeAnalysis is a SQL file under analyses/: compiled, never run.
	TypeAnalysis = "analysis"
)

// Column documents one column of a model, seed, snapshot or source.
type Column struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	DataType    string         `json:"data_type,omitempty"`
	Meta        map[string]any `json:"meta,omitempty"`
	Tags        []string       `json:"tags,omitempty"`
	Quote       bool           `json:"quote,omitempty"`
	// Constraints are the column's contract constraints as written
	// ({type: not_null}, {type: check, expression: "x > 0"}, ...).
	Constraints []map[string]any `json:"constraints,omitempty"`

	pos int // its place in the YAML list (a contract's column order)
}

// DependsOn lists a node's parents.
type DependsOn struct {
	Nodes  []string `json:"nodes"`
	Macros []string `json:"macros"`
}

// TestMetadata describes a generic test instance.
type TestMetadata struct {
	Name string `json:"name"`
	// Kwargs are the test's arguments, column_name among them; read them
	// with Args (a test the compiler made with no argument but its column
	// leaves Kwargs nil)
	Kwargs    map[string]any `json:"kwargs"`
	Namespace string         `json:"namespace,omitempty"`
	// column: with Kwargs nil, the one argument, column_name (20,000
	// one-key maps were 7 MB of the live heap of a 10k model compile)
	column string
}

// MarshalJSON writes Args as kwargs, as manifest.json does.
func (t TestMetadata) MarshalJSON() ([]byte, error) {
	type plain TestMetadata // (without this method)
	p := plain(t)
	p.Kwargs = t.Args()
	return json.Marshal(p)
}

// Args is the test's kwargs: Kwargs, or {column_name: column} when the
// compiler made the test with no argument but its column.
func (t *TestMetadata) Args() map[string]any {
	if t.Kwargs == nil && t.column != "" {
		return map[string]any{"column_name": t.column}
	}
	return t.Kwargs
}

// UnitTestSpec is a unit test's given inputs and expected rows.
type UnitTestSpec struct {
	Model  string          `json:"model"`
	Given  []UnitTestInput `json:"given"`
	Expect UnitTestInput   `json:"expect"`
	// Incremental renders the model with is_incremental() true
	// (overrides: {macros: {is_incremental: true}}).
	Incremental bool `json:"incremental,omitempty"`
}

// UnitTestInput is a mocked input (or the expectation) of a unit test.
type UnitTestInput struct {
	Input   string           `json:"input,omitempty"`
	Format  string           `json:"format,omitempty"`
	Rows    []map[string]any `json:"rows,omitempty"`
	Fixture string           `json:"fixture,omitempty"`
	CSV     string           `json:"csv,omitempty"`
}

// MarshalJSON writes the rows as Objects (a .nan or .inf in one is a
// string, as in the rest of manifest.json), the rest as encoding/json does.
func (in UnitTestInput) MarshalJSON() ([]byte, error) {
	type plain UnitTestInput
	out := struct {
		plain
		Rows []Object `json:"rows,omitempty"` // shadows plain's
	}{plain: plain(in)}
	if in.Rows != nil {
		out.Rows = make([]Object, len(in.Rows))
		for i, r := range in.Rows {
			out.Rows[i] = r
		}
	}
	return json.Marshal(out)
}

// Node is one vertex of the graph: a model, seed, snapshot, test, source or
// unit test. Field names follow dbt's manifest so tools that read one can
// read the other.
type Node struct {
	UniqueID     string   `json:"unique_id"`
	ResourceType string   `json:"resource_type"`
	Name         string   `json:"name"`
	Package      string   `json:"package_name"`
	Path         string   `json:"original_file_path"`
	PatchPath    string   `json:"patch_path,omitempty"`
	FQN          []string `json:"fqn"`
	Database     string   `json:"database"`
	Schema       string   `json:"schema"`
	Alias        string   `json:"alias"`
	Relation     string   `json:"relation_name,omitempty"`
	// DeferRelation is set in the manifest.json a --defer run writes, on
	// each node the run read from the state instead of building: the
	// state's relation (dbt's defer_relation). Relation stays this
	// target's, so the manifest describes the target and can be a later
	// run's --state.
	DeferRelation *DeferRelation `json:"defer_relation,omitempty"`
	// Version and LatestVersion: a versioned model's version (versions:
	// in YAML, ref('m', v=2)) and its model's latest.
	Version       string `json:"version,omitempty"`
	LatestVersion string `json:"latest_version,omitempty"`
	// DeprecationDate: a model's deprecation_date (its version's, else
	// its entry's) in ISO 8601 with the offset, as dbt writes it; a date
	// or time without an offset is the machine's local time, as in dbt.
	DeprecationDate string `json:"deprecation_date,omitempty"`
	RawCode         string `json:"raw_code"`
	CompiledCode    string `json:"compiled_code,omitempty"`
	CompiledPath    string `json:"compiled_path,omitempty"`
	// RunTimeRender: the template queries the warehouse while it renders
	// (run_query, statement, adapter.get_columns_in_relation...): its
	// compiled SQL here is dbt's parse-time render, and the runner renders
	// it again with the warehouse before running it.
	RunTimeRender bool     `json:"run_time_render,omitempty"`
	Language      string   `json:"language,omitempty"`
	Checksum      Checksum `json:"checksum"`
	Config        Config   `json:"config"`
	// UnrenderedConfig holds, for config keys a YAML template set (in the
	// project file's folder configs or a properties file's config:), the
	// value as written: dbt's unrendered_config, which state:modified
	// compares instead of the rendered value.
	UnrenderedConfig map[string]any     `json:"unrendered_config,omitempty"`
	Tags             []string           `json:"tags"`
	Description      string             `json:"description"`
	Columns          map[string]*Column `json:"columns"`
	// Constraints are a model's table-level contract constraints, as
	// written in YAML (primary_key on columns: [a, b], foreign_key...).
	Constraints []map[string]any `json:"constraints,omitempty"`
	Meta        map[string]any   `json:"meta"`
	DependsOn   DependsOn        `json:"depends_on"`
	// Fingerprint: the macros and vars the compiled SQL depends on.
	Fingerprint *Fingerprint `json:"fingerprint,omitempty"`
	Refs        []RefCall    `json:"refs"`
	Sources     [][]string   `json:"sources"`

	// tests
	TestMetadata *TestMetadata `json:"test_metadata,omitempty"`
	ColumnName   string        `json:"column_name,omitempty"`
	AttachedNode string        `json:"attached_node,omitempty"`
	TestType     string        `json:"test_type,omitempty"`

	// seeds
	SeedPath string `json:"seed_path,omitempty"`

	// sources
	SourceName    string `json:"source_name,omitempty"`
	Identifier    string `json:"identifier,omitempty"`
	LoadedAtField string `json:"loaded_at_field,omitempty"`
	// Freshness is the table's freshness check (source and table merged),
	// nil when it has none.
	Freshness *Freshness `json:"freshness,omitempty"`
	// Extract is the source table's `extract:` block (mart extract): the
	// source's keys with the table's over them, as written in YAML.
	// Templates in it (a dsn's env_var) are left unrendered, so a secret
	// read from the environment never reaches the manifest.
	Extract map[string]any `json:"extract,omitempty"`

	// unit tests
	UnitTest *UnitTestSpec `json:"unit_test,omitempty"`

	// yaml position of the properties entry, for errors
	yamlFile string
	yamlLine int
	// extraTags: a generic test's tags that are not its config's: those
	// of the column it tests, and of its source and source table, as dbt
	// tags such a test (nodeTags)
	extraTags []string
	// yamlLayers: the YAML configs merged into Config, in order
	// (setUnrendered)
	yamlLayers []configLayer
	// versionSpec is a versioned model's entry in its versions: list.
	versionSpec *versionSpec
	// extractAt is where each key of the extract: block is written.
	extractAt map[string][2]int
	// YAML snapshots: where their relation: is, for errors in it
	relationAt [2]int
	// blockLine: a snapshot of a file with several {% snapshot %} blocks
	// (snapshotBlocks): the line its block starts on (0: the file's only
	// node); blockTemplate: what it renders, its block (RawCode) after a
	// newline for each line before it, so that a render's lines are the
	// file's (templateText)
	blockLine     int
	blockTemplate string

	rerender bool // the node has a template that later renders may run again
	// renderFailed: its render failed (said so): its config is what the
	// render set before, which checkNodeConfig does not check
	renderFailed bool
	testCall     *testCall // generic tests: the macro call, made without a template
}

// RefCall is one ref() call: package (optional), name, version (optional).
type RefCall struct {
	Package string `json:"package,omitempty"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// Checksum identifies a node's source text.
type Checksum struct {
	Name     string `json:"name"`
	Checksum string `json:"checksum"`
}

// Materialized returns the node's materialization.
func (n *Node) Materialized() string { return n.Config.String("materialized") }

// Enabled reports whether the node is enabled.
func (n *Node) Enabled() bool { return n.Config.Bool("enabled", true) }

// IsExecutable reports whether the node creates or checks something in the
// warehouse (sources and ephemeral models do not).
func (n *Node) IsExecutable() bool {
	switch n.ResourceType {
	case TypeSource:
		return false
	case TypeModel:
		return n.Materialized() != "ephemeral"
	}
	return true
}

// Declared returns where a node generated from YAML (a generic test, a
// unit test, a source) is declared: the properties file and line.
func (n *Node) Declared() (file string, line int) { return n.yamlFile, n.yamlLine }

// ExtractAt is where a source's extract: key is written (the table's own
// block, or its source's), or where the table is declared when the key is
// not written (col 0).
func (n *Node) ExtractAt(key string) (file string, line, col int) {
	if at, ok := n.extractAt[key]; ok {
		return n.yamlFile, at[0], at[1]
	}
	return n.yamlFile, n.yamlLine, 0
}

// templateText is the text a node's template is parsed from: its RawCode,
// or a snapshot block's text placed at its line (blockTemplate).
func (n *Node) templateText() string {
	if n.blockTemplate != "" {
		return n.blockTemplate
	}
	return n.RawCode
}
