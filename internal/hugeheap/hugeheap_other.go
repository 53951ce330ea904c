//go:build !linux

package hugeheap

import "errors"

func readSettings() settings { return settings{} }

func advise(int, int, func()) error { return errors.New("not supported on this OS") }
