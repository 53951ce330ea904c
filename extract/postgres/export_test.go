package postgres

import "time"

// SetSlotBusyFor sets how long a run waits for a replication slot another
// connection holds, and returns a function that restores it.
func SetSlotBusyFor(d time.Duration) (restore func()) {
	old := slotBusyFor
	slotBusyFor = d
	return func() { slotBusyFor = old }
}
