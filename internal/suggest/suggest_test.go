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
