package compiler

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestManifestEncoding: the parallel, streaming manifest writer produces
// exactly what encoding/json produces for the Manifest (compact, no HTML
// escaping), so adding a field to Manifest or Node cannot be forgotten.
func TestCompileManifestEncoding(t *testing.T) {
	t.Setenv("MART_E2E_COLOR", "blue")
	t.Setenv("MART_PROFILES_DIR", "")
	for _, project := range []string{"compile_features", "compile_dbt", "compile_select"} {
		t.Run(project, func(t *testing.T) {
			res, diags := Compile(Options{ProjectDir: filepath.Join("..", "testdata", project), InvocationID: "x"})
			require.False(t, diags.HasErrors(), "%v", diags)

			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(res.Manifest))

			var got bytes.Buffer
			w := bufio.NewWriter(&got)
			require.NoError(t, encodeManifest(w, res.Manifest))
			require.NoError(t, w.Flush())
			require.Equal(t, want.String(), got.String())

			file := filepath.Join(t.TempDir(), "manifest.json")
			require.NoError(t, writeManifest(file, res.Manifest))
			back, err := ReadManifest(file)
			require.NoError(t, err)
			require.Equal(t, ManifestVersion, back.Metadata.SchemaVersion)
			require.Equal(t, res.Manifest.AllIDs(), back.AllIDs())
		})
	}
}
