package docsite

import (
	"maps"
	"slices"
	"strings"
)

// searchTextLimit caps the description text of one node in data/search.js:
// enough to find a node by what its description says, without shipping
// essays to every reader.
const searchTextLimit = 1000

// searchData is data/search.js's payload, loaded after the first paint: a
// row per node of data/index.js, in the same order,
//
//	[description, column names, column descriptions]
//
// with the descriptions as written (markdown) and cut at searchTextLimit
// bytes.
func (s *site) searchData() [][]any {
	out := make([][]any, len(s.nodes))
	for i, n := range s.nodes {
		names := s.columnNames(i)
		var descs []string
		for _, name := range slices.Sorted(maps.Keys(n.Columns)) {
			if d := strings.TrimSpace(n.Columns[name].Description); d != "" {
				descs = append(descs, d)
			}
		}
		out[i] = []any{clip(n.Description, searchTextLimit), names, clip(strings.Join(descs, "\n"), searchTextLimit)}
	}
	return out
}

// columnNames lists a node's columns: the warehouse's in table order, then
// the documented ones it lacks, by name.
func (s *site) columnNames(i int) []string {
	n := s.nodes[i]
	var out []string
	seen := map[string]bool{}
	for _, c := range s.in.Catalog.entry(n.UniqueID).columns() {
		out = append(out, c.Name)
		seen[strings.ToLower(c.Name)] = true
	}
	for _, name := range slices.Sorted(maps.Keys(n.Columns)) {
		if c := n.Columns[name]; !seen[strings.ToLower(c.Name)] {
			out = append(out, c.Name)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// clip cuts s to at most n bytes, at a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
