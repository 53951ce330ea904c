package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/mart-dev/mart/extract/extracttest"
	"github.com/mart-dev/mart/extract/extracttest/mongotest"
)

// TestLoad loads the scale-1 data into every kind of store, checks what
// each holds, and loads again: the same rows, not twice as many.
func TestLoad(t *testing.T) {
	pgDSN, pg := extracttest.Postgres(t)
	myDSN, my := extracttest.MySQL(t)
	mongoURI, client := mongotest.Server(t)
	files := t.TempDir()
	var out bytes.Buffer
	o := loadOptions{Scale: 1, Seed: DefaultSeed, PostgresDSN: pgDSN, MySQLDSN: myDSN, MongoURI: mongoURI, MongoDatabase: "soda",
		FilesDir: files, Out: &out}
	require.NoError(t, runLoad(context.Background(), o))
	assert.Contains(t, out.String(), "loaded postgres: members 400 rows, reservations 1000 rows in ")
	assert.Contains(t, out.String(), "loaded mariadb: payments 1014 rows in ")
	assert.Contains(t, out.String(), "loaded mongodb: app_events 5056 rows in ")
	assert.Contains(t, out.String(), "loaded files: cars.jsonl 40 rows, zones.csv 12 rows in ")
	first := storeContents(t, pg, my, client, files)

	// the booking service holds a reservation's latest version only
	assert.Equal(t, [][]any{{int64(165), "completed", time.Date(2026, 1, 15, 22, 20, 6, 0, time.UTC), "91.0"}},
		extracttest.PgRows(t, pg, "SELECT reservation_id, status, updated_at, distance_km::text FROM reservations WHERE reservation_id = 165"))
	assert.Equal(t, [][]any{{int64(1), "ada.lovelace.1@example.com", time.Date(2025, 10, 1, 7, 0, 0, 0, time.UTC), int32(1990), false}},
		extracttest.PgRows(t, pg, "SELECT member_id, email, signup_at, birth_year, is_deleted FROM members WHERE member_id = 1"))
	var id, res, cents int64
	var paid, kind, status string
	require.NoError(t, my.QueryRow("SELECT payment_id, reservation_id, paid_at, amount_cents, kind, status FROM payments ORDER BY payment_id LIMIT 1").
		Scan(&id, &res, &paid, &cents, &kind, &status))
	assert.Equal(t, []any{int64(1), int64(1), "2026-01-03 22:29:10", int64(22842), "charge", "succeeded"}, []any{id, res, paid, cents, kind, status})

	var ev bson.M
	require.NoError(t, client.Database("soda").Collection("app_events").FindOne(context.Background(), bson.D{{Key: "_id", Value: int64(1)}}).Decode(&ev))
	assert.Equal(t, int64(1), ev["event_id"])
	assert.IsType(t, bson.DateTime(0), ev["occurred_at"], "a date, not text")
	assert.IsType(t, bson.D{}, ev["payload"], "a nested document, not text")

	zones, err := os.ReadFile(filepath.Join(files, "zones.csv"))
	require.NoError(t, err)
	seedZones, err := os.ReadFile(filepath.Join("..", "..", "seeds", "raw_zones.csv"))
	require.NoError(t, err)
	assert.Equal(t, string(seedZones), string(zones))
	cars, err := os.ReadFile(filepath.Join(files, "cars.jsonl"))
	require.NoError(t, err)
	assert.Equal(t, `{"car_id":1,"plate":"B-SD 1000","model":"Toyota Yaris Hybrid","fuel":"hybrid","seats":5,"home_zone_id":1,"added_at":"2025-06-01 06:00:00","retired_at":null}`,
		strings.SplitN(string(cars), "\n", 2)[0])

	require.NoError(t, runLoad(context.Background(), o))
	assert.Equal(t, first, storeContents(t, pg, my, client, files), "a second load replaces the data with the same")
}

// storeContents sums up what the stores hold: row counts and a digest of
// every row, per table.
func storeContents(t *testing.T, pg *pgx.Conn, my *sql.DB, client *mongo.Client, files string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range []string{"members", "reservations"} {
		rows := extracttest.PgRows(t, pg, "SELECT count(*)::text || ' ' || md5(string_agg(t::text, '|' ORDER BY t::text)) FROM "+table+" t")
		out[table] = rows[0][0].(string)
	}
	var n, sum string
	require.NoError(t, my.QueryRow("SELECT count(*), sum(crc32(concat_ws('|', payment_id, reservation_id, member_id, paid_at, amount_cents, currency, method, kind, status))) FROM payments").Scan(&n, &sum))
	out["payments"] = n + " " + sum
	cur, err := client.Database("soda").Collection("app_events").Find(context.Background(), bson.D{},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	require.NoError(t, err)
	var docs []bson.Raw
	require.NoError(t, cur.All(context.Background(), &docs))
	var all strings.Builder
	for _, d := range docs {
		all.WriteString(d.String())
	}
	out["app_events"] = fmt.Sprint(len(docs)) + " " + hash(all.String())
	for _, f := range []string{"zones.csv", "cars.jsonl"} {
		b, err := os.ReadFile(filepath.Join(files, f))
		require.NoError(t, err)
		out[f] = hash(string(b))
	}
	return out
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestLoadNeedsAStore(t *testing.T) {
	err := runLoad(context.Background(), loadOptions{Scale: 1, Seed: DefaultSeed})
	require.EqualError(t, err, "--load needs a store: --pg-dsn, --mysql-dsn, --mongo-uri or --files-dir (or SODA_POSTGRES_DSN, SODA_MARIADB_DSN, SODA_MONGODB_URI)")
}

func TestMySQLStatements(t *testing.T) {
	assert.Equal(t, "INSERT INTO `payments` (`payment_id`, `reservation_id`, `member_id`, `paid_at`, `amount_cents`, `currency`, `method`, `kind`, `status`) VALUES "+
		"(?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?)", myInsert(paymentsTable, 2))
	assert.Contains(t, myDDL(paymentsTable)[1], "`kind` ENUM('charge', 'refund') NOT NULL,\n  `status` ENUM('succeeded', 'failed') NOT NULL,\n  PRIMARY KEY (`payment_id`)")
}

// TestRowsKeepLatestVersion: the store holds one row per reservation, its
// latest, where the CSV has older versions too.
func TestRowsKeepLatestVersion(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, generateDir(dir, 1, DefaultSeed))
	rows, err := openRows(dir, reservationsTable)
	require.NoError(t, err)
	defer rows.Close()
	seen := map[int64]bool{}
	for {
		row, err := rows.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		id := row[0].(int64)
		require.False(t, seen[id], "reservation %d twice", id)
		seen[id] = true
		if id == 202 {
			assert.Equal(t, "completed", row[8])
			assert.Equal(t, "101.4", row[10])
		}
	}
	assert.Len(t, seen, 1000)
}
