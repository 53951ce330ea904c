package selector

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mart-dev/mart/warehouse"
)

// resultMatcher is result:<status>: nodes whose previous run ended so.
func resultMatcher(a *Atom, ix *index) matcher {
	return func(i int) bool {
		st, ok := ix.opt.Results[ix.ids[i]]
		return ok && st == a.Value
	}
}

// sourceStatusMatcher is source_status:fresher: sources whose newest
// loaded_at value is newer now than in the previous state's sources.json,
// or that the previous state did not check, as in dbt.
func sourceStatusMatcher(a *Atom, ix *index) matcher {
	return func(i int) bool {
		now, ok := ix.opt.SourcesLoadedAt[ix.ids[i]]
		if !ok || ix.nodes[i].ResourceType != "source" {
			return false
		}
		before, had := ix.opt.StateSourcesLoadedAt[ix.ids[i]]
		return !had || now.After(before)
	}
}

// stateMatcher compares nodes with the previous manifest. As in dbt, a node
// absent from the previous manifest counts as modified.
func stateMatcher(a *Atom, ix *index) matcher {
	// a source's checksum is of its relation name: dbt compares a
	// source's database, schema and identifier (and quoting) under
	// modified.relation, and no body (modified.body selects no source);
	// nor a unit test's (its checksum is of its definition: only
	// state:modified sees it)
	source := func(n *Node) bool { return n.ResourceType == "source" }
	body := func(old, n *Node) bool {
		return !source(n) && n.ResourceType != "unit_test" && old.Checksum != n.Checksum
	}
	// a generic test is modified by its config and fqn alone (dbt's
	// GenericTestNode.same_contents; a new call is a new id): its
	// relation moving is state:modified.relation only
	generic := func(n *Node) bool { return n.ResourceType == "test" && n.TestType == "generic" }
	// (the state's node is read from the members compared: the kind is
	// the project's node's)
	configs := func(old, n *Node) bool {
		return !valuesEqual(comparedConfig(n.ResourceType, old), comparedConfig(n.ResourceType, n))
	}
	macros := func(old, n *Node) bool { return old.Macros != n.Macros }
	vars := func(old, n *Node) bool { return old.Vars != n.Vars }
	contract := func(old, n *Node) bool { return old.Contract != n.Contract }
	docs := func(old, n *Node) bool { return old.PersistedDocs != n.PersistedDocs }
	freshness := func(old, n *Node) bool { return old.Freshness != n.Freshness }
	// what dbt's modified compares besides: the fqn of every kind but a
	// unit test (same_fqn: a model moved to another folder), and a
	// model's latest_version (same_ref_representation: unpinned refs
	// read another version)
	identity := func(old, n *Node) bool {
		return (n.ResourceType != "unit_test" && !sameTexts(old.FQN, n.FQN)) || old.LatestVersion != n.LatestVersion
	}
	// dbt's same_database_representation: the database, schema and
	// alias a node's config sets; a source's (its checksum)
	relation := func(old, n *Node) bool {
		if source(n) {
			return old.Checksum != n.Checksum
		}
		o, c := stateConfig(old), stateConfig(n)
		for _, k := range []string{"database", "schema", "alias"} {
			if !valuesEqual(o[k], c[k]) {
				return true
			}
		}
		return false
	}
	var changed func(old, n *Node) bool
	switch a.Value {
	case "new":
		changed = func(_, _ *Node) bool { return false }
	case "old":
		changed = func(_, _ *Node) bool { return true }
	case "modified", "unmodified":
		changed = func(old, n *Node) bool {
			return old.Checksum != n.Checksum || configs(old, n) || (!generic(n) && relation(old, n)) || macros(old, n) || vars(old, n) ||
				contract(old, n) || docs(old, n) || freshness(old, n) || identity(old, n)
		}
	case "modified.body":
		changed = body
	case "modified.configs":
		changed = configs
	case "modified.macros":
		changed = macros
	case "modified.vars":
		changed = vars
	case "modified.contract":
		changed = contract
	case "modified.persisted_descriptions":
		changed = docs
	case "modified.relation":
		changed = relation
	}
	isNewMatch := a.Value != "old" && a.Value != "unmodified"
	negate := a.Value == "unmodified"
	return func(i int) bool {
		old := ix.opt.State[ix.ids[i]]
		if old == nil {
			return isNewMatch
		}
		return changed(old, ix.nodes[i]) != negate
	}
}

