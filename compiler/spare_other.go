//go:build !linux

package compiler

import (
	"errors"
	"os"
)

// openSpare: no spare is written over here (spare.go).
func openSpare(string) *os.File { return nil }

// exchangeFiles: no atomic exchange here; the caller renames.
func exchangeFiles(a, b string) error { return errors.ErrUnsupported }
