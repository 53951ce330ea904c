package bigquery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/option"

	"github.com/mart-dev/mart/warehouse"
)

// Warehouse is a BigQuery project seen through one client. It implements
// [warehouse.Warehouse], [warehouse.Incrementer],
// [warehouse.TempRelationLister], estimates costs ([Warehouse.Estimate])
// and checks its connection ([Warehouse.Diagnose]); it is safe for
// concurrent use.
type Warehouse struct {
	Dialect
	client *bigquery.Client
	cfg    Config

	// locks serializes changes to one relation within this process:
	// BigQuery rejects concurrent DDL on a table ("too many table update
	// operations"), and a swap must not interleave with another.
	locks relationLocks

	mu       sync.Mutex
	ensured  map[string]bool // datasets known to exist ("project.dataset")
	datasets map[string]bool // datasets this warehouse touched, for TempRelations

	// backoff is the wait before retry n (1-based) of a failed job.
	backoff func(n int) time.Duration
	// uploadChunk, if set, is the media chunk size of load jobs (tests:
	// files larger than it are sent as resumable uploads).
	uploadChunk int
}

var (
	_ warehouse.Warehouse          = (*Warehouse)(nil)
	_ warehouse.Incrementer        = (*Warehouse)(nil)
	_ warehouse.TempRelationLister = (*Warehouse)(nil)
)

// Open makes a client for cfg. It checks the configuration and finds the
// credentials but does not call BigQuery; use [Warehouse.Check] for that.
func Open(ctx context.Context, cfg Config) (*Warehouse, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	opts, err := clientOptions(cfg)
	if err != nil {
		return nil, err
	}
	client, err := bigquery.NewClient(ctx, cfg.Project, opts...)
	if err != nil {
		return nil, credentialsError(cfg, err)
	}
	client.Location = cfg.Location
	w := &Warehouse{
		client:   client,
		cfg:      cfg,
		ensured:  map[string]bool{},
		datasets: map[string]bool{cfg.Project + "." + cfg.Dataset: true},
		backoff:  defaultBackoff,
	}
	return w, nil
}

// clientOptions turns the profile's method and endpoint into client
// options.
func clientOptions(cfg Config) ([]option.ClientOption, error) {
	var opts []option.ClientOption
	keyed := false
	switch {
	case cfg.KeyfileJSON != "" && (cfg.Method == MethodServiceAccountJSON || cfg.Method == ""):
		opts = append(opts, option.WithAuthCredentialsJSON(option.ServiceAccount, []byte(cfg.KeyfileJSON)))
		keyed = true
	case cfg.Keyfile != "" && (cfg.Method == MethodServiceAccount || cfg.Method == ""):
		if _, err := os.Stat(cfg.Keyfile); err != nil {
			return nil, fmt.Errorf("bigquery profile: keyfile %s: %w", cfg.Keyfile, errors.Unwrap(err))
		}
		opts = append(opts, option.WithAuthCredentialsFile(option.ServiceAccount, cfg.Keyfile))
		keyed = true
	}
	if cfg.APIEndpoint != "" {
		opts = append(opts, option.WithEndpoint(cfg.APIEndpoint))
		if !keyed {
			opts = append(opts, option.WithoutAuthentication())
		}
	}
	return opts, nil
}

// credentialsError explains a failure to set up credentials in terms of
// the profile.
func credentialsError(cfg Config, err error) error {
	switch cfg.Method {
	case MethodServiceAccount:
		return fmt.Errorf("bigquery profile: keyfile %s is not a usable service account key (method service-account): %w", cfg.Keyfile, err)
	case MethodServiceAccountJSON:
		return fmt.Errorf("bigquery profile: keyfile_json is not a usable service account key (method service-account-json): %w", err)
	}
	if f := os.Getenv("GOOGLE_APPLICATION_CREDENTIALS"); f != "" {
		return fmt.Errorf("bigquery profile: method oauth: GOOGLE_APPLICATION_CREDENTIALS names %s, which is not usable: %w", f, err)
	}
	return fmt.Errorf("bigquery profile: no credentials for method oauth (application default credentials): "+
		"run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS to a key file, "+
		"or use method: service-account with keyfile: %w", err)
}

// Config returns the configuration the warehouse was opened with.
func (w *Warehouse) Config() Config { return w.cfg }

// Close releases the client.
func (w *Warehouse) Close() error { return w.client.Close() }

// resolve fills in the default project and dataset.
func (w *Warehouse) resolve(r warehouse.Relation) warehouse.Relation {
	if r.Database == "" {
		r.Database = w.cfg.Project
	}
	if r.Schema == "" {
		r.Schema = w.cfg.Dataset
	}
	w.mu.Lock()
	w.datasets[r.Database+"."+r.Schema] = true
	w.mu.Unlock()
	return r
}

func (w *Warehouse) table(r warehouse.Relation) *bigquery.Table {
	return w.client.DatasetInProject(r.Database, r.Schema).Table(r.Name)
}

// newJobID returns a fresh client-side job id.
func newJobID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "mart_" + hex.EncodeToString(b[:])
}

func defaultBackoff(n int) time.Duration {
	d := time.Second << (n - 1)
	return min(d, 30*time.Second)
}

// relationLocks is a set of per-relation mutexes that respect contexts.
type relationLocks struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

// lock takes the lock of r, waiting until ctx is done.
func (l *relationLocks) lock(ctx context.Context, r warehouse.Relation) (func(), error) {
	key := r.Database + "\x00" + r.Schema + "\x00" + r.Name
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]chan struct{}{}
	}
	ch := l.m[key]
	if ch == nil {
		ch = make(chan struct{}, 1)
		l.m[key] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
