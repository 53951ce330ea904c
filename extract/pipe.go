package extract

import (
	"context"
	"errors"
)

// pipeRows and pipeDepth size the hand-over between a source's reading
// goroutine and the warehouse's appending one: batches of pipeRows rows,
// at most pipeDepth of them in flight, so memory stays bounded whatever
// the table's size.
const (
	pipeRows  = 1024
	pipeDepth = 4
)

// errPipeClosed stops a reader once the appending side has failed.
var errPipeClosed = errors.New("the warehouse stopped taking rows")

// pipe runs fill (the source: reading, decoding) and add (the warehouse:
// appending) on two goroutines, so that on two cores one reads the next
// rows while the other lands the last ones. Rows are copied into batches:
// fill may reuse its row slice, as Stager allows.
func pipe(ctx context.Context, fill func(add func(row []any) error) error, add func(row []any) error) error {
	full := make(chan [][]any, pipeDepth)
	free := make(chan [][]any, pipeDepth+1)
	for range pipeDepth + 1 {
		free <- make([][]any, 0, pipeRows)
	}
	done := make(chan error, 1)
	go func() {
		var err error
		for b := range full {
			for _, row := range b {
				if err == nil {
					err = add(row)
				}
			}
			free <- b[:0]
		}
		done <- err
	}()
	consumerErr := func() error {
		select {
		case err := <-done:
			done <- err
			return err
		default:
			return nil
		}
	}
	cur := <-free
	ferr := fill(func(row []any) error {
		if len(cur) == pipeRows {
			select {
			case full <- cur:
			case <-ctx.Done():
				return ctx.Err()
			}
			if err := consumerErr(); err != nil {
				return errPipeClosed
			}
			cur = <-free
		}
		// reuse the row slices a recycled batch still holds
		n := len(cur)
		if n < cap(cur) {
			cur = cur[:n+1]
		} else {
			cur = append(cur, nil)
		}
		r := cur[n]
		if cap(r) < len(row) {
			r = make([]any, len(row))
		}
		r = r[:len(row)]
		copy(r, row)
		cur[n] = r
		return nil
	})
	if ferr == nil && len(cur) > 0 {
		full <- cur
	}
	close(full)
	aerr := <-done
	if aerr != nil {
		return aerr // the source's error, if any, is errPipeClosed
	}
	return ferr
}
