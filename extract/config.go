package extract

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler"
)

// Modes.
const (
	ModeFull        = "full"
	ModeIncremental = "incremental"
	ModeCDC         = "cdc"
)

// How deletes in the source are seen.
const (
	DeletesNone      = "none"
	DeletesReconcile = "reconcile"
	DeletesCDC       = "cdc"
)

// Defaults.
const (
	DefaultChunkSize   = 50_000
	DefaultLockTimeout = 10 * time.Second
)

// Config is a source table's validated `extract:` block.
type Config struct {
	From string // postgres, mysql, mongodb or files
	// DSN and ReplicaDSN are the templates as written ({{ env_var('X') }});
	// they are rendered when the table runs (see Job.DSN).
	DSN, ReplicaDSN string
	Mode            string
	Cursor          string
	// Lookback re-reads this far behind the stored cursor: a duration for
	// time cursors (LookbackDuration) or a count for integer cursors
	// (LookbackCount).
	LookbackDuration time.Duration
	LookbackCount    int64
	Deletes          string
	ChunkSize        int
	MaxRowsPerSecond float64
	StatementTimeout time.Duration
	LockTimeout      time.Duration
	PrimaryKey       []string
	KeepDeleted      bool
	// Table is the table or collection in the store ("public.orders"); by
	// default the source table's identifier.
	Table string
	// Database is the MongoDB database (or a MySQL schema, when the DSN
	// names none).
	Database string
	// Path and Format: a files source's glob, relative to the project, and
	// csv, json (newline-delimited) or parquet (default: the extension's).
	Path, Format string
	// ApplicationName identifies mart's sessions on the source.
	ApplicationName string
	// Slot and Publication name PostgreSQL CDC's replication slot and
	// publication (default: derived from the raw table's name).
	Slot, Publication string
}

