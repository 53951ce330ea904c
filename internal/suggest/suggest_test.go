package suggest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosest(t *testing.T) {
	known := []string{"table", "view", "incremental", "ephemeral", "snapshot"}
	for _, tc := range []struct {
		in   string
		n    int
		want []string
	}{
		{"tabel", 1, []string{"table"}},
		{"TABLE", 1, []string{"table"}},
		{"incrementl", 3, []string{"incremental"}},
		{"increment", 1, []string{"incremental"}}, // contained
		{"zzzzzzzz", 3, []string{}},
		{"vw", 3, []string{"view"}},
		{"e", 3, []string{}}, // too short to be contained
	} {
		assert.Equal(t, tc.want, Closest(tc.in, known, tc.n), tc.in)
	}
	assert.Equal(t, []string{"ab", "ba"}, Closest("aa", []string{"ba", "ab", "zzzz"}, 5), "ties in name order")
}

func TestHint(t *testing.T) {
	assert.Equal(t, `did you mean "table"?`, Hint("tabel", []string{"table", "view"}, 3))
	assert.Equal(t, `did you mean "stg_a", "stg_b"?`, Hint("stg_c", []string{"stg_a", "stg_b", "other_thing"}, 3))
	assert.Equal(t, "", Hint("qqqqqq", []string{"table"}, 3))
}

func TestDistance(t *testing.T) {
	assert.Equal(t, 0, Distance("abc", "abc"))
	assert.Equal(t, 3, Distance("", "abc"))
	assert.Equal(t, 1, Distance("tabel", "table")-1) // a transposition is two edits
	assert.Equal(t, 1, Distance("kitten", "sitten"))
	assert.Equal(t, 3, Distance("kitten", "sitting"))
}

// TestCloseIsClosestsCandidate: Close(s, c) holds exactly when Closest,
// asked for every candidate, lists c (what a patch relies on: a name that
// is not close changes no hint).
func TestCloseIsClosestsCandidate(t *testing.T) {
	names := []string{"m_1", "m_12", "m_8334", "m_8334b", "M_8335", "customers", "customer", "users", "ab", "a", "stg_orders", "orders", "x_orders_y", ""}
	for _, s := range names {
		got := map[string]bool{}
		for _, c := range Closest(s, names, len(names)) {
			got[c] = true
		}
		for _, c := range names {
			assert.Equal(t, got[c], Close(s, c), "Close(%q, %q)", s, c)
		}
	}
}
