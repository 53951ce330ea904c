package postgres

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mart-dev/mart/extract"
)

func init() { extract.RegisterDataset("postgres", dataset) }

// dataset names a table as OpenLineage's naming spec does for PostgreSQL:
// namespace postgres://host:port, name database.schema.table.
func dataset(dsn string, _ extract.Config, object string) (string, string, error) {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "", "", fmt.Errorf("reading the dsn: %w", err)
	}
	if !strings.Contains(object, ".") {
		object = "public." + object
	}
	return fmt.Sprintf("postgres://%s:%d", cfg.Host, cfg.Port), cfg.Database + "." + object, nil
}
