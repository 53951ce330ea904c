//go:build !unix

package bench

import "os"

// peakRSS is unknown where there is no getrusage; peak-MB is then omitted.
func peakRSS(*os.ProcessState) int64 { return 0 }

func syncDisks() {}
