package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

// stream applies a slot's changes to the raw table, in batches that end
// on a transaction's commit.
type stream struct {
	j    *extract.Job
	repl *pgconn.PgConn
	cat  *pgx.Conn // for the catalog, when the table's columns change
	t    *table
	slot string
	// publication is the one the stream reads through
	publication string
	key         []string
	target      pglogrepl.LSN // stop once everything up to here is applied

	relID   uint32   // the table's relation id in the stream (0: not seen yet)
	relCols []column // its columns in the stream's order, with text decoders
	cols    []column // the columns of the batch being staged

	inTx      bool
	txRows    int           // changes of the table in the open transaction
	rows      int           // changes staged in the batch
	committed pglogrepl.LSN // end of the last transaction staged
	landed    pglogrepl.LSN // the LSN last committed to the warehouse: the only one ever confirmed
	pos       pglogrepl.LSN // everything before it is received (a keepalive's WAL end, or committed)
	done      bool
	restage   bool // the table's columns changed: stage a new batch
	asked     bool // a keepalive was requested and has not come
	behind    bool // the last keepalive was before the target
}

// run streams from the committed position until the target.
func (s *stream) run(ctx context.Context) error {
	if err := s.start(ctx); err != nil {
		return fmt.Errorf("start replication from slot %s: %w", s.slot, err)
	}
	s.j.SetPhase(extract.PhaseChanges)
	s.cols = s.planColumns()
	s.relCols = s.cols
	s.landed = s.committed
	for !s.done {
		s.restage, s.rows = false, 0
		_, err := s.j.Stage(ctx, warehouse.BatchChanges, landColumns(s.cols), func(add func([]any) error) error {
			return s.fill(ctx, add)
		})
		if err != nil {
			return err
		}
		lsn := max(s.committed, s.pos)
		if s.inTx {
			lsn = s.committed // a batch cut inside a transaction resumes at its start
		}
		st := cdcState(s.j, cdcNaming{slot: s.slot, publication: s.publication}, lsn, landColumns(s.cols))
		if err := s.j.Commit(ctx, st, warehouse.LandCommit{NoBatch: s.rows == 0}); err != nil {
			return err
		}
		s.landed = lsn
		if err := s.confirm(ctx, lsn); err != nil {
			return err
		}
		if s.restage {
			s.cols = s.relCols
		}
	}
	return nil
}

// slotBusyFor is how long start waits for a slot another connection still
// holds: the server process of the previous run's connection releases it
// a moment after that run closed it (an extract run again at once, as a
// scheduler may, failed with SQLSTATE 55006); a slot still held after that
// is another extract's, running.
var slotBusyFor = 5 * time.Second

