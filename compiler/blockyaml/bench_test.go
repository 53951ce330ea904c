package blockyaml

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// propertiesFile is a properties file in the shape of the bench project's:
// n models with a description and three documented columns, one tested.
func propertiesFile(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 2\n\nmodels:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - name: m_%d\n    description: \"Synthetic model m_%d: joins m_%d, m_%d on id\"\n", i, i, i/2, i/3)
		b.WriteString("    columns:\n      - name: id\n        description: \"Row key, unique in every model.\"\n" +
			"        data_tests: [unique, not_null]\n      - name: name\n        description: \"Display name of the row.\"\n" +
			"      - name: amount\n        description: \"Amount in cents, kept below 1000.\"\n")
	}
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B)  { benchParse(b, propertiesFile(1667)) }
func BenchmarkYAMLv3(b *testing.B) { benchYAMLv3(b, propertiesFile(1667)) }

// benchParse times Parse of data, which it must take.
func benchParse(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, ok := Parse(data); !ok {
			b.Fatal("refused")
		}
	}
}

// benchYAMLv3 times yaml.v3's parse of data, for comparison.
func benchYAMLv3(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPropertiesFile(t *testing.T) {
	if !check(t, "properties", propertiesFile(50)) {
		t.Fatal("the bench file must take the fast path")
	}
}

// flowPropertiesFile is propertiesFile with the flow mappings properties
// files hold: a config, a meta, tests with arguments.
func flowPropertiesFile(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 2\n\nmodels:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - name: m_%d\n    description: \"Synthetic model m_%d: joins m_%d, m_%d on id\"\n", i, i, i/2, i/3)
		fmt.Fprintf(&b, "    config: {materialized: table, tags: [daily, 'team_%d'], persist_docs: {relation: true, columns: true}}\n", i%7)
		b.WriteString("    meta: {owner: ana, tier: 2}\n    docs: {show: false}\n")
		b.WriteString("    columns:\n      - name: id\n        description: \"Row key, unique in every model.\"\n" +
			"        data_tests: [unique, not_null]\n      - name: name\n        description: \"Display name of the row.\"\n" +
			"        data_tests:\n          - accepted_values: {values: ['a', 'b', 'c'], quote: false}\n")
		fmt.Fprintf(&b, "      - name: parent_id\n        data_tests:\n          - relationships: {to: ref('m_%d'), field: id}\n", i/2)
	}
	return []byte(b.String())
}

func BenchmarkParseFlow(b *testing.B)  { benchParse(b, flowPropertiesFile(1667)) }
func BenchmarkYAMLv3Flow(b *testing.B) { benchYAMLv3(b, flowPropertiesFile(1667)) }

func TestFlowPropertiesFile(t *testing.T) {
	if !check(t, "flow properties", flowPropertiesFile(50)) {
		t.Fatal("the flow bench file must take the fast path")
	}
}
