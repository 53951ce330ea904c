package warehouse

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// TempMarker separates a relation's name from the random suffix of the
// temporary relation a table is built under before it is swapped in.
const TempMarker = "__mart_tmp_"

// TempName returns a fresh temporary name for building name:
// "<name>__mart_tmp_<16 random hex digits>".
func TempName(name string) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return name + TempMarker + hex.EncodeToString(b[:])
}

// IsTempName reports whether name was made by [TempName].
func IsTempName(name string) bool {
	return strings.Contains(name, TempMarker)
}
