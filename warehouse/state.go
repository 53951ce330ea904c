package warehouse

// StateLocation says where a previous run (--state DIR) built its
// relations, so that this run can read them (--defer, mart diff, mart
// clone). Recorded is what the state's manifest says of its target (the
// adapter's own keys, from its Locate method); Dir is the state directory,
// where an adapter may also look (a DuckDB file copied beside the
// manifest).
type StateLocation struct {
	Dir      string
	Recorded map[string]string
	// ProjectDir is this run's project: recorded relative paths are
	// relative to it.
	ProjectDir string
}

// A Warehouse that can read a previous run's relations has a method
//
//	AttachState(ctx context.Context, loc StateLocation) (func(Relation) Relation, error)
//
// that makes them readable from its connections (DuckDB attaches the
// state's database file read-only) and returns how this connection names
// a relation of the state. An Adapter whose targets record a location has
//
//	Locate(t Target, opt OpenOptions) map[string]string
//
// whose result the compiler keeps in the manifest's metadata.
