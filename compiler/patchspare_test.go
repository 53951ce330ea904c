//go:build unix

package compiler

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPatchMetadataOverSpare: a patch that changes manifest.json's
// metadata alone (nothing changed but the invocation id) leaves the
// replaced version as a spare that differs from the new one in the
// metadata alone (SpareMeta); the next such patch writes the metadata over
// it and leaves the rest. The spare is trusted by its stat, in the boot it
// was written in: a byte of its rest changed under the same stat shows in
// the next manifest.json (what proves the rest was not written), and after
// a restart it is copied whole.
func TestPatchMetadataOverSpare(t *testing.T) {
	if bootID() == "" || !leasesHere(t) {
		t.Skip("no spare is written over here")
	}
	opt, snapFile := keptSnapshotProject(t) // compiled with invocation id "inv": the patches' are as long
	manifest := filepath.Join(opt.ProjectDir, "target", "manifest.json")
	spare := manifest + spareSuffix
	cold := func(inv string) []byte {
		o := opt
		o.InvocationID, o.PartialParse, o.PatchSnapshot = inv, false, false
		r, d := Compile(o)
		require.NotNil(t, r, "%v", d)
		r.DropPatch()
		return manifestBytes(t, r.Manifest)
	}
	patch := func(inv string) {
		t.Helper()
		o := opt
		o.InvocationID, o.PatchSnapshot = inv, false
		pt, why := CompileByPatch(o)
		require.NotNil(t, pt, why)
	}
	spareMeta := func() fileStat {
		snap, err := readPatchSnapshot(snapFile)
		require.NoError(t, err)
		return snap.SpareMeta
	}
	flipTail := func(b []byte) []byte {
		b = bytes.Clone(b)
		b[len(b)-3] ^= 0x01
		return b
	}

	// after the whole compile the spare is not known: the first patch
	// copies manifest.json, then its spare is the version it replaced
	require.Zero(t, spareMeta())
	patch("in1")
	requireFileBytes(t, manifest, cold("in1"))
	fi, err := os.Stat(spare)
	require.NoError(t, err)
	require.True(t, spareMeta().same(fileStatOf(fi, 0)), "the spare is the version replaced: %+v, %+v", spareMeta(), fileStatOf(fi, 0))

	// the next writes the metadata over it: a byte of its rest changed
	// under its stat stays in manifest.json
	writeKeepingStat(t, spare, flipTail)
	patch("in2")
	requireFileBytes(t, manifest, flipTail(cold("in2")))
	writeKeepingStat(t, manifest, flipTail) // put right

	// the same after a restart: the spare is copied whole
	writeKeepingStat(t, spare, flipTail)
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	snap.Boot = "another boot"
	require.NoError(t, writePatchSnapshot(snapFile, snap))
	patch("in3")
	requireFileBytes(t, manifest, cold("in3"))
	require.NotZero(t, spareMeta(), "known again once this boot's patch replaced it")

	// a spare written to (its mtime moved), or another file at its name,
	// is copied over whole
	f, err := os.OpenFile(spare, os.O_WRONLY, 0)
	require.NoError(t, err)
	fi, err = f.Stat()
	require.NoError(t, err)
	_, err = f.WriteAt([]byte{'x'}, fi.Size()-3)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	patch("in4")
	requireFileBytes(t, manifest, cold("in4"))
	data, err := os.ReadFile(manifest)
	require.NoError(t, err)
	require.NoError(t, os.Remove(spare))
	require.NoError(t, os.WriteFile(spare, flipTail(data), 0o644))
	patch("in5")
	requireFileBytes(t, manifest, cold("in5"))

	// a patch that changes more than the metadata is copied, and its
	// spare is not known; the one after it copies again
	model := filepath.Join(opt.ProjectDir, "models", "extra", "uses_bound.sql")
	text, err := os.ReadFile(model)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(model, append(text, "\n-- edited\n"...), 0o644))
	writeKeepingStat(t, spare, flipTail)
	patch("in6")
	requireFileBytes(t, manifest, cold("in6"))
	require.Zero(t, spareMeta())
	writeKeepingStat(t, spare, flipTail)
	patch("in7")
	requireFileBytes(t, manifest, cold("in7"))
	require.NotZero(t, spareMeta())
	patch("in8")
	requireFileBytes(t, manifest, cold("in8"))
}

// TestPatchMetadataOverSpareSteps: compiles that change nothing but the
// invocation id, between edits and with the spare removed, replaced or
// written to between them, each equal a cold compile.
func TestPatchMetadataOverSpareSteps(t *testing.T) {
	project := "name: sp\nversion: \"1.0.0\"\n"
	var target string
	steps := []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          project,
			"models/a.sql":      "select 1 as id\n",
			"models/b.sql":      "select id from {{ ref('a') }}\n",
			"models/_props.yml": "version: 2\nmodels:\n  - name: b\n    description: bee\n",
		}},
		{name: "nothing", patched: true},
		{name: "nothing again", patched: true},
		{name: "and again", patched: true},
		{name: "a model's SQL", patched: true, files: map[string]string{"models/a.sql": "select 2 as id\n"}},
		{name: "nothing after it", patched: true},
		{name: "nothing, over the spare", patched: true},
		{name: "the spare removed", patched: true},
		{name: "nothing after that", patched: true},
		{name: "the spare replaced", patched: true},
		{name: "the spare written to", patched: true},
		{name: "a description", patched: true, files: map[string]string{
			"models/_props.yml": "version: 2\nmodels:\n  - name: b\n    description: the bee\n"}},
		{name: "nothing at last", patched: true},
		{name: "nothing, the end", patched: true},
	}
	runPatchStepsWith(t, steps, func(i int, opt *Options) {
		opt.InvocationID = fmt.Sprintf("inv-%04d", i) // as long at every step
		target = filepath.Join(opt.ProjectDir, "target")
		spare := filepath.Join(target, "manifest.json"+spareSuffix)
		switch steps[i].name {
		case "the spare removed":
			require.NoError(t, os.Remove(spare))
		case "the spare replaced":
			data, err := os.ReadFile(filepath.Join(target, "manifest.json"))
			require.NoError(t, err)
			data[len(data)-2] = ' '
			require.NoError(t, os.Remove(spare))
			require.NoError(t, os.WriteFile(spare, data, 0o644))
		case "the spare written to":
			f, err := os.OpenFile(spare, os.O_WRONLY, 0)
			require.NoError(t, err)
			fi, err := f.Stat()
			require.NoError(t, err)
			_, err = f.WriteAt([]byte{' '}, fi.Size()-2)
			require.NoError(t, err)
			require.NoError(t, f.Close())
		}
	})
}

func requireFileBytes(t *testing.T, file string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

// leasesHere tells whether the kernel grants write leases in the test's
// temporary directory (a spare is kept only then).
func leasesHere(t *testing.T) bool {
	f, err := os.Create(filepath.Join(t.TempDir(), "lease"))
	require.NoError(t, err)
	defer f.Close()
	return leaseGranted(f)
}
