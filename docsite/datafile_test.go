package docsite

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataFileRoundTrips(t *testing.T) {
	payload := map[string]string{"q": `it's "quoted" \ back\slash`, "ls": "a\u2028b", "nl": "x\ny", "html": "</script><b>"}
	b, err := dataFile("shard", 7, payload)
	require.NoError(t, err)
	assert.Regexp(t, `^martDocs\.shard\(7,JSON\.parse\('`, string(b))
	assert.NotContains(t, string(b), "\u2028", "a line separator would end the string literal in old engines")
	assert.NotContains(t, string(b), "\n'", "no raw newline inside the literal")
	p := filepath.Join(t.TempDir(), "x.js")
	w := &writer{dir: filepath.Dir(p)}
	require.NoError(t, w.write("x.js", b))
	var got map[string]string
	readData(t, p, &got)
	assert.Equal(t, payload, got)
}
