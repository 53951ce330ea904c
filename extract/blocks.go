package extract

import (
	"context"
	"errors"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// BlockReader is implemented by a Reader that can decode rows straight
// into column blocks (warehouse.Block), which is much cheaper than a Go
// value per field: Job.Extract then reads full loads and keyset chunks
// with it. Its methods stage what ReadAll and ReadChunk stage.
type BlockReader interface {
	ReadAllBlocks(ctx context.Context, stage BlockStager) error
	ReadChunkBlocks(ctx context.Context, q Chunk, stage BlockStager) error
}

// BlockStager stages one batch from a BlockReader: the reader calls it
// once with the batch's columns, and fill adds the rows to the blocks w
// hands it, streamed.
type BlockStager func(cols []warehouse.LandColumn, fill func(w *BlockWriter) error) error

// BlockWriter takes a batch's rows from a BlockReader: the reader appends
// a row's value to each column of Block() (warehouse.BlockColumn's Append
// methods), then calls RowDone. Full blocks are handed on as they fill.
type BlockWriter struct {
	cur  *warehouse.Block
	emit func(*warehouse.Block) (*warehouse.Block, error)
	row  func() error // per row (the throttle), nil when none
}

// Block is the block the next row goes into.
func (w *BlockWriter) Block() *warehouse.Block { return w.cur }

// RowDone ends the row appended to Block()'s columns.
func (w *BlockWriter) RowDone() error {
	w.cur.Len++
	if w.row != nil {
		if err := w.row(); err != nil {
			return err
		}
	}
	if w.cur.Full() {
		return w.flush()
	}
	return nil
}

func (w *BlockWriter) flush() error {
	if w.cur.Len == 0 {
		return nil
	}
	b, err := w.emit(w.cur)
	if err != nil {
		return err
	}
	w.cur = b
	return nil
}

// blockDepth is how many full blocks may wait for the warehouse while the
// reader fills the next: with the one the warehouse holds and the one
// being filled, at most blockDepth+2 blocks of warehouse.BlockRows rows
// are in memory whatever the table's size.
const blockDepth = 3

// StageBlocks stages a batch of columns cols through the landing, the
// reader (fill) and the warehouse on two goroutines: one decodes the next
// blocks while the other lands the last. Rows are counted and paced by
// max_rows_per_second; track, when set, sees each full block before it is
// handed on. A landing that takes blocks (warehouse.BlockLanding) gets
// them as they are; any other gets their rows.
func (j *Job) StageBlocks(ctx context.Context, kind warehouse.BatchKind, cols []warehouse.LandColumn,
	fill func(w *BlockWriter) error, track func(*warehouse.Block)) (int64, error) {
	free := make(chan *warehouse.Block, blockDepth+2)
	for range blockDepth + 2 {
		free <- warehouse.NewBlock(cols)
	}
	full := make(chan *warehouse.Block, blockDepth)
	done := make(chan struct{}) // the warehouse stopped taking blocks
	ferr := make(chan error, 1)
	go func() {
		w := &BlockWriter{cur: <-free}
		if j.throttle != nil {
			w.row = func() error { return j.throttle.row(ctx) }
		}
		w.emit = func(b *warehouse.Block) (*warehouse.Block, error) {
			j.meter.rows.Add(int64(b.Len))
			if track != nil {
				track(b)
			}
			select {
			case full <- b:
			case <-done:
				return nil, errPipeClosed
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			select {
			case nb := <-free:
				nb.Reset()
				return nb, nil
			case <-done:
				return nil, errPipeClosed
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		err := fill(w)
		if err == nil {
			err = w.flush()
		}
		ferr <- err
		close(full)
	}()
	var held *warehouse.Block
	var srcErr error
	next := func() (*warehouse.Block, error) {
		if held != nil {
			free <- held // never blocks: free holds every block
			held = nil
		}
		if srcErr != nil {
			return nil, srcErr
		}
		b, ok := <-full
		if !ok {
			srcErr = <-ferr
			ferr <- srcErr
			if srcErr != nil {
				return nil, srcErr
			}
			return nil, nil
		}
		held = b
		return b, nil
	}
	batch := warehouse.Batch{Kind: kind, Columns: cols}
	var n int64
	var err error
	if bl, ok := j.land.(warehouse.BlockLanding); ok {
		n, err = bl.StageBlocks(ctx, batch, next)
	} else {
		n, err = j.land.Stage(ctx, batch, func(add func(row []any) error) error {
			var row []any
			for {
				b, err := next()
				if err != nil || b == nil {
					return err
				}
				for i := range b.Len {
					row = b.Row(i, row)
					if err := add(row); err != nil {
						return err
					}
				}
			}
		})
	}
	close(done)
	for range full { // let the reader finish
	}
	rerr := <-ferr
	switch {
	case err != nil:
		return 0, err
	case rerr != nil && !errors.Is(rerr, errPipeClosed):
		return 0, rerr
	}
	return n, nil
}

// blockStager stages a BlockReader's batch through the job, following it
// in b.
func (j *Job) blockStager(ctx context.Context, b *batch, order []string) BlockStager {
	return func(cols []warehouse.LandColumn, fill func(w *BlockWriter) error) error {
		b.cols = cols
		for _, o := range order {
			if findColumn(cols, o) < 0 {
				return fmt.Errorf("internal error: the batch has no column %q to order by", o)
			}
		}
		_, err := j.StageBlocks(ctx, warehouse.BatchRows, cols, fill, b.trackBlock)
		return err
	}
}

// trackBlock follows a block of the batch as track follows a row.
func (b *batch) trackBlock(blk *warehouse.Block) {
	if blk.Len == 0 {
		return
	}
	b.rows += int64(blk.Len)
	if b.order == nil {
		return
	}
	b.index()
	for i, c := range b.idx {
		if c >= 0 {
			b.last[i] = blk.Cols[c].Value(blk.Len - 1)
		}
	}
}
