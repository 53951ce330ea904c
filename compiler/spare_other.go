//go:build !linux

package compiler

import (
	"errors"
	"os"
	"time"
)

// claimSpare: no spare is written over here (spare.go).
func claimSpare(spare, tmp string) *os.File { return nil }

// leaseGranted: no leases here; no spare is kept.
func leaseGranted(*os.File) bool { return false }

// exchangeFiles: no atomic exchange here; the caller renames.
func exchangeFiles(a, b string) error { return errors.ErrUnsupported }

// lockTemp: no locks here; removeStaleTemps goes by age alone.
func lockTemp(*os.File) {}

// removeStaleTemps removes the new versions of dst that a killed mart
// left (not written for staleAfter).
func removeStaleTemps(dst string) {
	cutoff := time.Now().Add(-staleAfter)
	for _, name := range tempsOf(dst) {
		if fi, err := os.Lstat(name); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(name)
		}
	}
}

// bootID: no spare is written over here, nothing to tell (spare.go).
func bootID() string { return "" }
