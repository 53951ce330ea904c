package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

// extractCDC lands a table through logical replication (pgoutput). The
// first run (or a full refresh) creates the table's replication slot,
// copies the table in the snapshot the slot exports, and commits it with
// the slot's consistent point; every run then applies the changes from the
// stored LSN up to the WAL position it started at, committing each batch
// with the LSN it reaches, and only then confirms that LSN to the server.
// A re-run after a crash replays from the stored LSN: changes apply in
// order, the last change of each key winning, so nothing is lost or
// doubled.
func extractCDC(ctx context.Context, j *extract.Job) error {
	dsn, err := j.DSN()
	if err != nil {
		return err
	}
	conn, err := connect(ctx, j.Config, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var level string
	if err := conn.QueryRow(ctx, "SHOW wal_level").Scan(&level); err != nil {
		return fmt.Errorf("read wal_level: %w", err)
	}
	if level != "logical" {
		return fmt.Errorf("mode cdc needs the server's wal_level = logical (it is %s); set it and restart PostgreSQL, or use mode incremental", level)
	}
	t, err := describe(ctx, conn, j.Object)
	if err != nil {
		return err
	}
	key, err := cdcKey(ctx, conn, j, t)
	if err != nil {
		return err
	}
	if err := j.Open(ctx, key, true); err != nil {
		return err
	}
	var database string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&database); err != nil {
		return fmt.Errorf("read the database's name: %w", err)
	}
	names := cdcNames(j, database)
	prev := j.State()
	resuming := prev != nil && prev.Slot != ""
	if resuming {
		// the stored LSN is the stored slot's position, whatever the
		// slot of a new stream would be called today; and the stream
		// goes on through its publication: one created now does not
		// exist at the slot's position, and pgoutput fails on the
		// changes in between ("publication ... does not exist")
		names.slot = prev.Slot
		if names.publication, err = resumedPublication(ctx, conn, j, prev, names.publication); err != nil {
			return err
		}
	}
	if err := ensurePublication(ctx, conn, names.publication, t.rel); err != nil {
		return err
	}
	repl, err := replicationConn(ctx, j.Config, dsn)
	if err != nil {
		return err
	}
	defer repl.Close(context.Background())
	var start pglogrepl.LSN
	if !resuming {
		if start, err = initialCopy(ctx, j, conn, repl, t, names); err != nil {
			return err
		}
		if err := dropReplacedSlot(ctx, conn, j, names.slot); err != nil {
			return err
		}
	} else if start, err = resumeSlot(ctx, conn, prev); err != nil {
		return err
	}
	var target pglogrepl.LSN
	if err := conn.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&target); err != nil {
		return fmt.Errorf("read the WAL position: %w", err)
	}
	s := &stream{j: j, repl: repl, cat: conn, t: t, slot: names.slot, publication: names.publication, key: key, target: target, committed: start, pos: start}
	return s.run(ctx)
}

// cdcKey is the key changes are merged by: the replica identity's (the
// primary key), which is what a delete sends.
func cdcKey(ctx context.Context, conn *pgx.Conn, j *extract.Job, t *table) ([]string, error) {
	var ident string
	if err := conn.QueryRow(ctx, "SELECT relreplident::text FROM pg_class WHERE oid = $1", t.oid).Scan(&ident); err != nil {
		return nil, fmt.Errorf("read the replica identity of %s: %w", t.rel, err)
	}
	key := j.Config.PrimaryKey
	switch {
	case ident == "f" && (len(key) > 0 || len(t.key) > 0): // FULL: deletes send every column
		if len(key) == 0 {
			key = t.key
		}
	case ident == "d" && len(t.key) > 0 && (len(key) == 0 || strings.EqualFold(strings.Join(key, ","), strings.Join(t.key, ","))):
		key = t.key
	case ident == "d" && len(t.key) > 0:
		return nil, fmt.Errorf("primary_key %v: deletes in the replication stream carry the table's primary key %v; leave primary_key out, "+
			"or set REPLICA IDENTITY FULL on the table", key, t.key)
	default:
		return nil, fmt.Errorf("no usable key: %s has no primary key for its deletes to carry; add one, "+
			"or set REPLICA IDENTITY FULL on the table and extract.primary_key", t.rel)
	}
	return key, nil
}

