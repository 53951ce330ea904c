package mongodb_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/extract/extracttest"
	_ "github.com/mart-dev/mart/extract/mongodb"
)

// TestMain: a crash test's child (extracttest.Main) extracts from the
// server its parent runs, found through the URI in the environment.
func TestMain(m *testing.M) { extracttest.Main(m) }

// ferret starts a MongoDB-wire server in this process (FerretDB on
// SQLite) and returns its URI and a client.
func ferret(t *testing.T) (string, *mongo.Client) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	f, err := ferretdb.New(&ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: addr}, Handler: "sqlite",
		SQLiteURL: "file:" + t.TempDir() + "/", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	uri := f.MongoDBURI()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return client.Ping(context.Background(), nil) == nil }, 10*time.Second, 20*time.Millisecond)
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return uri, client
}

const eventsYAML = `version: 2
sources:
  - name: app_events
    schema: raw_app
    extract: {from: mongodb, dsn: "{{ env_var('EVENTS_MONGO_URI') }}", database: app, chunk_size: 2}
    tables:
      - name: events
        extract: {primary_key: [_id], cursor: ts, deletes: reconcile}
      - name: devices
`

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func events(t *testing.T) (string, *mongo.Database) {
	t.Helper()
	uri, client := ferret(t)
	t.Setenv("EVENTS_MONGO_URI", uri)
	db := client.Database("app")
	ctx := context.Background()
	_, err := db.Collection("events").InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: oid(1)}, {Key: "ts", Value: t0}, {Key: "kind", Value: "open"}, {Key: "n", Value: int32(1)},
			{Key: "ctx", Value: bson.D{{Key: "os", Value: "ios"}, {Key: "v", Value: bson.A{1, "a"}}}}},
		bson.D{{Key: "_id", Value: oid(2)}, {Key: "ts", Value: t0.Add(time.Second)}, {Key: "kind", Value: "tap"}, {Key: "n", Value: int64(5)}},
		bson.D{{Key: "_id", Value: oid(3)}, {Key: "ts", Value: t0.Add(time.Second)}, {Key: "kind", Value: "tap"}, {Key: "ok", Value: true}},
		bson.D{{Key: "_id", Value: oid(4)}, {Key: "ts", Value: t0.Add(2 * time.Second)}, {Key: "kind", Value: "close"}, {Key: "n", Value: nil}},
	})
	require.NoError(t, err)
	_, err = db.Collection("devices").InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: "d1"}, {Key: "model", Value: "pixel"}}, bson.D{{Key: "_id", Value: "d2"}, {Key: "model", Value: "iphone"}, {Key: "year", Value: 2024}},
	})
	require.NoError(t, err)
	return extracttest.Project(t, eventsYAML), db
}

func oid(n byte) bson.ObjectID {
	var id bson.ObjectID
	id[11] = n
	return id
}

func hexID(n byte) string {
	return "0000000000000000000000" + string("0123456789abcdef"[n>>4]) + string("0123456789abcdef"[n&15])
}

const duckEvents = `SELECT _id, ts, kind, n, ctx::varchar, ok FROM raw_app.events ORDER BY _id`

func TestCollections(t *testing.T) {
	dir, db := events(t)
	res := extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, "app_events.devices success rows=2 inserted=2 updated=0 deleted=0", extracttest.ResultLine(res.Tables[0]))
	assert.Equal(t, "app_events.events success rows=4 inserted=4 updated=0 deleted=0", extracttest.ResultLine(res.Tables[1]))
	assert.Equal(t, [][]any{
		{hexID(1), t0, "open", int64(1), `{"os":"ios","v":[1,"a"]}`, nil},
		{hexID(2), t0.Add(time.Second), "tap", int64(5), nil, nil},
		{hexID(3), t0.Add(time.Second), "tap", nil, nil, true},
		{hexID(4), t0.Add(2 * time.Second), "close", nil, nil, nil},
	}, extracttest.Query(t, dir, duckEvents))
	assert.Equal(t, [][]any{{"d1", "pixel", nil}, {"d2", "iphone", int32(2024)}},
		extracttest.Query(t, dir, `SELECT _id, model, "year" FROM raw_app.devices ORDER BY _id`))

	// nothing new
	res = extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, "app_events.events success rows=1 inserted=0 updated=0 deleted=0", extracttest.ResultLine(res.Tables[1]))

	// an insert with a new field and a fractional n, an update, a delete
	ctx := context.Background()
	ev := db.Collection("events")
	_, err := ev.InsertOne(ctx, bson.D{{Key: "_id", Value: oid(5)}, {Key: "ts", Value: t0.Add(time.Hour)}, {Key: "kind", Value: "buy"},
		{Key: "n", Value: 2.5}, {Key: "price", Value: "9.99"}})
	require.NoError(t, err)
	_, err = ev.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid(2)}}, bson.D{{Key: "$set", Value: bson.D{{Key: "kind", Value: "swipe"}, {Key: "ts", Value: t0.Add(time.Minute)}}}})
	require.NoError(t, err)
	_, err = ev.DeleteOne(ctx, bson.D{{Key: "_id", Value: oid(3)}})
	require.NoError(t, err)
	_, err = db.Collection("devices").DeleteOne(ctx, bson.D{{Key: "_id", Value: "d1"}})
	require.NoError(t, err)

	res = extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, "app_events.devices success rows=1 inserted=0 updated=0 deleted=1", extracttest.ResultLine(res.Tables[0]))
	assert.Equal(t, "app_events.events success rows=3 inserted=1 updated=1 deleted=1", extracttest.ResultLine(res.Tables[1]))
	assert.Equal(t, [][]any{
		{hexID(1), t0, "open", 1.0, nil},
		{hexID(2), t0.Add(time.Minute), "swipe", 5.0, nil},
		{hexID(4), t0.Add(2 * time.Second), "close", nil, nil},
		{hexID(5), t0.Add(time.Hour), "buy", 2.5, "9.99"},
	}, extracttest.Query(t, dir, `SELECT _id, ts, kind, n, price FROM raw_app.events ORDER BY _id`))
	assert.Equal(t, [][]any{{"n", "DOUBLE"}}, extracttest.Query(t, dir,
		`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'n'`))
}

func TestCrashAndRerun(t *testing.T) {
	// devices: one page and its keys; events: pages of 2 (2, 2, 0), then its keys
	for _, fp := range []string{"staged:1", "committed:3", "staged:4"} {
		t.Run(fp, func(t *testing.T) {
			dir, _ := events(t)
			killed, out, err := extracttest.ExtractInChild(t, dir, extract.FailpointEnv+"="+fp)
			require.NoError(t, err, out)
			require.True(t, killed, out)
			_, out, err = extracttest.ExtractInChild(t, dir)
			require.NoError(t, err, out)
			assert.Equal(t, [][]any{{hexID(1)}, {hexID(2)}, {hexID(3)}, {hexID(4)}}, extracttest.Query(t, dir, `SELECT _id FROM raw_app.events ORDER BY _id`))
			assert.Equal(t, [][]any{{int64(2)}}, extracttest.Query(t, dir, `SELECT count(*) FROM raw_app.devices`))
		})
	}
}

func TestUnreachable(t *testing.T) {
	dir, _ := events(t)
	t.Setenv("EVENTS_MONGO_URI", "mongodb://u:s3cr3t-Pa55@127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300")
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.NoError(t, err)
	for _, r := range res.Tables {
		require.Error(t, r.Err)
		assert.Contains(t, r.Err.Error(), "extract source app_events, table "+r.Table+": connect to MongoDB")
		assert.NotContains(t, r.Err.Error(), "s3cr3t")
	}
}
