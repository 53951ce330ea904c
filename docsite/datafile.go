package docsite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// dataFile renders a data file: a script that hands its payload to the
// site's code, martDocs.<fn>(<key>, <payload>) or martDocs.<fn>(<payload>)
// when key < 0. Browsers run it when it is added as a <script>, also from
// file://, where fetch() of a local file is refused. The payload is JSON,
// which is JavaScript; encoding/json escapes U+2028 and U+2029, and the
// file is never inlined into HTML, so "<" needs no escaping.
func dataFile(fn string, key int, payload any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("martDocs.")
	buf.WriteString(fn)
	buf.WriteByte('(')
	if key >= 0 {
		buf.WriteString(strconv.Itoa(key))
		buf.WriteByte(',')
	}
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(payload); err != nil {
		return nil, fmt.Errorf("encode %s data: %w", fn, err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	buf.WriteString(");\n")
	return buf.Bytes(), nil
}

// writer writes files under a directory and counts them. Safe for
// concurrent use.
type writer struct {
	dir   string
	mu    sync.Mutex
	files int
	bytes int64
}

func (w *writer) write(rel string, data []byte) error {
	p := filepath.Join(w.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	w.mu.Lock()
	w.files++
	w.bytes += int64(len(data))
	w.mu.Unlock()
	return nil
}