type cdcNaming struct{ slot, publication string }

var nonIdent = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9_]+`) })

// cdcNames are the slot and publication of a new stream of the table:
// extract's slot and publication, else "mart_<source>_<table>" plus a hash
// of the stream (a slot name is at most 63 characters of [a-z0-9_]). A
// slot is a consumer's position in the server's WAL, and slot names are
// the server's, across its databases: the hash covers the source database
// and where the rows land (the warehouse and the raw table), so that a dev
// and a prod warehouse fed from one server, or two databases with the same
// tables, never share a slot; one would confirm changes the other has not
// applied, and a first run drops a slot of its name.
func cdcNames(j *extract.Job, database string) cdcNaming {
	name := cdcBase(j) + "_" + cdcHash(j.Info.UniqueID+"\x00"+database+"\x00"+j.Destination+"\x00"+j.Info.Relation)
	n := cdcNaming{slot: name, publication: name}
	if j.Config.Slot != "" {
		n.slot = j.Config.Slot
	}
	if j.Config.Publication != "" {
		n.publication = j.Config.Publication
	}
	return n
}

// resumedPublication is the publication a resumed stream goes on through:
// extract's publication when it names one, else the one its state names;
// a state written before states named it (the default slot and
// publication were then one name) streamed through its slot's name, or,
// with a slot of extract's, through the default name of the time (the
// hash of the table's unique id alone, before it covered the source
// database and the destination) or today's.
func resumedPublication(ctx context.Context, conn *pgx.Conn, j *extract.Job, prev *extract.State, current string) (string, error) {
	switch {
	case j.Config.Publication != "":
		return j.Config.Publication, nil
	case prev.Publication != "":
		return prev.Publication, nil
	case j.Config.Slot == "":
		return prev.Slot, nil
	}
	legacy := cdcBase(j) + "_" + cdcHash(j.Info.UniqueID)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1)", legacy).Scan(&exists); err != nil {
		return "", fmt.Errorf("read publication %s: %w", legacy, err)
	}
	if exists {
		return legacy, nil
	}
	return current, nil
}

// cdcBase is the readable part of a default slot or publication name.
func cdcBase(j *extract.Job) string {
	base := nonIdent().ReplaceAllString(strings.ToLower("mart_"+j.Info.Source+"_"+j.Info.Table), "_")
	if len(base) > 50 {
		base = base[:50]
	}
	return base
}

// cdcHash is the hashed part of a default slot or publication name.
func cdcHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:8]
}

// ensurePublication creates the publication of the table, or adds the
// table to it.
func ensurePublication(ctx context.Context, conn *pgx.Conn, name, rel string) error {
	var has, exists bool
	err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1),
		EXISTS (SELECT 1 FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid WHERE p.pubname = $1 AND r.prrelid = $2::regclass)`,
		name, rel).Scan(&exists, &has)
	if err != nil {
		return fmt.Errorf("read publication %s: %w", name, err)
	}
	q := ""
	switch {
	case !exists:
		q = "CREATE PUBLICATION " + pgx.Identifier{name}.Sanitize() + " FOR TABLE " + rel
	case !has:
		q = "ALTER PUBLICATION " + pgx.Identifier{name}.Sanitize() + " ADD TABLE " + rel
	default:
		return nil
	}
	// the snapshot transaction is read-only: DDL runs in its own
	if _, err := conn.Exec(ctx, q); err != nil {
		return fmt.Errorf("publish %s for CDC (mart's user must own the table): %w", rel, err)
	}
	return nil
}

// replicationConn opens a logical replication connection.
func replicationConn(ctx context.Context, c extract.Config, dsn string) (*pgconn.PgConn, error) {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	cfg.RuntimeParams["replication"] = "database"
	cfg.RuntimeParams["application_name"] = c.ApplicationName
	cfg.RuntimeParams["TimeZone"] = "UTC"
	cfg.RuntimeParams["DateStyle"] = "ISO"
	cfg.RuntimeParams["bytea_output"] = "hex"
	cfg.RuntimeParams["extra_float_digits"] = "1"
	conn, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open a replication connection to PostgreSQL: %w", err)
	}
	return conn, nil
}