// pgName is a replication slot or publication name mart can write into a
// replication command as it is.
var pgName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9_]{1,63}$`) })

// configKeys are the keys of an extract: block, in the order documented.
var configKeys = []string{
	"from", "dsn", "replica_dsn", "mode", "cursor", "lookback", "deletes", "chunk_size", "max_rows_per_second",
	"statement_timeout", "lock_timeout", "primary_key", "keep_deleted", "table", "database", "path", "format",
	"application_name", "slot", "publication",
}

// Froms are the kinds of source, in the order documented.
var Froms = []string{"postgres", "mysql", "mongodb", "files"}

// ConfigError is one problem in an extract: block: the key (or "" for
// the block) and what is wrong.
type ConfigError struct {
	Key, Msg string
	// At is the key whose place in the YAML the error points at, when it
	// is not Key (an unknown key names no key of its own).
	At string
}

func (e ConfigError) Error() string {
	if e.Key == "" {
		return "extract: " + e.Msg
	}
	return "extract." + e.Key + ": " + e.Msg
}

// configReader reads one extract: block into a Config, collecting errors.
type configReader struct {
	m    map[string]any
	errs []ConfigError
}

// ParseConfig reads and validates a source table's extract: block (see
// compiler.Node.Extract). Errors name the key and, for an unknown key or
// value, the closest valid one; the caller adds where it is declared.
func ParseConfig(m map[string]any) (Config, []ConfigError) {
	r := &configReader{m: m}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(configKeys, k) {
			r.errs = append(r.errs, ConfigError{Msg: fmt.Sprintf("unknown key %q%s", k, hint(k, configKeys)), At: k})
		}
	}
	c := Config{
		From: r.choice("from", "", Froms), DSN: r.str("dsn"), ReplicaDSN: r.str("replica_dsn"),
		Cursor: r.str("cursor"), PrimaryKey: r.strList("primary_key"), KeepDeleted: r.boolean("keep_deleted"),
		Table: r.str("table"), Database: r.str("database"), Path: r.str("path"),
		Format: r.choice("format", "", []string{"csv", "json", "parquet"}), ApplicationName: r.str("application_name"),
		Slot: r.str("slot"), Publication: r.str("publication"),
		ChunkSize:        int(r.integer("chunk_size", DefaultChunkSize, 1)),
		MaxRowsPerSecond: r.number("max_rows_per_second"),
		StatementTimeout: r.duration("statement_timeout", 0),
		LockTimeout:      r.duration("lock_timeout", DefaultLockTimeout),
	}
	if c.ApplicationName == "" {
		c.ApplicationName = "mart extract"
	}
	defMode := ModeFull
	if c.Cursor != "" {
		defMode = ModeIncremental
	}
	c.Mode = r.choice("mode", defMode, []string{ModeFull, ModeIncremental, ModeCDC})
	defDeletes := DeletesNone
	if c.Mode == ModeCDC {
		defDeletes = DeletesCDC
	}
	c.Deletes = r.choice("deletes", defDeletes, []string{DeletesNone, DeletesReconcile, DeletesCDC})
	r.lookback(&c)
	r.check(&c)
	return c, r.errs
}

// check validates combinations of keys.
func (r *configReader) check(c *Config) {
	if _, ok := r.m["from"]; !ok {
		r.errorf("from", "missing: say which kind of source this is (%s)", strings.Join(Froms, ", "))
	}
	switch {
	case c.From == "files" && c.Path == "":
		r.errorf("path", "missing: a files source needs a path such as \"data/fleet/*.csv\"")
	case c.From != "files" && c.From != "" && c.DSN == "":
		r.errorf("dsn", "missing: a %s source needs a dsn, such as \"{{ env_var('MY_DSN') }}\"", c.From)
	case c.From == "mongodb" && c.Database == "":
		r.errorf("database", "missing: a mongodb source needs the database its collections are in")
	}
	for _, d := range [][2]string{{"dsn", c.DSN}, {"replica_dsn", c.ReplicaDSN}} {
		if !strings.Contains(d[1], "{{") && hasPassword(d[1]) {
			// the block is written to target/manifest.json as it is
			r.errorf(d[0], "holds a password: read the DSN from the environment, such as \"{{ env_var('MY_DSN') }}\"")
		}
	}
	if c.Mode == ModeIncremental && c.Cursor == "" {
		r.errorf("cursor", "missing: mode incremental needs a cursor column that grows on every insert and update")
	}
	if c.Mode == ModeCDC && c.From != "postgres" && c.From != "" {
		r.errorf("mode", "cdc is only offered by postgres sources (logical replication); use incremental with deletes: reconcile")
	}
	if c.Deletes == DeletesCDC && c.Mode != ModeCDC {
		r.errorf("deletes", "cdc needs mode: cdc")
	}
	if c.Mode == ModeCDC && c.Deletes == DeletesReconcile {
		r.errorf("deletes", "cdc sees deletes itself; leave deletes out or set it to cdc")
	}
	// PostgreSQL CDC writes them into replication commands (slot names
	// allow only these; publication_names folds an unquoted name to lowercase)
	for _, n := range [][2]string{{"slot", c.Slot}, {"publication", c.Publication}} {
		if n[1] != "" && !pgName().MatchString(n[1]) {
			r.errorf(n[0], "%q is not a name PostgreSQL CDC can use: lowercase letters, digits and underscores, at most 63", n[1])
		}
	}
	if c.From == "files" && c.Mode != ModeFull {
		r.errorf("mode", "a files source loads each new or changed file whole; leave mode out (full)")
	}
}

func (r *configReader) errorf(key, format string, args ...any) {
	r.errs = append(r.errs, ConfigError{Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (r *configReader) str(key string) string {
	v, ok := r.m[key]
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case int, int64, float64, bool:
		return fmt.Sprint(x)
	}
	r.errorf(key, "expected a string, got %s", describe(v))
	return ""
}

func (r *configReader) choice(key, def string, valid []string) string {
	s := r.str(key)
	if s == "" {
		return def
	}
	if !contains(valid, strings.ToLower(s)) {
		r.errorf(key, "unknown value %q%s (expected %s)", s, hint(s, valid), strings.Join(valid, ", "))
		return def
	}
	return strings.ToLower(s)
}

func (r *configReader) strList(key string) []string {
	v, ok := r.m[key]
	if !ok || v == nil {
		return nil
	}
	switch x := v.(type) {
	case string:
		return splitList(x)
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok || strings.TrimSpace(s) == "" {
				r.errorf(key, "expected a list of column names, got %s", describe(e))
				return nil
			}
			out = append(out, strings.TrimSpace(s))
		}
		return out
	}
	r.errorf(key, "expected a column name or a list of them, got %s", describe(v))
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *configReader) boolean(key string) bool {
	v, ok := r.m[key]
	if !ok || v == nil {
		return false
	}
	if b, ok := v.(bool); ok {
		return b
	}
	r.errorf(key, "expected true or false, got %s", describe(v))
	return false
}

func (r *configReader) number(key string) float64 {
	v, ok := r.m[key]
	if !ok || v == nil {
		return 0
	}
	f, ok := toFloat(v)
	if !ok || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		r.errorf(key, "expected a number >= 0, got %s", describe(v))
		return 0
	}
	return f
}

func (r *configReader) integer(key string, def, min int64) int64 {
	v, ok := r.m[key]
	if !ok || v == nil {
		return def
	}
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) || f < float64(min) || f > 1e12 {
		r.errorf(key, "expected a whole number >= %d, got %s", min, describe(v))
		return def
	}
	return int64(f)
}

// duration reads a duration such as "60s", "10m", "1h30m" or "2d"; a plain
// number is seconds.
func (r *configReader) duration(key string, def time.Duration) time.Duration {
	v, ok := r.m[key]
	if !ok || v == nil {
		return def
	}
	if f, ok := toFloat(v); ok && f >= 0 {
		return time.Duration(f * float64(time.Second))
	}
	if s, ok := v.(string); ok {
		if d, err := parseDuration(s); err == nil && d >= 0 {
			return d
		}
	}
	r.errorf(key, "expected a duration such as \"60s\", \"10m\" or \"1h\", got %s", describe(v))
	return def
}

// lookback is a duration (time cursors) or a whole number (integer
// cursors).
func (r *configReader) lookback(c *Config) {
	v, ok := r.m["lookback"]
	if !ok || v == nil {
		return
	}
	switch x := v.(type) {
	case int, int64:
		c.LookbackCount = toInt64(x)
		if c.LookbackCount < 0 {
			r.errorf("lookback", "expected a duration such as \"10m\" or a whole number >= 0, got %s", describe(v))
		}
		return
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil && n >= 0 {
			c.LookbackCount = n
			return
		}
		if d, err := parseDuration(x); err == nil && d >= 0 {
			c.LookbackDuration = d
			return
		}
	}
	r.errorf("lookback", "expected a duration such as \"10m\" (time cursors) or a whole number (integer cursors), got %s", describe(v))
}

// parseDuration is time.ParseDuration with days ("2d", "1d12h").
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "d"); i > 0 {
		days, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, err
		}
		rest := time.Duration(0)
		if s[i+1:] != "" {
			if rest, err = time.ParseDuration(s[i+1:]); err != nil {
				return 0, err
			}
		}
		return time.Duration(days)*24*time.Hour + rest, nil
	}
	return time.ParseDuration(s)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case string:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprint(v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Validate parses the extract: block of every source node and returns
// one error diagnostic per problem, at the file and line the table is
// declared.
func Validate(nodes []*compiler.Node) compiler.Diagnostics {
	var ds compiler.Diagnostics
	for _, n := range nodes {
		if _, errs := nodeConfig(n); len(errs) > 0 {
			for _, e := range errs {
				key, _, _ := strings.Cut(firstNonEmpty(e.At, e.Key), ".")
				file, line, col := n.ExtractAt(key)
				ds = append(ds, compiler.Diagnostic{Severity: compiler.SevError, File: file, Line: line, Col: col,
					Summary: fmt.Sprintf("source %s, table %s: %s", n.SourceName, n.Name, e)})
			}
		}
	}
	return ds
}

func nodeConfig(n *compiler.Node) (Config, []ConfigError) {
	if n.ResourceType != compiler.TypeSource {
		return Config{}, []ConfigError{{Msg: fmt.Sprintf("internal error: %s is a %s, not a source", n.UniqueID, n.ResourceType)}}
	}
	if len(n.Extract) == 0 {
		return Config{}, []ConfigError{{Msg: "missing: the source has no extract: block saying where its rows come from"}}
	}
	return ParseConfig(n.Extract)
}
