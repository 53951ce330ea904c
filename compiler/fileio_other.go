//go:build !unix

package compiler

import "os"

func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }

// fileID is a file's inode number: none here.
func fileID(os.FileInfo) uint64 { return 0 }

func mapFile(name string) ([]byte, error) { return os.ReadFile(name) }
