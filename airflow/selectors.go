package airflow

import (
	"regexp"
	"sync"

	"github.com/mart-dev/mart/compiler"
)

// selectors names nodes in --select and --exclude: by name where the name
// selects that node only, by unique_id:<id> otherwise.
type selectors struct {
	// taken counts, for each word, the nodes a bare name selector would
	// match: names, last FQN parts, and the first FQN parts (package and
	// top folder) that an FQN selector also matches.
	taken map[string]int
}

var plainName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

func newSelectors(m *compiler.Manifest) selectors {
	s := selectors{taken: map[string]int{}}
	for _, id := range m.AllIDs() {
		n := m.Node(id)
		if n.ResourceType == compiler.TypeSource {
			continue // a name selector never matches a source
		}
		words := map[string]bool{n.Name: true}
		if k := len(n.FQN); k > 0 {
			words[n.FQN[k-1]] = true
			words[n.FQN[0]] = true
			if k > 2 {
				words[n.FQN[1]] = true
			}
		}
		for w := range words {
			s.taken[w]++
		}
	}
	return s
}

// of is the selector of one node.
func (s selectors) of(n *compiler.Node) string {
	if n.ResourceType == compiler.TypeSource {
		return "source:" + n.SourceName + "." + n.Name
	}
	if plainName().MatchString(n.Name) && s.taken[n.Name] == 1 {
		return n.Name
	}
	return "unique_id:" + n.UniqueID
}