// configNotCompared are the config keys dbt's same_config does not compare
// (its CompareBehavior.Exclude): tags and group, and the relation's
// database, schema and alias, which modified.relation compares.
var configNotCompared = map[string]bool{"tags": true, "group": true, "database": true, "schema": true, "alias": true}

// testModifiers are the only config keys dbt compares of a data test
// (TestConfig.same_contents).
var testModifiers = []string{"severity", "where", "limit", "fail_calc", "warn_if", "error_if", "store_failures", "store_failures_as", "sql_header"}

// comparedConfig is the config state:modified.configs compares of n, a
// node of kind typ, as dbt's same_config: a test's modifiers; a source's
// config but its tags; a unit test's enabled; any other node's but
// configNotCompared (a tag added is not a modification).
func comparedConfig(typ string, n *Node) map[string]any {
	c := stateConfig(n)
	out := make(map[string]any, len(c))
	switch typ {
	case "test":
		for _, k := range testModifiers {
			if v, ok := c[k]; ok {
				out[k] = v
			}
		}
	case "source":
		for k, v := range c {
			if k != "tags" {
				out[k] = v
			}
		}
	case "unit_test": // (dbt compares a unit test's checksum, and whether it is enabled)
		if v, ok := c["enabled"]; ok {
			out["enabled"] = v
		}
	default:
		for k, v := range c {
			if !configNotCompared[k] {
				out[k] = v
			}
		}
	}
	return out
}

// sameTexts says two lists of strings are the same as JSON holds them
// (JSONText).
func sameTexts(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && JSONText(a[i]) != JSONText(b[i]) {
			return false
		}
	}
	return true
}

// stateConfig is the config state:modified compares: the resolved one,
// with the keys a template set as written (as dbt compares
// unrendered_config: a template reading the target or a var is not a
// modification between two targets).
func stateConfig(n *Node) map[string]any {
	if len(n.Unrendered) == 0 {
		return n.Config
	}
	out := make(map[string]any, len(n.Config)+len(n.Unrendered))
	for k, v := range n.Config {
		out[k] = v
	}
	for k, v := range n.Unrendered {
		out[k] = v
	}
	return out
}

// JSONText is s as a manifest read back from JSON holds it: each byte
// that is not UTF-8 is U+FFFD (as manifest.json writes it, and
// encoding/json).
func JSONText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// jsonKeys is m with its keys as JSON holds them (JSONText): m itself
// when they are UTF-8. Two keys JSON spells alike keep the value of the
// last in byte order, as manifest.json writes them sorted and a decoder
// keeps the last.
func jsonKeys[V any](m map[string]V) map[string]any {
	valid := true
	for k := range m {
		valid = valid && utf8.ValidString(k)
	}
	out := make(map[string]any, len(m))
	if valid {
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out[JSONText(k)] = m[k]
	}
	return out
}

// jsonShape is a value as a manifest read back from JSON holds it: a YAML
// date or timestamp is its RFC 3339 text, a []string a []any, a .nan or
// .inf the string manifest.json spells it with, a string that is not
// UTF-8 its JSONText, a map's keys theirs (a map[string]string a
// map[string]any).
func jsonShape(v any) any {
	switch x := v.(type) {
	case string:
		return JSONText(x)
	case map[string]any:
		for k := range x {
			if !utf8.ValidString(k) {
				return jsonKeys(x)
			}
		}
		return x
	case map[string]string:
		return jsonKeys(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case float64:
		if text, ok := warehouse.NonFinite(x); ok {
			return text
		}
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return v
}

// valuesEqual compares two config values structurally; numbers compare by
// value whatever their Go type (YAML ints vs JSON float64s).
func valuesEqual(a, b any) bool {
	a, b = jsonShape(a), jsonShape(b)
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !valuesEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !valuesEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case string, bool, nil:
		return a == b
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}
