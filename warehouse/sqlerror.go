package warehouse

import (
	"errors"
	"strings"
)

// SQLError is an engine's error about SQL that mart was given (a model's
// compiled SQL), with the position in that SQL where the engine located
// the problem.
type SQLError struct {
	Err          error
	Line, Column int // 1-based; Column is 0 when the engine gave no column
}

func (e *SQLError) Error() string { return e.Err.Error() }
func (e *SQLError) Unwrap() error { return e.Err }

// ErrorPosition returns where in the given SQL an error lies, when the
// engine said so.
func ErrorPosition(err error) (line, col int, ok bool) {
	var se *SQLError
	if errors.As(err, &se) {
		return se.Line, se.Column, true
	}
	return 0, 0, false
}

// InSQL wraps err with a position that the engine gave in stmt (1-based
// line and column; column 0 if unknown), moved into selectSQL, which stmt
// holds (after TrimStatement). A position outside selectSQL (in the
// adapter's own wrapping) leaves err as it is.
func InSQL(err error, stmt, selectSQL string, line, col int) error {
	if err == nil || line < 1 {
		return err
	}
	body := TrimStatement(selectSQL)
	at := strings.Index(stmt, body)
	if at < 0 {
		return err
	}
	before := stmt[:at]
	first := strings.Count(before, "\n") + 1 // the statement's line where body starts
	l := line - first + 1
	if l < 1 || l > strings.Count(body, "\n")+1 {
		return err
	}
	if l == 1 && col > 0 {
		col -= at - (strings.LastIndexByte(before, '\n') + 1)
		if col < 1 {
			return err
		}
	}
	return &SQLError{Err: err, Line: l, Column: col}
}
