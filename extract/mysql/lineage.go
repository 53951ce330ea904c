package mysql

import (
	"fmt"
	"strings"

	"github.com/mart-dev/mart/extract"
)

func init() { extract.RegisterDataset("mysql", dataset) }

// dataset names a table as OpenLineage's naming spec does for MySQL:
// namespace mysql://host:port, name database.table.
func dataset(dsn string, c extract.Config, object string) (string, string, error) {
	cfg, err := parseDSN(dsn)
	if err != nil {
		return "", "", fmt.Errorf("reading the dsn: %w", err)
	}
	db := cfg.DBName
	if c.Database != "" {
		db = c.Database
	}
	if strings.Contains(object, ".") {
		db, object, _ = strings.Cut(object, ".")
	}
	return "mysql://" + cfg.Addr, db + "." + object, nil
}
