package compiler

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Config is a node's resolved configuration (materialized, schema, tags...).
type Config map[string]any

// MarshalJSON spells the config as manifest.json does: keys in order, and a
// YAML .nan, .inf or -.inf (which encoding/json refuses) as a string
// (appendFloat).
func (c Config) MarshalJSON() ([]byte, error) { return appendObject(nil, c, appendAny) }

// Object is a mapping from YAML (meta, a test's arguments, an extract:
// block) as JSON spells it wherever mart writes one: like Config, it
// encodes .nan, .inf and -.inf as strings instead of failing the encoding.
// A map[string]any is assigned to it as it is.
type Object map[string]any

// MarshalJSON: as Config's.
func (o Object) MarshalJSON() ([]byte, error) { return appendObject(nil, o, appendAny) }

// String returns a config value as a string ("" when absent).
func (c Config) String(key string) string {
	switch v := c[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// Bool returns a config value as a bool (def when absent).
func (c Config) Bool(key string, def bool) bool {
	switch v := c[key].(type) {
	case bool:
		return v
	case string:
		switch strings.ToLower(v) {
		case "true", "yes", "1":
			return true
		case "false", "no", "0":
			return false
		}
	}
	return def
}

// Strings returns a config value that may be a string or a list of strings.
func (c Config) Strings(key string) []string { return toStrings(c[key]) }

func toStrings(v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		if t == "" {
			return nil
		}
		return []string{t}
	case []string:
		return t
	case []any:
		out := make([]string, 0, len(t))
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			} else if x != nil {
				out = append(out, fmt.Sprint(x))
			}
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

// knownConfig lists every config key mart understands (dbt's names).
var knownConfig = map[string]bool{}

// dictConfig keys take a mapping as their value.
var dictConfig = map[string]bool{"meta": true, "docs": true, "column_types": true, "partition_by": true,
	"labels": true, "persist_docs": true, "grants": true, "contract": true, "quoting": true,
	"snapshot_meta_column_names": true, "airflow": true, "freshness": true, "hard_deletes": false}

func init() {
	for _, k := range strings.Fields(`materialized schema database alias tags enabled pre_hook post_hook
		unique_key incremental_strategy on_schema_change full_refresh persist_docs meta docs grants contract
		partition_by cluster_by merge_update_columns merge_exclude_columns incremental_predicates event_time
		batch_size lookback begin column_types quote_columns delimiter severity warn_if error_if where limit
		store_failures store_failures_as fail_calc strategy updated_at check_cols target_schema target_database
		invalidate_hard_deletes hard_deletes snapshot_meta_column_names dbt_valid_to_current sql_header labels
		require_partition_filter partition_expiration_days kms_key_name description access group
		on_configuration_change transient quoting copy_grants dedupe partitions docs_paths enforced
		loaded_at_field freshness identifier packages threads airflow`) {
		knownConfig[k] = true
	}
}

func knownConfigNames() []string { return sortedKeys(knownConfig) }

func normalizeConfigKey(k string) string {
	switch k {
	case "pre-hook":
		return "pre_hook"
	case "post-hook":
		return "post_hook"
	}
	return k
}

// additive keys accumulate across config levels instead of being replaced.
var additive = map[string]bool{"tags": true, "pre_hook": true, "post_hook": true}

// updated keys merge their mappings key by key across config levels (and
// config() calls), as dbt's MergeBehavior.Update keys do.
var updated = map[string]bool{"meta": true, "docs": true, "column_types": true, "quoting": true, "contract": true}

// mergeConfig applies src over dst with dbt's rules: tags and hooks add up,
// meta, docs, column_types, quoting and contract merge key by key, grants
// by privilege (mergeGrants), everything else is replaced.
//
// A hook written with the same text at two levels runs once, where dbt
// runs it twice (docs/dbt-compatibility.md): a render made again at run
// time merges its config() calls over the config they already set.
func mergeConfig(dst, src map[string]any) {
	for k, v := range src {
		k = normalizeConfigKey(k)
		switch {
		case additive[k]:
			seen := map[string]bool{}
			out := []any{}
			for _, x := range append(toStrings(dst[k]), toStrings(v)...) {
				if !seen[x] {
					seen[x] = true
					out = append(out, x)
				}
			}
			if _, had := dst[k]; had || len(out) > 0 {
				dst[k] = out
			}
		case updated[k]:
			sm, ok := v.(map[string]any)
			if !ok && k != "meta" { // (a meta that is no mapping leaves meta as it was)
				dst[k] = v
				break
			}
			m, _ := dst[k].(map[string]any)
			merged := make(map[string]any, len(m)+len(sm))
			maps.Copy(merged, m)
			maps.Copy(merged, sm)
			dst[k] = merged
		case k == "grants":
			dst[k] = mergeGrants(dst[k], v)
		default:
			dst[k] = v
		}
	}
}

// mergeGrants is grants src over dst as dbt merges them
// (MergeBehavior.DictKeyAppend): each privilege's grantees a list; a
// privilege written "+select" adds to the list dst has (the grantees it
// lacks), one written "select" replaces it. src that is no mapping
// replaces dst.
func mergeGrants(dst, src any) any {
	sm, ok := src.(map[string]any)
	if !ok {
		return src
	}
	listify := func(v any) []any {
		if l, ok := v.([]any); ok {
			return slices.Clone(l)
		}
		return []any{v}
	}
	out := map[string]any{}
	if dm, ok := dst.(map[string]any); ok {
		for k, v := range dm {
			out[k] = listify(v)
		}
	}
	for _, k := range sortedKeys(sm) {
		key := strings.TrimLeft(k, "+")
		if prev, had := out[key].([]any); had && key != k {
			// (a grantee the list has is not added again: a template
			// rendered twice merges its config() calls twice)
			for _, g := range listify(sm[k]) {
				if !slices.ContainsFunc(prev, func(p any) bool { return reflect.DeepEqual(p, g) }) {
					prev = append(prev, g)
				}
			}
			out[key] = prev
		} else {
			out[key] = listify(sm[k])
		}
	}
	return out
}

// mergedValue is key's value dst merged with src as mergeConfig merges
// it (tags and hooks added, meta's and the other updated keys' keys set,
// grants by privilege, anything else replaced).
func mergedValue(key string, dst, src any) any {
	m := map[string]any{key: dst}
	mergeConfig(m, map[string]any{key: src})
	return m[key]
}

// nodeTags are a node's tags: its config's, and a generic test's
// extraTags, sorted, each once.
func nodeTags(n *Node) []string {
	tags := tagsOf(n.Config)
	if len(n.extraTags) > 0 {
		tags = append(tags, n.extraTags...)
		sort.Strings(tags)
		tags = slices.Compact(tags)
	}
	if tags == nil {
		tags = []string{}
	}
	return tags
}

// tagsOf returns the sorted, unique tags of a config.
func tagsOf(c Config) []string {
	tags := toStrings(c["tags"])
	sort.Strings(tags)
	out := tags[:0]
	for i, t := range tags {
		if i == 0 || t != tags[i-1] {
			out = append(out, t)
		}
	}
	return out
}
