package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestVersion: `mart --version` names the versions of the warehouse
// libraries built into the binary, as go.mod requires them.
func TestVersion(t *testing.T) {
	r := mart(t, t.TempDir(), "--version")
	require.Equal(t, 0, r.Code, r.String())
	require.Empty(t, r.Stderr)
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	require.NoError(t, err)
	for name, path := range map[string]string{
		"duckdb":   "github.com/duckdb/duckdb-go/v2",
		"bigquery": "cloud.google.com/go/bigquery",
		"postgres": "github.com/jackc/pgx/v5",
		"mysql":    "github.com/go-sql-driver/mysql",
		"mongodb":  "go.mongodb.org/mongo-driver/v2",
	} {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(path) + ` (v\S+)`).FindSubmatch(gomod)
		require.NotNil(t, m, "go.mod requires %s", path)
		require.Regexp(t, `(?m)^`+name+`: `+regexp.QuoteMeta(path+" "+string(m[1]))+`$`, r.Stdout)
	}
	require.Regexp(t, `^mart \S+\n`, r.Stdout)
}
