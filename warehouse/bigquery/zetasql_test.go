package bigquery

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse/bigquery/internal/zetasql"
)

// TestZetaSQLParsesGolden parses every golden SQL file with GoogleSQL's
// real parser (the ZetaSQL local service from the npm package
// @fivetrandevelopers/zetasql, see internal/zetasql), as a script with the
// maximum language features: string comparison cannot tell SQL BigQuery
// would reject; this can, for syntax. Without the package (installed by
// .ci/install-zetasql) it skips, or fails under MART_REQUIRE_SERVICES=1.
func TestZetaSQLParsesGolden(t *testing.T) {
	s := startZetaSQL(t)
	files := goldenFiles(t)
	require.NotEmpty(t, files)
	for _, f := range files {
		sql, err := os.ReadFile(f)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = s.Parse(ctx, string(sql))
		cancel()
		if err != nil {
			t.Errorf("%s: GoogleSQL rejects it: %v", f, err)
		}
	}
}

// TestZetaSQLRejectsBadSQL makes sure the parse test can fail.
func TestZetaSQLRejectsBadSQL(t *testing.T) {
	s := startZetaSQL(t)
	ctx := context.Background()
	require.NoError(t, s.Parse(ctx, "SELECT 1;\nSELECT 2"))
	require.Error(t, s.Parse(ctx, "CREATE OR REPLACE TABLE `p.d.t` AS (select 5 as id; drop table x)"))
	require.Error(t, s.Parse(ctx, "MERGE INTO t USING s ON TRUE WHEN MATCHED UPDATE SET a = 1"))
}

// The ZetaSQL server is started once for the package's tests and stopped
// by TestMain.
var zeta struct {
	once   sync.Once
	server *zetasql.Server
	skip   string
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if zeta.server != nil {
		zeta.server.Close()
	}
	os.Exit(code)
}

// startZetaSQL returns the shared server, or skips (fails under
// MART_REQUIRE_SERVICES=1) when the package is not installed.
func startZetaSQL(t *testing.T) *zetasql.Server {
	t.Helper()
	zeta.once.Do(func() {
		root, err := repoRoot()
		if err != nil {
			zeta.err = err
			return
		}
		bin, err := zetasql.Binary(root)
		if err != nil {
			zeta.skip = err.Error()
			if _, lerr := exec.LookPath("node"); lerr != nil {
				zeta.skip = "node is not installed; " + zeta.skip
			}
			return
		}
		zeta.server, zeta.err = zetasql.Start(context.Background(), bin)
	})
	require.NoError(t, zeta.err)
	if zeta.skip != "" {
		if os.Getenv("MART_REQUIRE_SERVICES") == "1" {
			t.Fatalf("ZetaSQL is required (MART_REQUIRE_SERVICES=1): %s", zeta.skip)
		}
		t.Skipf("skipping the GoogleSQL parse: %s", zeta.skip)
	}
	return zeta.server
}

// repoRoot is the directory of go.mod above the test's directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