// initialCopy (re)creates the slot, copies the table in the snapshot it
// exports, and commits the copy with the slot's consistent point.
func initialCopy(ctx context.Context, j *extract.Job, conn *pgx.Conn, repl *pgconn.PgConn, t *table, names cdcNaming) (pglogrepl.LSN, error) {
	slot := names.slot
	// a slot left by a run that died before its first commit, or one a
	// full refresh starts over from
	if _, err := conn.Exec(ctx, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", slot); err != nil {
		return 0, fmt.Errorf("drop the old replication slot %s: %w", slot, err)
	}
	res, err := pglogrepl.CreateReplicationSlot(ctx, repl, slot, "pgoutput",
		pglogrepl.CreateReplicationSlotOptions{Mode: pglogrepl.LogicalReplication, SnapshotAction: "EXPORT_SNAPSHOT"})
	if err != nil {
		return 0, fmt.Errorf("create replication slot %s (is max_replication_slots reached?): %w", slot, err)
	}
	start, err := pglogrepl.ParseLSN(res.ConsistentPoint)
	if err != nil {
		return 0, err
	}
	if err := snapshot(ctx, conn); err != nil {
		return 0, err
	}
	if _, err := conn.Exec(ctx, "SET TRANSACTION SNAPSHOT '"+strings.ReplaceAll(res.SnapshotName, "'", "''")+"'"); err != nil {
		return 0, fmt.Errorf("use the slot's snapshot: %w", err)
	}
	r := &reader{conn: conn, t: t, j: j}
	var cols []warehouse.LandColumn
	err = r.ReadAll(ctx, func(c []warehouse.LandColumn, fill func(add func([]any) error) error) error {
		cols = c
		_, err := j.Stage(ctx, warehouse.BatchRows, c, fill)
		return err
	})
	if _, cerr := conn.Exec(ctx, "COMMIT"); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	st := cdcState(j, names, start, cols)
	return start, j.Commit(ctx, st, warehouse.LandCommit{Whole: true})
}

// dropReplacedSlot drops the slot of the stream a full refresh replaced,
// once the new stream committed, when it is not the new one (the project
// moved, or the stream began under another default name): nothing reads
// it any more, and a slot nobody reads holds the server's WAL for ever. A
// slot in use now (another consumer's, once shared) is left.
func dropReplacedSlot(ctx context.Context, conn *pgx.Conn, j *extract.Job, slot string) error {
	old := j.Replaced()
	if old == nil || old.Slot == "" || old.Slot == slot {
		return nil
	}
	if _, err := conn.Exec(ctx, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database() AND NOT active",
		old.Slot); err != nil {
		return fmt.Errorf("drop the replaced replication slot %s: %w", old.Slot, err)
	}
	return nil
}

// resumeSlot checks that the stream's slot is still there and returns the
// stored LSN to stream from.
func resumeSlot(ctx context.Context, conn *pgx.Conn, st *extract.State) (pglogrepl.LSN, error) {
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database() AND wal_status IS DISTINCT FROM 'lost')",
		st.Slot).Scan(&ok); err != nil {
		return 0, fmt.Errorf("read replication slot %s: %w", st.Slot, err)
	}
	if !ok {
		return 0, fmt.Errorf("the replication slot %s is gone (dropped, or its WAL was removed): changes since the last extract are lost "+
			"to it; run with --full-refresh to copy the table again", st.Slot)
	}
	lsn, err := pglogrepl.ParseLSN(st.LSN)
	if err != nil {
		return 0, errors.New("the stored LSN is not valid: run with --full-refresh")
	}
	return lsn, nil
}

func cdcState(j *extract.Job, names cdcNaming, lsn pglogrepl.LSN, cols []warehouse.LandColumn) *extract.State {
	st := j.NewState()
	st.Slot, st.Publication, st.LSN = names.slot, names.publication, lsn.String()
	st.Columns = make([]extract.StateColumn, len(cols))
	for i, c := range cols {
		st.Columns[i] = extract.StateColumn{Name: c.Name, Type: c.Type.String()}
	}
	return st
}
