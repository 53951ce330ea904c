package compiler

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

// The manifest of a 10,000-model project is 45 MB of JSON, most of it
// nodes. encoding/json spends its time there on reflection; appendNode
// writes the same bytes (TestCompileManifestEncoding compares them with
// encoding/json's on several projects) at a third of the cost. Values of
// type any (config, meta, test kwargs) go through appendAny, which hands
// anything but strings, bools, ints, lists and maps to encoding/json.

// appendNode appends n as encoding/json would write it (no HTML escaping).
func appendNode(b []byte, n *Node) ([]byte, error) {
	var err error
	b = append(b, `{"unique_id":`...)
	b = appendString(b, n.UniqueID)
	b = append(b, `,"resource_type":`...)
	b = appendString(b, n.ResourceType)
	b = append(b, `,"name":`...)
	b = appendString(b, n.Name)
	b = append(b, `,"package_name":`...)
	b = appendString(b, n.Package)
	b = append(b, `,"original_file_path":`...)
	b = appendString(b, n.Path)
	b = appendOptString(b, `,"patch_path":`, n.PatchPath)
	b = append(b, `,"fqn":`...)
	b = appendStrings(b, n.FQN)
	b = append(b, `,"database":`...)
	b = appendString(b, n.Database)
	b = append(b, `,"schema":`...)
	b = appendString(b, n.Schema)
	b = append(b, `,"alias":`...)
	b = appendString(b, n.Alias)
	b = appendOptString(b, `,"relation_name":`, n.Relation)
	if d := n.DeferRelation; d != nil {
		b = append(b, `,"defer_relation":{"database":`...)
		b = appendString(b, d.Database)
		b = append(b, `,"schema":`...)
		b = appendString(b, d.Schema)
		b = append(b, `,"alias":`...)
		b = appendString(b, d.Alias)
		b = append(b, `,"relation_name":`...)
		b = appendString(b, d.RelationName)
		b = append(b, '}')
	}
	b = appendOptString(b, `,"version":`, n.Version)
	b = appendOptString(b, `,"latest_version":`, n.LatestVersion)
	b = appendOptString(b, `,"deprecation_date":`, n.DeprecationDate)
	b = append(b, `,"raw_code":`...)
	b = appendString(b, n.RawCode)
	b = appendOptString(b, `,"compiled_code":`, n.CompiledCode)
	b = appendOptString(b, `,"compiled_path":`, n.CompiledPath)
	if n.RunTimeRender {
		b = append(b, `,"run_time_render":true`...)
	}
	b = appendOptString(b, `,"language":`, n.Language)
	b = append(b, `,"checksum":{"name":`...)
	b = appendString(b, n.Checksum.Name)
	b = append(b, `,"checksum":`...)
	b = appendString(b, n.Checksum.Checksum)
	b = append(b, `},"config":`...)
	if b, err = appendAny(b, map[string]any(n.Config)); err != nil {
		return b, err
	}
	if len(n.UnrenderedConfig) > 0 {
		b = append(b, `,"unrendered_config":`...)
		if b, err = appendAny(b, n.UnrenderedConfig); err != nil {
			return b, err
		}
	}
	b = append(b, `,"tags":`...)
	b = appendStrings(b, n.Tags)
	b = append(b, `,"description":`...)
	b = appendString(b, n.Description)
	b = append(b, `,"columns":`...)
	if b, err = appendColumns(b, n.Columns); err != nil {
		return b, err
	}
	if len(n.Constraints) > 0 {
		b = append(b, `,"constraints":`...)
		if b, err = appendAny(b, n.Constraints); err != nil {
			return b, err
		}
	}
	b = append(b, `,"meta":`...)
	if b, err = appendAny(b, n.Meta); err != nil {
		return b, err
	}
	b = append(b, `,"depends_on":{"nodes":`...)
	b = appendStrings(b, n.DependsOn.Nodes)
	b = append(b, `,"macros":`...)
	b = appendStrings(b, n.DependsOn.Macros)
	b = append(b, '}')
	if f := n.Fingerprint; f != nil {
		b = append(b, `,"fingerprint":{`...)
		sep := ""
		for _, kv := range [...]struct{ k, v string }{{`"macros":`, f.Macros}, {`"vars":`, f.Vars}} {
			if kv.v != "" {
				b = appendString(append(append(b, sep...), kv.k...), kv.v)
				sep = ","
			}
		}
		for _, kv := range [...]struct {
			k string
			v []string
		}{{`"var_names":`, f.VarNames}, {`"env_var_names":`, f.EnvVarNames}} {
			if len(kv.v) > 0 {
				b = appendStrings(append(append(b, sep...), kv.k...), kv.v)
				sep = ","
			}
		}
		b = append(b, '}')
	}
	b = append(b, `,"refs":`...)
	if n.Refs == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, r := range n.Refs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if r.Package != "" {
				b = append(b, `"package":`...)
				b = appendString(b, r.Package)
				b = append(b, ',')
			}
			b = append(b, `"name":`...)
			b = appendString(b, r.Name)
			b = appendOptString(b, `,"version":`, r.Version)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"sources":`...)
	if n.Sources == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range n.Sources {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendStrings(b, s)
		}
		b = append(b, ']')
	}
	if n.TestMetadata != nil {
		b = append(b, `,"test_metadata":{"name":`...)
		b = appendString(b, n.TestMetadata.Name)
		b = append(b, `,"kwargs":`...)
		if t := n.TestMetadata; t.Kwargs == nil && t.column != "" {
			b = appendString(append(b, `{"column_name":`...), t.column)
			b = append(b, '}')
		} else if b, err = appendAny(b, t.Kwargs); err != nil {
			return b, err
		}
		b = appendOptString(b, `,"namespace":`, n.TestMetadata.Namespace)
		b = append(b, '}')
	}
	b = appendOptString(b, `,"column_name":`, n.ColumnName)
	b = appendOptString(b, `,"attached_node":`, n.AttachedNode)
	b = appendOptString(b, `,"test_type":`, n.TestType)
	b = appendOptString(b, `,"seed_path":`, n.SeedPath)
	b = appendOptString(b, `,"source_name":`, n.SourceName)
	b = appendOptString(b, `,"identifier":`, n.Identifier)
	b = appendOptString(b, `,"loaded_at_field":`, n.LoadedAtField)
	if n.Freshness != nil {
		b = append(b, `,"freshness":`...)
		if b, err = appendJSON(b, n.Freshness); err != nil {
			return b, err
		}
	}
	if len(n.Extract) > 0 {
		b = append(b, `,"extract":`...)
		if b, err = appendAny(b, n.Extract); err != nil {
			return b, err
		}
	}
	if n.UnitTest != nil {
		b = append(b, `,"unit_test":`...)
		if b, err = appendJSON(b, n.UnitTest); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(append(b, key...), s)
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendObject appends m as a JSON object, keys sorted as encoding/json
// sorts them, each value written by val.
func appendObject[V any](b []byte, m map[string]V, val func([]byte, V) ([]byte, error)) ([]byte, error) {
	return appendObjectKeys(b, m, sortedKeys(m), val)
}

// appendObjectKeys is appendObject with m's keys given, in order.
func appendObjectKeys[V any](b []byte, m map[string]V, keys []string, val func([]byte, V) ([]byte, error)) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		var err error
		if b, err = val(b, m[k]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func appendColumns(b []byte, cols map[string]*Column) ([]byte, error) {
	return appendObject(b, cols, appendColumn)
}

func appendColumn(b []byte, c *Column) ([]byte, error) {
	if c == nil {
		return append(b, "null"...), nil
	}
	b = append(b, `{"name":`...)
	b = appendString(b, c.Name)
	b = append(b, `,"description":`...)
	b = appendString(b, c.Description)
	b = appendOptString(b, `,"data_type":`, c.DataType)
	if len(c.Meta) > 0 {
		b = append(b, `,"meta":`...)
		var err error
		if b, err = appendAny(b, c.Meta); err != nil {
			return b, err
		}
	}
	if len(c.Tags) > 0 {
		b = append(b, `,"tags":`...)
		b = appendStrings(b, c.Tags)
	}
	if c.Quote {
		b = append(b, `,"quote":true`...)
	}
	if len(c.Constraints) > 0 {
		b = append(b, `,"constraints":`...)
		var err error
		if b, err = appendAny(b, c.Constraints); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendListsInOrder appends a map of string lists as a JSON object, with
// the keys in the order of sorted (see keysInOrder).
func appendListsInOrder(b []byte, m map[string][]string, sorted []string) []byte {
	// the size without escapes, allocated once: grown from nil, the
	// parent and child maps of the 10k bench project allocated 24 MB
	size := 2
	for k, l := range m {
		size += len(k) + 6
		for _, s := range l {
			size += len(s) + 3
		}
	}
	b = slices.Grow(b, size)
	b, _ = appendObjectKeys(b, m, keysInOrder(m, sorted), func(b []byte, ss []string) ([]byte, error) { return appendStrings(b, ss), nil })
	return b
}

// appendAny appends the common YAML-shaped values itself and the rest
// through encoding/json.
func appendAny(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return appendFloat(b, v), nil
	case []string:
		return appendStrings(b, v), nil
	case []any:
		return appendList(b, v, appendAny)
	case map[string]any:
		return appendObject(b, v, appendAny)
	case []map[string]any: // a contract's constraints
		return appendList(b, v, func(b []byte, m map[string]any) ([]byte, error) { return appendObject(b, m, appendAny) })
	case map[any]any: // a YAML mapping with a key that is not a string
		return appendObject(b, stringKeys(v), appendAny)
	}
	return appendJSON(b, v)
}

// stringKeys is m with each key written as Python's json.dumps writes a
// dict's (dbt's manifest.json): 2 -> "2", 1.5 -> "1.5", true -> "true",
// null -> "null".
func stringKeys(m map[any]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		var key string
		switch k := k.(type) {
		case string:
			key = k
		case bool:
			key = strconv.FormatBool(k)
		case nil:
			key = "null"
		default:
			key = jinja.Str(k)
		}
		out[key] = v
	}
	return out
}

// appendList appends a list as encoding/json does (nil is null), each
// element through val.
func appendList[E any](b []byte, list []E, val func([]byte, E) ([]byte, error)) ([]byte, error) {
	if list == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i, e := range list {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = val(b, e); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// appendFloat appends f as encoding/json spells a float64, except NaN and
// the infinities, which JSON has no number for (encoding/json refuses them
// and failed the compile; dbt's Python writes NaN and Infinity, which strict
// readers, mart's --state and the docs site's browser among them, refuse):
// they are the strings "nan", "inf" and "-inf", as Python's str() and
// mart's tojson spell them. YAML writes them .nan, .inf and -.inf.
func appendFloat(b []byte, f float64) []byte {
	if text, ok := warehouse.NonFinite(f); ok {
		return appendString(b, text)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // 1e-07, as encoding/json: 1e-7
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSON appends v through encoding/json, without HTML escaping.
func appendJSON(b []byte, v any) ([]byte, error) {
	out, err := compactJSON(v)
	if err != nil {
		return b, err
	}
	return append(b, out...), nil
}

const hexDigits = "0123456789abcdef"

// plainASCII marks the ASCII bytes a JSON string holds as they are.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s as a JSON string the way encoding/json does with
// HTML escaping off: \", \\, \b \f \n \r \t, \u00XX for other control
// bytes, \ufffd for invalid UTF-8 and \u2028/\u2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
