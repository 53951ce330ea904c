package warehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/mart-dev/mart/internal/suggest"
)

// DefaultType is the engine of a project without a profiles.yml: an
// embedded DuckDB file under target/.
const DefaultType = "duckdb"

// Adapter is what an engine package registers (see [Register]): how to
// read its targets from profiles.yml, its SQL text, and how to connect.
// Adding an engine is a package that registers one Adapter in its init
// function and a blank import of that package where mart is wired
// (cli/adapters.go). Nothing outside the engine's package names the
// engine or its types.
//
// Capabilities that not every engine has are optional interfaces of the
// Warehouse that Open returns, declared by the code that uses them
// ([Incrementer], [TempRelationLister], a dry-run cost estimate, a
// connection check).
type Adapter interface {
	// Dialect is the engine's SQL text.
	Dialect() Dialect
	// ParseTarget reads one output of profiles.yml, its values already
	// rendered (env_var). A problem with a key is a *SettingError naming
	// it, so the caller can point at its line; several are joined with
	// errors.Join.
	ParseTarget(s Settings) (Target, error)
	// Open connects to a target that ParseTarget returned.
	Open(ctx context.Context, t Target, opt OpenOptions) (Warehouse, error)
}

// Settings is one output of profiles.yml as written: key to value. The
// keys every engine shares, type and threads, are read by mart itself;
// an adapter accepts them and reads the rest.
type Settings map[string]any

// Target is what an adapter reads from a profile's output.
type Target struct {
	// Database is the default database (DuckDB catalog, BigQuery project);
	// "" is the connection's own.
	Database string
	// Schema is the default schema (BigQuery: dataset).
	Schema string
	// Catalog is the name of the connection's own database when two-part
	// names (schema.name) could take a schema of that name for it (DuckDB:
	// the file's stem; "dev.orders" is ambiguous in dev.duckdb when a
	// schema dev exists). Relations in such a schema are qualified with it.
	Catalog string
	// Template holds engine-specific values that templates see under
	// `target` besides the common ones (BigQuery: project and dataset).
	Template map[string]any
	// Warnings are problems that do not stop the target from working,
	// such as a key the adapter does not know.
	Warnings []*SettingError
	// Config is the adapter's own parsed settings, handed back to Open.
	Config any
}

// OpenOptions is what Open needs besides the target.
type OpenOptions struct {
	// ProjectDir is the project's directory: relative paths in a profile
	// are relative to it.
	ProjectDir string
	// Speculative opens ahead of need (mart opens the warehouse while the
	// project compiles, so that neither waits for the other): the adapter
	// opens only what already exists and changes nothing, not even to
	// create a database file or a schema, and fails instead. A failure
	// means nothing: the caller opens again the usual way once the
	// project compiled.
	Speculative bool
}

// SettingError is a problem with one key of a profile's output. Its
// message names the key itself; Key says where to point.
type SettingError struct {
	Key string // "" for the output as a whole
	Err error
}

func (e *SettingError) Error() string { return e.Err.Error() }

func (e *SettingError) Unwrap() error { return e.Err }

// SettingErrors returns every *SettingError in err, which may be one or
// joined with errors.Join.
func SettingErrors(err error) []*SettingError {
	if err == nil {
		return nil
	}
	var list interface{ Unwrap() []error }
	if errors.As(err, &list) {
		var out []*SettingError
		for _, e := range list.Unwrap() {
			out = append(out, SettingErrors(e)...)
		}
		return out
	}
	var se *SettingError
	if errors.As(err, &se) {
		return []*SettingError{se}
	}
	return []*SettingError{{Err: err}}
}

var registry = struct {
	sync.RWMutex
	m map[string]Adapter
}{m: map[string]Adapter{}}

// Register makes an adapter available under its dialect's name. It panics
// when the name is taken, as database/sql.Register does.
func Register(a Adapter) {
	name := a.Dialect().Name()
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.m[name]; dup {
		panic("warehouse: adapter " + name + " registered twice")
	}
	registry.m[name] = a
}

// Lookup returns the adapter registered under name (a profile's type).
// The error for an unknown name lists the known ones.
func Lookup(name string) (Adapter, error) {
	registry.RLock()
	defer registry.RUnlock()
	if a, ok := registry.m[strings.ToLower(name)]; ok {
		return a, nil
	}
	return nil, fmt.Errorf("unknown warehouse type %q (mart knows %s)", name, strings.Join(adapterNames(), ", "))
}

// Adapters returns the registered adapters' names, sorted.
func Adapters() []string {
	registry.RLock()
	defer registry.RUnlock()
	return adapterNames()
}

func adapterNames() []string {
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// CheckKeys returns a *SettingError for each key of s that known does not
// hold, with the closest known key as a hint, sorted by key.
func CheckKeys(s Settings, known []string) []*SettingError {
	var out []*SettingError
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			msg := fmt.Sprintf("unknown key %q", k)
			if hint := suggest.Hint(k, known, 1); hint != "" {
				msg += " (" + hint + ")"
			}
			out = append(out, &SettingError{Key: k, Err: errors.New(msg)})
		}
	}
	return out
}
