package mongodb

import (
	"fmt"
	"net/url"

	"github.com/mart-dev/mart/extract"
)

func init() { extract.RegisterDataset("mongodb", dataset) }

// dataset names a collection as OpenLineage's naming spec does for
// MongoDB: namespace mongodb://host:port, name database.collection.
func dataset(dsn string, c extract.Config, object string) (string, string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err // without the URL it quotes
		}
		return "", "", fmt.Errorf("reading the uri: %w", err)
	}
	host := u.Host
	if u.Port() == "" {
		host += ":27017"
	}
	db := c.Database
	if db == "" && len(u.Path) > 1 {
		db = u.Path[1:]
	}
	return "mongodb://" + host, db + "." + object, nil
}
