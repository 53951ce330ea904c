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
// object literal, and JSON's own quotes need no escaping there (only \\
// and '). encoding/json escapes U+2028, U+2029 and control characters, and
// the file is never inlined into HTML, so "<" needs no escaping.
func dataFile(fn string, key int, payload any) ([]byte, error) {
	var out bytes.Buffer
	if err := appendDataFile(&out, new(bytes.Buffer), fn, key, payload); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// appendDataFile writes the data file to out, encoding through scratch.
func appendDataFile(out, scratch *bytes.Buffer, fn string, key int, payload any) error {
	enc := json.NewEncoder(scratch)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(payload); err != nil {
		return fmt.Errorf("encode %s data: %w", fn, err)
	}
	text := bytes.TrimSuffix(scratch.Bytes(), []byte("\n"))
	out.Grow(len(text) + len(text)/16 + 64)
	out.WriteString("martDocs.")
	out.WriteString(fn)
	out.WriteByte('(')
	if key >= 0 {
		out.WriteString(strconv.Itoa(key))
		out.WriteByte(',')
	}
	out.WriteString("JSON.parse('")
	last := 0
	for i, c := range text {
		if c == '\\' || c == '\'' {
			out.Write(text[last:i])
			out.WriteByte('\\')
			last = i
		}
	}
	out.Write(text[last:])
	out.WriteString("'));\n")
	return nil
}

// buffers are reused by the shard writers: a shard is a few hundred KB,
// and growing a fresh buffer for each was most of Generate's allocation.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeDataFile renders a data file (see dataFile) and writes it to rel.
func (w *writer) writeDataFile(rel, fn string, key int, payload any) error {
	out, scratch := buffers.Get().(*bytes.Buffer), buffers.Get().(*bytes.Buffer)
	defer func() {
		out.Reset()
		scratch.Reset()
		buffers.Put(out)
		buffers.Put(scratch)
	}()
	if err := appendDataFile(out, scratch, fn, key, payload); err != nil {
		return err
	}
	return w.write(rel, out.Bytes())
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
