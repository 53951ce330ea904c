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

func BenchmarkParse(b *testing.B) {
	data := propertiesFile(1667)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, ok := Parse(data); !ok {
			b.Fatal("refused")
		}
	}
}

func BenchmarkYAMLv3(b *testing.B) {
	data := propertiesFile(1667)
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
