package postgres

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/mart-dev/mart/extract"
)

// copySignature starts PostgreSQL's binary COPY format.
var copySignature = []byte("PGCOPY\n\xff\r\n\x00")

// copyReader is the io.Writer that `COPY ... TO STDOUT (FORMAT binary)`
// data is written to: it cuts the stream into tuples, decodes each field
// and hands the row on, holding at most one partial tuple.
type copyReader struct {
	cols    []column
	row     []any
	add     func(row []any) error
	w       *extract.BlockWriter // decode into its blocks instead of rows (add)
	onBytes func(n int64)

	buf    []byte // unparsed bytes (a partial tuple)
	header bool   // the header was read
	done   bool   // the trailer was read
}

func newCopyReader(cols []column, add func([]any) error, onBytes func(int64)) *copyReader {
	return &copyReader{cols: cols, row: make([]any, len(cols)), add: add, onBytes: onBytes}
}

// newCopyBlockReader decodes the tuples into w's blocks.
func newCopyBlockReader(cols []column, w *extract.BlockWriter, onBytes func(int64)) *copyReader {
	return &copyReader{cols: cols, w: w, onBytes: onBytes}
}

// Write parses as many whole tuples as p completes.
func (r *copyReader) Write(p []byte) (int, error) {
	r.onBytes(int64(len(p)))
	data := p
	if len(r.buf) > 0 {
		r.buf = append(r.buf, p...)
		data = r.buf
	}
	n, err := r.parse(data)
	if err != nil {
		return 0, err
	}
	rest := data[n:]
	if len(r.buf) > 0 {
		r.buf = append(r.buf[:0], rest...)
	} else if len(rest) > 0 {
		r.buf = append(r.buf, rest...)
	}
	return len(p), nil
}

// parse consumes whole tuples from b and returns how many bytes it used.
func (r *copyReader) parse(b []byte) (int, error) {
	off := 0
	if !r.header {
		if len(b) < len(copySignature)+8 {
			return 0, nil
		}
		if !bytes.Equal(b[:len(copySignature)], copySignature) {
			return 0, errors.New("COPY: not binary COPY data")
		}
		ext := int(be.Uint32(b[len(copySignature)+4:]))
		off = len(copySignature) + 8 + ext
		if len(b) < off {
			return 0, nil
		}
		r.header = true
	}
	for !r.done {
		n, err := r.tuple(b[off:])
		if err != nil || n == 0 {
			return off, err
		}
		off += n
	}
	return off, nil
}

// tuple decodes one tuple from the start of b and returns its length, or
// 0 when b does not hold all of it yet.
func (r *copyReader) tuple(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, nil
	}
	nf := int(int16(be.Uint16(b)))
	if nf == -1 {
		r.done = true
		return 2, nil
	}
	if nf != len(r.cols) {
		return 0, fmt.Errorf("COPY: a tuple of %d fields for %d columns", nf, len(r.cols))
	}
	// find the tuple's end before decoding anything
	off := 2
	for range nf {
		if len(b) < off+4 {
			return 0, nil
		}
		l := int(int32(be.Uint32(b[off:])))
		off += 4
		if l > 0 {
			off += l
		}
		if len(b) < off {
			return 0, nil
		}
	}
	pos := 2
	if r.w != nil {
		blk := r.w.Block()
		for i := range nf {
			l := int(int32(be.Uint32(b[pos:])))
			pos += 4
			if l < 0 {
				blk.Cols[i].AppendNull()
				continue
			}
			if err := r.cols[i].block(&blk.Cols[i], b[pos:pos+l]); err != nil {
				return 0, fmt.Errorf("column %q: %w", r.cols[i].name, err)
			}
			pos += l
		}
		if err := r.w.RowDone(); err != nil {
			return 0, err
		}
		return off, nil
	}
	for i := range nf {
		l := int(int32(be.Uint32(b[pos:])))
		pos += 4
		if l < 0 {
			r.row[i] = nil
			continue
		}
		v, err := r.cols[i].decode(b[pos : pos+l])
		if err != nil {
			return 0, fmt.Errorf("column %q: %w", r.cols[i].name, err)
		}
		r.row[i] = v
		pos += l
	}
	if err := r.add(r.row); err != nil {
		return 0, err
	}
	return off, nil
}
