package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A generated DAG file must be readable by Airflow's scheduler, which
// seldom runs as the user who wrote it: 0644 for a new file, the old mode
// for a file it replaces.
func TestWriteFileAtomicMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "dags", "soda.py")
	if err := writeFileAtomic(f, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("new file: mode %v, err %v; want 0644", fi.Mode().Perm(), err)
	}
	if err := os.Chmod(f, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(f, []byte("b")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(f)
	if err != nil || fi.Mode().Perm() != 0o640 {
		t.Fatalf("replaced file: mode %v, err %v; want 0640 kept", fi.Mode().Perm(), err)
	}
	if b, _ := os.ReadFile(f); string(b) != "b" {
		t.Fatalf("content %q, want b", b)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "dags", ".*tmp*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
