// Package mongotest starts a MongoDB-wire server for a test, in the test's
// process (internal/mongolite: FerretDB on SQLite), so tests of MongoDB
// extracts need no server on the machine. It is a package of its own so
// that tests which do not need it do not link FerretDB.
package mongotest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/mart-dev/mart/internal/mongolite"
)

// Server starts a server with its data in a temporary directory and
// returns its URI and a client; both go away with the test.
func Server(t testing.TB) (string, *mongo.Client) {
	t.Helper()
	s, err := mongolite.Start(mongolite.Options{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	client, err := mongo.Connect(options.Client().ApplyURI(s.URI()))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return client.Ping(context.Background(), nil) == nil }, 10*time.Second, 20*time.Millisecond)
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return s.URI(), client
}
