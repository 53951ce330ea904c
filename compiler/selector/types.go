package selector

import "time"

// Node is what selection reads of one graph node.
type Node struct {
	UniqueID     string         // "model.soda.stg_members", "source.soda.raw.members", ...
	Name         string         // "stg_members"; for sources the table name
	ResourceType string         // model | seed | snapshot | test | source | unit_test | analysis
	Path         string         // slash path relative to the project root: "models/staging/stg_members.sql"
	FQN          []string       // ["soda","staging","stg_members"]; sources: ["soda","raw","members"]
	Tags         []string       // resolved tags
	Config       map[string]any // resolved config: string, bool, float64, int, []any, map[string]any values
	// Unrendered holds the config keys a YAML template set, as written
	// (dbt's unrendered_config): state:modified compares these instead
	Unrendered map[string]any
	SourceName string   // sources only: the source's name ("raw")
	Package    string   // project (package) name
	TestType   string   // tests: "generic" | "singular"; unit tests: "unit"
	DependsOn  []string // unique ids of parents
	Checksum   string   // content checksum, for state:modified
	// Version and LatestVersion: a versioned model's (version: method)
	Version, LatestVersion string
	// Macros, Vars, Contract and PersistedDocs fingerprint what else the
	// node depends on (compiler.Fingerprint and the compiler.Node methods):
	// state:modified.macros|vars|contract|persisted_descriptions.
	Macros, Vars, Contract, PersistedDocs string
	// Freshness fingerprints a source's freshness check and
	// loaded_at_field, which state:modified compares (dbt's same_freshness)
	Freshness string
	// Disabled is set by callers that know better than Config alone (the
	// compiler also reads enabled: "false" and "no" as disabled)
	Disabled bool
}

// Graph is the dependency graph selection runs over. Children are derived from
// Node.DependsOn.
type Graph struct {
	Nodes map[string]*Node // by unique id
	// Order, when set, holds Nodes' nodes (each keyed by its UniqueID) in
	// the order selection numbers them, and Parents, when set too, the
	// places in Order of each one's DependsOn that are nodes of the
	// graph, in DependsOn's order, each once: a graph read from the patch
	// snapshot's node index has both, and selection then builds no map of
	// the ids nor resolves DependsOn (10 ms of the 10k project's 30,000).
	Order   []*Node
	Parents [][]int32
}

// Options carries what some methods and modes need besides the graph.
type Options struct {
	// State holds the nodes of a previous manifest, by unique id, for
	// state:new / state:modified. nil means no state was given.
	State map[string]*Node
	// Results maps unique id to the status of a previous run ("success",
	// "error", "fail", "warn", "skipped", "pass") for result:<status>. nil
	// means no results were given.
	Results map[string]string
	// IndirectTests turns on dbt's eager indirect selection: every test and
	// unit test with any selected parent is selected too, unless excluded.
	IndirectTests bool
	// Indirect is the indirect selection mode of IndirectTests: eager
	// ("" too), cautious (a test whose parents are all selected),
	// buildable (whose parents are selected or their ancestors) or empty
	// (none); a YAML selector's own indirect_selection wins
	Indirect string
	// SourcesLoadedAt and StateSourcesLoadedAt map a source's unique id to
	// the newest loaded_at value `mart source freshness` found, now
	// (target/sources.json) and in the previous state (--state DIR), for
	// source_status:fresher. nil means the file was not given.
	SourcesLoadedAt, StateSourcesLoadedAt map[string]time.Time
	// Selectors are the project's YAML selectors, which selector: atoms
	// name (selectors.yml)
	Selectors Definitions
	// Unmatched, when set, receives the criteria of the include and
	// exclude arguments (each member of a space-separated union, an
	// intersection whole) that select no node on their own, before
	// exclusion: dbt's NoNodesForSelectionCriteria
	Unmatched *[]string
}