// start starts streaming from the slot at the committed position.
func (s *stream) start(ctx context.Context) error {
	deadline := time.Now().Add(slotBusyFor)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		err := pglogrepl.StartReplication(ctx, s.repl, s.slot, s.committed, pglogrepl.StartReplicationOptions{
			Mode: pglogrepl.LogicalReplication, PluginArgs: []string{"proto_version '1'", "publication_names '" + s.publication + "'"}})
		var pe *pgconn.PgError
		if err == nil || !errors.As(err, &pe) || pe.Code != "55006" || time.Now().Add(wait).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// confirm tells the server the changes up to lsn are landed, so the slot
// may let go of their WAL.
func (s *stream) confirm(ctx context.Context, lsn pglogrepl.LSN) error {
	if err := pglogrepl.SendStandbyStatusUpdate(ctx, s.repl, pglogrepl.StandbyStatusUpdate{WALWritePosition: lsn}); err != nil {
		return fmt.Errorf("confirm LSN %s to slot %s: %w", lsn, s.slot, err)
	}
	return nil
}

// fill adds the stream's changes of the table until the batch is full at
// a commit, the target is reached, or the table's columns change.
func (s *stream) fill(ctx context.Context, add func([]any) error) error {
	for {
		if !s.asked && !s.inTx {
			if s.behind {
				time.Sleep(20 * time.Millisecond) // the server is still reading WAL
			}
			// a keepalive tells how far the server has sent
			if err := pglogrepl.SendStandbyStatusUpdate(ctx, s.repl, pglogrepl.StandbyStatusUpdate{
				WALWritePosition: s.landed, ReplyRequested: true}); err != nil {
				return fmt.Errorf("replication: %w", err)
			}
			s.asked = true
		}
		msg, err := s.repl.ReceiveMessage(ctx)
		if err != nil {
			return fmt.Errorf("replication: %w", err)
		}
		switch m := msg.(type) {
		case *pgproto3.ErrorResponse:
			return fmt.Errorf("replication: %w", pgconn.ErrorResponseToPgError(m))
		case *pgproto3.CopyData:
			stop, err := s.copyData(ctx, m.Data, add)
			if err != nil || stop {
				return err
			}
		}
	}
}

// copyData handles one message of the stream; stop ends the batch.
func (s *stream) copyData(ctx context.Context, data []byte, add func([]any) error) (stop bool, err error) {
	switch data[0] {
	case pglogrepl.PrimaryKeepaliveMessageByteID:
		k, err := pglogrepl.ParsePrimaryKeepaliveMessage(data[1:])
		if err != nil {
			return false, err
		}
		s.asked = false
		s.behind = k.ServerWALEnd < s.target
		if !s.inTx && !s.behind {
			s.pos, s.done = max(s.pos, k.ServerWALEnd), true
			return true, nil
		}
		return false, nil
	case pglogrepl.XLogDataByteID:
		x, err := pglogrepl.ParseXLogData(data[1:])
		if err != nil {
			return false, err
		}
		m, err := pglogrepl.Parse(x.WALData)
		if err != nil {
			return false, fmt.Errorf("replication: %w", err)
		}
		return s.message(ctx, m, add)
	}
	return false, nil
}

// message applies one logical replication message.
func (s *stream) message(ctx context.Context, m pglogrepl.Message, add func([]any) error) (bool, error) {
	switch m := m.(type) {
	case *pglogrepl.RelationMessage:
		return s.relation(ctx, m)
	case *pglogrepl.BeginMessage:
		s.inTx, s.txRows = true, 0
	case *pglogrepl.CommitMessage:
		s.inTx, s.committed = false, m.TransactionEndLSN
		s.pos = max(s.pos, s.committed)
		if m.CommitLSN >= s.target {
			s.done = true // every earlier commit came before it
			return true, nil
		}
		return s.rows >= s.j.Config.ChunkSize, nil
	case *pglogrepl.InsertMessage:
		return false, s.change(m.RelationID, m.Tuple, nil, warehouse.ChangeUpsert, add)
	case *pglogrepl.UpdateMessage:
		if s.keyChanged(m) { // the row moved to another key: the old one is gone
			if err := s.change(m.RelationID, m.OldTuple, nil, warehouse.ChangeDelete, add); err != nil {
				return false, err
			}
		}
		return false, s.change(m.RelationID, m.NewTuple, m.OldTuple, warehouse.ChangeUpsert, add)
	case *pglogrepl.DeleteMessage:
		return false, s.change(m.RelationID, m.OldTuple, nil, warehouse.ChangeDelete, add)
	case *pglogrepl.TruncateMessage:
		for _, id := range m.RelationIDs {
			if id == s.relID {
				return false, fmt.Errorf("%s was truncated in the source: run with --full-refresh to copy it again", s.t.rel)
			}
		}
	}
	return false, nil
}

// keyChanged reports whether an update gave its row another key: the
// stream then carries the old key (or the whole old row).
func (s *stream) keyChanged(m *pglogrepl.UpdateMessage) bool {
	if m.RelationID != s.relID || m.OldTuple == nil || m.NewTuple == nil {
		return false
	}
	for i, c := range s.relCols {
		if !s.isKey(c.name) || i >= len(m.OldTuple.Columns) || i >= len(m.NewTuple.Columns) {
			continue
		}
		if string(m.OldTuple.Columns[i].Data) != string(m.NewTuple.Columns[i].Data) {
			return true
		}
	}
	return false
}

func (s *stream) isKey(name string) bool {
	for _, k := range s.key {
		if k == name {
			return true
		}
	}
	return false
}

// change adds one change of the table as a row and its operation.
func (s *stream) change(rel uint32, tuple, old *pglogrepl.TupleData, op string, add func([]any) error) error {
	if rel != s.relID || tuple == nil {
		return nil
	}
	row := make([]any, len(s.cols)+1)
	for i, c := range s.relCols {
		if i >= len(tuple.Columns) {
			break
		}
		d := tuple.Columns[i]
		if d.DataType == pglogrepl.TupleDataTypeToast && old != nil && i < len(old.Columns) {
			d = old.Columns[i] // FULL replica identity: the old row has it
		}
		var v any
		switch d.DataType {
		case pglogrepl.TupleDataTypeNull:
		case pglogrepl.TupleDataTypeToast:
			return fmt.Errorf("an update of %s left column %q's large (TOASTed) value out of the replication stream; "+
				"set REPLICA IDENTITY FULL on the table so the stream carries it", s.t.rel, c.name)
		default:
			var err error
			if v, err = c.decode(d.Data); err != nil {
				return fmt.Errorf("column %q: %w", c.name, err)
			}
		}
		row[i] = v
	}
	row[len(s.cols)] = op
	s.txRows++
	s.rows++
	return add(row)
}

// relation learns the table's relation id and its columns as the stream
// has them. A batch has one set of columns: when they change, the batch
// ends before the transaction that brings the change (the next batch
// resumes at its start), unless that transaction already changed rows of
// the table, which is an error.
func (s *stream) relation(ctx context.Context, m *pglogrepl.RelationMessage) (bool, error) {
	var oid uint32
	err := s.cat.QueryRow(ctx, "SELECT coalesce(to_regclass($1)::oid, 0)", pgx.Identifier{m.Namespace, m.RelationName}.Sanitize()).Scan(&oid)
	if err != nil {
		return false, fmt.Errorf("look up %s.%s: %w", m.Namespace, m.RelationName, err)
	}
	if oid != s.t.oid {
		return false, nil // another table of the publication
	}
	s.relID = m.RelationID
	cols := make([]column, len(m.Columns))
	same := len(m.Columns) == len(s.cols)
	for i, mc := range m.Columns {
		if same && s.cols[i].name == mc.Name && s.cols[i].attType == mc.DataType && s.cols[i].attTypmod == mc.TypeModifier {
			cols[i] = s.cols[i]
			continue
		}
		same = false
		c, err := typeColumn(ctx, s.cat, mc.Name, mc.DataType, mc.TypeModifier)
		if err != nil {
			return false, err
		}
		c.decode = textDecoder(c.land)
		cols[i] = c
	}
	s.relCols = cols
	if same {
		return false, nil
	}
	if s.txRows > 0 {
		return false, fmt.Errorf("the columns of %s changed in the middle of a transaction that changed its rows", s.t.rel)
	}
	s.restage = true
	return true, nil
}

// planColumns returns the catalog's columns, each with its text decoder.
func (s *stream) planColumns() []column {
	out := make([]column, len(s.t.cols))
	for i, c := range s.t.cols {
		c.decode = textDecoder(c.land)
		out[i] = c
	}
	return out
}
