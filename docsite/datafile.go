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
// site's code, martDocs.<fn>(<key>, JSON.parse('<payload>')), without the
// key when key < 0. Browsers run it when it is added as a <script>, also
// from file://, where fetch() of a local file is refused. The payload is
// JSON in a single-quoted string: V8 parses JSON text faster than the same
// object literal, and JSON's own quotes need no escaping there (only \
// and '). encoding/json escapes U+2028, U+2029 and control characters, and
// the file is never inlined into HTML, so "<" needs no escaping.
func dataFile(fn string, key int, payload any) ([]byte, error) {
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(payload); err != nil {
		return nil, fmt.Errorf("encode %s data: %w", fn, err)
	}
	text := bytes.TrimSuffix(js.Bytes(), []byte("\n"))
	buf := bytes.NewBuffer(make([]byte, 0, len(text)+len(text)/16+64))
	buf.WriteString("martDocs.")
	buf.WriteString(fn)
	buf.WriteByte('(')
	if key >= 0 {
		buf.WriteString(strconv.Itoa(key))
		buf.WriteByte(',')
	}
	buf.WriteString("JSON.parse('")
	last := 0
	for i, c := range text {
		if c == '\\' || c == '\'' {
			buf.Write(text[last:i])
			buf.WriteByte('\\')
			last = i
		}
	}
	buf.Write(text[last:])
	buf.WriteString("'));\n")
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
