package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Environment variables that name the stores when their flag is not
// given: the same ones the demo's extract: blocks read (models/staging/_sources.yml).
const (
	envPostgres = "SODA_POSTGRES_DSN"
	envMariaDB  = "SODA_MARIADB_DSN"
	envMongoDB  = "SODA_MONGODB_URI"
)

// loadOptions say where --load puts the data. A store left empty is not
// loaded.
type loadOptions struct {
	Scale float64
	Seed  uint64
	// PostgresDSN receives members and reservations (the booking service).
	PostgresDSN string
	// MySQLDSN receives payments (the payment service, MariaDB or MySQL).
	MySQLDSN string
	// MongoURI and MongoDatabase receive app_events (the app's service).
	MongoURI, MongoDatabase string
	// FilesDir receives zones.csv and cars.jsonl (the fleet team's files).
	FilesDir string
	// Out, when set, receives progress lines.
	Out io.Writer
}

// loaded is what one store received: rows per table.
type loaded map[string]int64

// storeLoader loads one store from the CSVs in dir.
type storeLoader struct {
	name string
	load func(ctx context.Context, dir string) (loaded, error)
}

// runLoad generates the data at the scale into a temporary directory and
// loads it into every store named, at once. A store's tables are
// replaced: loading twice gives the same data.
func runLoad(ctx context.Context, o loadOptions) error {
	var stores []storeLoader
	if o.PostgresDSN != "" {
		stores = append(stores, storeLoader{"postgres", func(ctx context.Context, dir string) (loaded, error) {
			return loadPostgres(ctx, o.PostgresDSN, dir)
		}})
	}
	if o.MySQLDSN != "" {
		stores = append(stores, storeLoader{"mariadb", func(ctx context.Context, dir string) (loaded, error) {
			return loadMySQL(ctx, o.MySQLDSN, dir)
		}})
	}
	if o.MongoURI != "" {
		stores = append(stores, storeLoader{"mongodb", func(ctx context.Context, dir string) (loaded, error) {
			return loadMongo(ctx, o.MongoURI, o.MongoDatabase, dir)
		}})
	}
	if o.FilesDir != "" {
		stores = append(stores, storeLoader{"files", func(_ context.Context, dir string) (loaded, error) {
			return writeFleetFiles(dir, o.FilesDir)
		}})
	}
	if len(stores) == 0 {
		return fmt.Errorf("--load needs a store: --pg-dsn, --mysql-dsn, --mongo-uri or --files-dir (or %s, %s, %s)",
			envPostgres, envMariaDB, envMongoDB)
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	tmp, err := os.MkdirTemp("", "sodagen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	if err := generateDir(tmp, o.Scale, o.Seed); err != nil {
		return err
	}
	fmt.Fprintf(out, "generated scale %v in %s\n", o.Scale, time.Since(start).Round(time.Millisecond))

	errs := make([]error, len(stores))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			t0 := time.Now()
			n, err := s.load(ctx, tmp)
			if err != nil {
				errs[i] = fmt.Errorf("loading %s: %w", s.name, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(out, "loaded %s: %s in %s\n", s.name, n, time.Since(t0).Round(time.Millisecond))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Fprintf(out, "done in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

func (l loaded) String() string {
	names := make([]string, 0, len(l))
	for name := range l {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%s %d rows", name, l[name])
	}
	return strings.Join(parts, ", ")
}
