package compiler

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/internal/phase"
	"github.com/mart-dev/mart/warehouse"
)

// Patching a compile: after `mart compile` (every node, partial parsing
// on) wrote target/, target/partial_parse.patch keeps what the next
// compile needs to redo only what an edit of models' SQL changes: every
// input file and directory as it was (size, mtime, inode, checksum), the
// outputs as they were written (manifest.json, compiled files), and for
// each model whose SQL only it determines (patchable, below) the facts of
// its render: its config before rendering, what its ref() and source()
// calls saw, a hash of everything the render produced but its text, and
// the names its placeholders resolve to.
//
// The next `mart compile` (CompileByPatch) stats the inputs. When only
// patchable models' SQL files changed, and nothing the renders share did
// (mart binary, project settings and vars, target, env vars read,
// macros), it renders those models again and keeps the result only if
// the render produced the same config, refs, sources, macro calls,
// warnings and fingerprint as before: then no other node's output can
// differ (relation names, graph, tests and every other render depend on
// those, not on the text), and the compile's outputs are the previous
// ones with the models' raw_code, checksum and compiled_code replaced:
// their manifest.json entries are spliced in, their compiled files
// written, nothing else. Edits of macros and vars render the models that
// called or read them (macroFile, varUse); an edit of YAML that rewrites
// only models' descriptions and columns splices their entries
// (patchyaml.go), one of the tests it declares on a model makes them
// again (patchtests.go); an edit of a seed's CSV, its checksum
// (seedSplice); a model file added or removed, with its YAML entry or
// not, its entries (patchadd.go); a render that now refs other models or
// calls other macros, its place in the graph (patchreshape.go).
// Anything else (another added, removed or renamed file, another YAML edit, a
// mart.yml edit, a changed env var, a render whose config changed, a
// template error, target/ touched by anything else) compiles the whole
// project as usual, and that compile writes a new snapshot.
//
// A model is patchable when it is an enabled, non-ephemeral SQL model (or
// singular test, or analysis: patchableType) whose render the
// partial-parse cache keeps (no warehouse, graph, run_started_at...) or
// that is volatile (it reads run_started_at, invocation_id, modules, or
// var() or env_var() with a computed name, or queries the warehouse while
// it renders: not graph); one a unit test tests is patched while its
// refs and sources (the test's inputs) stay. Every patch
// renders the volatile ones again (EveryTime), as a whole compile does,
// and those that query the warehouse against it too (Warehouse,
// patchwarehouse.go). A snapshot is kept only when every other
// template's render is cached and nothing else calls a volatile macro: a
// render that could read another node's text rules the patch out for the
// whole project.

// PatchFile is the patch snapshot's name in the target directory.
const PatchFile = "partial_parse.patch"

const patchMagic = "mart patch snapshot 11\n" // 11: a CRC-32C ends it, not a sha256

// racyWindow: a file whose mtime is this close to when it was stat'ed may
// change again within the same clock tick without its stat changing: it
// is checked by content.
const racyWindow = int64(2 * time.Second)

// fileStat is one input file or directory, or an output file, as seen.
type fileStat struct {
	Path    string // input files: slash path from the project dir; directories and outputs: OS path
	Size    int64
	MTime   int64
	Ino     uint64
	At      int64  // when the stat was taken (unix ns)
	Sum     string // input files: sha256 of the content read (32 bytes, not hex)
	Kind    string // input files: models, macros, ...
	Proj    int    // input files: index in Project.projects()
	Root    string // input files: the path root it was found under
	Dir     bool   // a directory walked
	Missing bool   // a path root that was not there
}

func (s fileStat) same(o fileStat) bool {
	return s.Size == o.Size && s.MTime == o.MTime && s.Ino == o.Ino
}

func (s fileStat) racy() bool { return s.MTime >= s.At-racyWindow }

// statNamesByPath is statNames by full paths, one stat each.
func statNamesByPath(dir string, names []string, out []fileStat) (errs []error) {
	for i, name := range names {
		st, err := statOf(filepath.Join(dir, name))
		if err != nil {
			if errs == nil {
				errs = make([]error, len(names))
			}
			errs[i] = err
			continue
		}
		out[i] = st
	}
	return errs
}

func statOf(path string) (fileStat, error) {
	at := time.Now().UnixNano()
	fi, err := os.Stat(path)
	if err != nil {
		return fileStat{}, err
	}
	return fileStatOf(fi, at), nil
}

// statOfFile is statOf of an open file: the file it is, whatever its
// name names now.
func statOfFile(f *os.File) (fileStat, error) {
	at := time.Now().UnixNano()
	fi, err := f.Stat()
	if err != nil {
		return fileStat{}, err
	}
	return fileStatOf(fi, at), nil
}

// fileStatOf is the fileStat of a stat taken at at.
func fileStatOf(fi os.FileInfo, at int64) fileStat {
	return fileStat{Size: fi.Size(), MTime: fi.ModTime().UnixNano(), Ino: fileID(fi), At: at}
}

// inventory is what a compile that keeps a snapshot saw of its inputs.
type inventory struct {
	mu    sync.Mutex
	dirs  []fileStat
	roots []inventoryRoot
}

// inventoryRoot is a path root a compile walked: the directory, the kind
// of file it holds, and its project.
type inventoryRoot struct {
	dir, kind, root string
	proj            *Project
}

func (c *compilation) inventoryDir(path string) {
	if c.inv == nil {
		return
	}
	st, err := statOf(path)
	st.Path, st.Dir = path, true
	c.inv.mu.Lock()
	defer c.inv.mu.Unlock()
	if err != nil {
		c.inv.dirs = append(c.inv.dirs, fileStat{Path: path, Missing: true, Size: -1})
		return
	}
	c.inv.dirs = append(c.inv.dirs, st)
}

// inventoryRootFile records a path root that is no directory and that the
// compile does not read (its Lstat: neither Dir nor Missing).
func (c *compilation) inventoryRootFile(path string, fi os.FileInfo) {
	if c.inv == nil {
		return
	}
	st := fileStatOf(fi, time.Now().UnixNano())
	st.Path = path
	c.inv.mu.Lock()
	c.inv.dirs = append(c.inv.dirs, st)
	c.inv.mu.Unlock()
}

// inventoryRoot records a path root as the compile walks it.
func (c *compilation) inventoryRoot(dir, kind, root string, proj *Project) {
	if c.inv == nil {
		return
	}
	c.inv.mu.Lock()
	c.inv.roots = append(c.inv.roots, inventoryRoot{dir: dir, kind: kind, root: root, proj: proj})
	c.inv.mu.Unlock()
}

// rootTemplates are the root project's path roots, each as a file of its
// kind, root and project would be (Path: the root's directory): a file
// added where the snapshot has none of them to stand for its kind (the
// project's first singular test in an empty tests/, or one that
// appeared) takes its kind from its root's. A root that another root is,
// holds or is held by is left out: a file added there is of two kinds
// (and compiles whole).
func (inv *inventory) rootTemplates(root *Project) []fileStat {
	under := func(d, parent string) bool {
		return strings.HasPrefix(d, strings.TrimSuffix(parent, string(filepath.Separator))+string(filepath.Separator))
	}
	var out []fileStat
	for i, r := range inv.roots {
		if r.proj != root {
			continue
		}
		alone := true
		for j, o := range inv.roots {
			if j != i && (o.dir == r.dir || under(o.dir, r.dir) || under(r.dir, o.dir)) {
				alone = false
				break
			}
		}
		if alone {
			out = append(out, fileStat{Path: r.dir, Kind: r.kind, Root: r.root})
		}
	}
	return out
}

func (c *compilation) inventoryMissing(path string) {
	if c.inv == nil {
		return
	}
	c.inv.mu.Lock()
	c.inv.dirs = append(c.inv.dirs, fileStat{Path: path, Missing: true})
	c.inv.mu.Unlock()
}

// inventoryFile stats a project file before it is read: a change after
// the stat shows as a changed stat next time.
func (c *compilation) inventoryFile(f *projectFile) {
	if c.inv == nil {
		return
	}
	st, err := statOf(filepath.Join(c.project.Dir, f.rel))
	if err != nil {
		st = fileStat{Size: -1}
	}
	f.stat = st
}

// patchCapture is what a compile keeps of one model's render for the
// snapshot, taken while it renders.
type patchCapture struct {
	Key                               string // nodeRenderKey before rendering
	Config                            json.RawMessage
	Database, Schema, Alias, Relation string // before rendering
	Stubs                             []patchStub
	Facts                             string
	Names                             []string // what its placeholders resolve to
	CTEs                              []string // the ephemeral CTEs put in front (nil: none)
	// Templated: a YAML config: or meta: of it was templated (its
	// unrendered_config depends on which keys its config() sets:
	// reconfigured)
	Templated bool
}

// patchStub is what a render's ref() or source() call found.
type patchStub struct {
	Key                        string // "ref:x", "ref:x@v2", "source:s.t"
	ID, Database, Schema, Name string
	Missing                    bool
}

// appendJSON appends pc as the JSON object json.Marshal makes of it
// (field names as keys, nil lists as null), read back with json.Unmarshal:
// 10,000 models' captures take a third of the CPU reflection did. Config is
// typedJSON's output, valid and compact, and goes in as it is (null when
// empty); strings are escaped as in manifest.json, without the HTML escapes
// json.Marshal adds, which read back the same.
func (pc *patchCapture) appendJSON(b []byte) []byte {
	size := 128 + len(pc.Key) + len(pc.Config) + len(pc.Database) + len(pc.Schema) + len(pc.Alias) + len(pc.Relation) + len(pc.Facts)
	for _, s := range pc.Stubs {
		size += 80 + len(s.Key) + len(s.ID) + len(s.Database) + len(s.Schema) + len(s.Name)
	}
	for _, s := range pc.Names {
		size += 3 + len(s)
	}
	for _, s := range pc.CTEs {
		size += 3 + len(s)
	}
	b = slices.Grow(b, size+size/8) // room for a few escapes
	b = appendString(append(b, `{"Key":`...), pc.Key)
	if len(pc.Config) == 0 {
		b = append(b, `,"Config":null`...)
	} else {
		b = append(append(b, `,"Config":`...), pc.Config...)
	}
	b = appendString(append(b, `,"Database":`...), pc.Database)
	b = appendString(append(b, `,"Schema":`...), pc.Schema)
	b = appendString(append(b, `,"Alias":`...), pc.Alias)
	b = appendString(append(b, `,"Relation":`...), pc.Relation)
	if pc.Stubs == nil {
		b = append(b, `,"Stubs":null`...)
	} else {
		b = append(b, `,"Stubs":[`...)
		for i, s := range pc.Stubs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(append(b, `{"Key":`...), s.Key)
			b = appendString(append(b, `,"ID":`...), s.ID)
			b = appendString(append(b, `,"Database":`...), s.Database)
			b = appendString(append(b, `,"Schema":`...), s.Schema)
			b = appendString(append(b, `,"Name":`...), s.Name)
			b = strconv.AppendBool(append(b, `,"Missing":`...), s.Missing)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendString(append(b, `,"Facts":`...), pc.Facts)
	b = appendStrings(append(b, `,"Names":`...), pc.Names)
	b = appendStrings(append(b, `,"CTEs":`...), pc.CTEs)
	b = strconv.AppendBool(append(b, `,"Templated":`...), pc.Templated)
	return append(b, '}')
}

// capturePre records a model's (a singular test's, an analysis's) render
// inputs before it renders (nil when no snapshot is kept, or for another
// node).
// key is the node's renderKey.
func (c *compilation) capturePre(n *Node, key string) *patchCapture {
	if c.inv == nil || !patchableType(n) || key == "" {
		return nil
	}
	conf, ok := typedJSON(nil, map[string]any(n.Config))
	if !ok {
		return nil
	}
	return &patchCapture{Key: key, Config: conf, Database: n.Database, Schema: n.Schema, Alias: n.Alias, Relation: n.Relation,
		Templated: templatedLayers(n)}
}

// templatedLayers says one of a node's YAML config layers was templated.
func templatedLayers(n *Node) bool {
	for _, l := range n.yamlLayers {
		if len(l.raw) > 0 {
			return true
		}
	}
	return false
}

// capturePost completes a capture once the model rendered, while ref()
// targets still name what the render saw.
func (c *compilation) capturePost(n *Node, pc *patchCapture, st *renderState) {
	if pc == nil || st == nil {
		return
	}
	if st.needsWarehouse || n.RunTimeRender {
		// one a patch renders against the warehouse: the capture is of
		// its render as dbt parses it
		if c.pp == nil {
			return
		}
		c.pp.mu.Lock()
		ok := c.pp.warehouse[n.UniqueID]
		c.pp.mu.Unlock()
		if !ok {
			return
		}
	}
	facts, ok := renderFacts(st)
	if !ok {
		return
	}
	pc.Facts = facts
	pc.Stubs = c.stubsOf(st)
	if !n.Enabled() && c.sharesName(n) {
		return // the variants share an id: the capture is the enabled one's
	}
	c.mu.Lock()
	if c.captured == nil {
		c.captured = map[string]*patchCapture{}
	}
	c.captured[n.UniqueID] = pc
	c.mu.Unlock()
}

// stubsOf is what st's ref() and source() calls found, while they still
// name it.
func (c *compilation) stubsOf(st *renderState) []patchStub {
	var stubs []patchStub
	for _, key := range st.targets {
		s := patchStub{Key: key}
		switch {
		case key == "this":
			continue
		case strings.HasPrefix(key, "ref:"):
			if t := c.refTarget(strings.TrimPrefix(key, "ref:")); t != nil {
				s.ID, s.Database, s.Schema, s.Name = t.UniqueID, t.Database, t.Schema, t.Alias
			} else {
				s.Missing = true
			}
		case strings.HasPrefix(key, "source:"):
			if t := c.sources[strings.TrimPrefix(key, "source:")]; t != nil {
				s.ID, s.Database, s.Schema, s.Name = t.UniqueID, t.Database, t.Schema, t.Identifier
			} else {
				s.Missing = true
			}
		}
		stubs = append(stubs, s)
	}
	return stubs
}

// addStubs makes ref() and source() find what stubs say a render found.
func (c *compilation) addStubs(stubs []patchStub) {
	for _, s := range stubs {
		if s.Missing {
			continue
		}
		stub := &Node{UniqueID: s.ID, Database: s.Database, Schema: s.Schema, Alias: s.Name, Identifier: s.Name}
		switch {
		case strings.HasPrefix(s.Key, "ref:"):
			name, version, versioned := strings.Cut(strings.TrimPrefix(s.Key, "ref:"), "@v")
			if versioned {
				if c.versions == nil {
					c.versions = map[string]map[string]*Node{}
				}
				if c.versions[name] == nil {
					c.versions[name] = map[string]*Node{}
				}
				c.versions[name][version] = stub
			} else {
				c.byName[name] = stub
			}
		case strings.HasPrefix(s.Key, "source:"):
			c.sources[strings.TrimPrefix(s.Key, "source:")] = stub
		}
	}
}

// renderFacts hashes what a render produced besides its text, in three
// parts of 32, 32 and 16 hex digits: its config (with each value's type),
// warnings and whether it queried the warehouse; its graph: refs, sources,
// targets and macros called; and where config() set each key. A render
// whose config parts are as they were changed the graph alone
// (patchreshape.go); one whose config() calls alone moved (a line added
// above them) is patched as a text edit when the compile said nothing of
// the node: those places are only where its config warnings point
// (movedConfigCalls).
func renderFacts(st *renderState) (string, bool) {
	b, ok := typedJSON(nil, map[string]any(st.config))
	if !ok {
		return "", false
	}
	// positions too: config checks warn at the config() call; what
	// config() set with its type
	set := make(map[string]any, len(st.configAt))
	for k, call := range st.configAt {
		set[k] = call.Set
	}
	setJSON, ok := typedJSON(nil, set)
	if !ok {
		return "", false
	}
	// the rest length-prefixed, without reflection (json.Marshal of it
	// was a fifth of what keeping a patch snapshot adds to a render)
	rest := make([]byte, 0, 256)
	if st.needsWarehouse {
		rest = append(rest, 1)
	} else {
		rest = append(rest, 0)
	}
	rest = binary.AppendUvarint(rest, uint64(len(st.configAt)))
	keys := sortedKeys(st.configAt)
	for _, k := range keys {
		rest = appendStr(rest, k)
	}
	if len(st.warnings) > 0 {
		w, err := json.Marshal(st.warnings)
		if err != nil {
			return "", false
		}
		rest = appendStr(rest, string(w))
	}
	h := sha256.New()
	h.Write(b)
	h.Write([]byte{0})
	h.Write(rest)
	h.Write([]byte{0})
	h.Write(setJSON)
	var sums [64]byte
	h.Sum(sums[:0])
	var at []byte
	for _, k := range keys {
		at = appendPos(at, st.configAt[k].At)
	}
	places := sha256.Sum256(at)
	// the graph: errors point at the ref() call, but where each one is
	// called is not a fact (an edit that moves one, a line added above
	// it, is patched, and its render says where)
	rest = binary.AppendUvarint(rest[:0], uint64(len(st.refs)))
	for _, r := range st.refs {
		rest = appendStr(appendStr(appendStr(rest, r.Package), r.Name), r.Version)
	}
	rest = binary.AppendUvarint(rest, uint64(len(st.sources)))
	for _, src := range st.sources {
		rest = appendStrs(rest, src)
	}
	rest = appendStrs(appendStrs(rest, st.targets), st.macros)
	rest = binary.AppendUvarint(rest, uint64(len(st.callPos)))
	for _, p := range st.callPos {
		rest = appendStr(rest, p.key)
	}
	graph := sha256.Sum256(rest)
	copy(sums[16:], graph[:16])
	copy(sums[32:], places[:8])
	return hex.EncodeToString(sums[:40]), true
}

// sameConfigFacts says two renderFacts have the same config parts: the
// config, and where config() set it.
func sameConfigFacts(a, b string) bool {
	return len(a) == 80 && len(b) == 80 && a[:32] == b[:32] && a[64:] == b[64:]
}

// movedConfigCalls says two renderFacts differ only in where config() set
// the config (the same config, graph and warnings).
func movedConfigCalls(a, b string) bool {
	return len(a) == 80 && len(b) == 80 && a[:64] == b[:64] && a[64:] != b[64:]
}

// appendStrs appends a length-prefixed list of length-prefixed strings.
func appendStrs(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendStr(b, s)
	}
	return b
}

// appendPos appends a template position.
func appendPos(b []byte, p jinja.Pos) []byte {
	b = appendStr(b, p.File)
	return binary.AppendVarint(binary.AppendVarint(b, int64(p.Line)), int64(p.Col))
}

// typedJSON encodes a config value with its Go type, so a decoded value is
// the one encoded (JSON alone makes every number a float64): each value is
// [type, value]. Only cacheableValue's types are encoded.
func typedJSON(b []byte, v any) ([]byte, bool) { return typedEncode(b, v, false) }

// typedAny is typedJSON for any value YAML or --vars can hold: nil lists
// and maps, maps with keys that are not strings, and any other type by its
// Go syntax. It hashes; fromTypedJSON does not read it.
func typedAny(b []byte, v any) ([]byte, bool) { return typedEncode(b, v, true) }

func typedEncode(b []byte, v any, loose bool) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), true
	case string:
		if !utf8.ValidString(x) { // JSON would give it back with U+FFFD
			if !loose {
				return b, false
			}
			return strconv.AppendQuote(append(b, `["q",`...), x), true // hashed only: each string its own text
		}
		b = append(b, `["s",`...)
		return append(appendString(b, x), ']'), true
	case bool:
		if x {
			return append(b, `["b",true]`...), true
		}
		return append(b, `["b",false]`...), true
	case int:
		return fmt.Appendf(b, `["i","%d"]`, x), true
	case int64:
		return fmt.Appendf(b, `["I","%d"]`, x), true
	case float64:
		return fmt.Appendf(b, `["f","%v"]`, strconv.FormatFloat(x, 'g', -1, 64)), true
	case time.Time: // a YAML date or timestamp: UTC, as the YAML parser makes it
		if x.Location() != time.UTC || x != x.Round(0) {
			return b, false
		}
		return fmt.Appendf(b, `["t","%s"]`, x.Format(time.RFC3339Nano)), true
	case []string:
		if x == nil && !loose {
			return b, false
		}
		b = append(b, `["S",`...)
		return append(appendStrings(b, x), ']'), true
	case []any:
		if x == nil && !loose {
			return b, false
		}
		b = append(b, `["L",[`...)
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = typedEncode(b, e, loose); !ok {
				return b, false
			}
		}
		return append(b, "]]"...), true
	case map[string]any:
		if x == nil && !loose {
			return b, false
		}
		return typedMap(b, "M", x, loose)
	case map[any]any:
		if !loose {
			return b, false
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprintf("%T:%#v", k, k)] = e
		}
		return typedMap(b, "K", m, loose)
	}
	if !loose {
		return b, false
	}
	return append(appendString(append(b, `["G",`...), fmt.Sprintf("%T:%#v", v, v)), ']'), true
}

// typedMap encodes a map's entries, keys sorted, as [tag, {key: value}].
func typedMap(b []byte, tag string, m map[string]any, loose bool) ([]byte, bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, `["`+tag+`",{`...)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		var ok bool
		if b, ok = typedEncode(b, m[k], loose); !ok {
			return b, false
		}
	}
	return append(b, "}]"...), true
}

// fromTypedJSON decodes typedJSON's encoding.
func fromTypedJSON(data []byte) (any, error) {
	var raw any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		return nil, err
	}
	return fromTyped(raw)
}

func fromTyped(raw any) (any, error) {
	if raw == nil {
		return nil, nil
	}
	pair, ok := raw.([]any)
	if !ok || len(pair) != 2 {
		return nil, fmt.Errorf("not a typed value: %v", raw)
	}
	tag, _ := pair[0].(string)
	switch tag {
	case "s":
		s, ok := pair[1].(string)
		if !ok {
			return nil, fmt.Errorf("bad string")
		}
		return s, nil
	case "b":
		v, ok := pair[1].(bool)
		if !ok {
			return nil, fmt.Errorf("bad bool")
		}
		return v, nil
	case "i", "I", "f":
		s, _ := pair[1].(string)
		switch tag {
		case "i":
			var v int
			_, err := fmt.Sscan(s, &v)
			return v, err
		case "I":
			var v int64
			_, err := fmt.Sscan(s, &v)
			return v, err
		}
		return strconv.ParseFloat(s, 64)
	case "t":
		s, _ := pair[1].(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		return t.UTC(), err
	case "S":
		l, ok := pair[1].([]any)
		if !ok {
			return nil, fmt.Errorf("bad strings")
		}
		out := make([]string, len(l))
		for i, e := range l {
			if out[i], ok = e.(string); !ok {
				return nil, fmt.Errorf("bad strings")
			}
		}
		return out, nil
	case "L":
		l, ok := pair[1].([]any)
		if !ok {
			return nil, fmt.Errorf("bad list")
		}
		out := make([]any, len(l))
		for i, e := range l {
			var err error
			if out[i], err = fromTyped(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "M":
		m, ok := pair[1].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("bad map")
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			var err error
			if out[k], err = fromTyped(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown type tag %q", tag)
}

// patchSnapshot is the snapshot file's content: its head in gob, the
// rest in patchfile.go's binary form (gob takes 100 ms on 10,000 models).
type patchSnapshot struct {
	patchHead
	Files    []fileStat // input files
	Dirs     []fileStat // directories walked and roots missing
	Compiled []fileStat // the directories of the compiled files, with their sums (dirSum)
	Nodes    []patchNode
	// Entries is where each node of the index (patchload.go) is in
	// manifest.json, in the index's order; nil without an index
	Entries [][2]int64

	self      fileStat // the snapshot file's, as read or last written (inPlace)
	indexBlob [][]byte // the index in pieces, not yet written to the blobs file
	// propTexts are properties files' texts not yet written to the blobs
	// file (Props), by path
	propTexts map[string][]byte
	// disabledBlobs are disabled models' captures not yet written to the
	// blobs file (DisabledModels), by place
	disabledBlobs map[int][]byte
}

type patchHead struct {
	Build, Project, Global, Key string
	Boot                        string      // the machine's boot it was written in (bootID)
	Env                         [][2]string // env var name, envFingerprint
	Diags                       Diagnostics
	Counts                      map[string]int
	Selected                    int
	Manifest                    fileStat
	ManifestSegs                []crcSeg             // manifest.json's content (outputsum.go)
	MetaEnd                     int64                // where manifest.json's metadata ends
	Macros                      [2]int64             // where manifest.json's macros object is
	MacroFiles                  map[string]macroFile // by path: who calls the macros of each macro file
	// SpareMeta is manifest.json's spare (spare.go) as stat'ed when it was
	// replaced, when it differs from manifest.json in the metadata alone
	// (the patch that replaced it changed only that, to a text as long):
	// a patch that changes only the metadata again writes that over it
	// instead of copying the whole file (spliceFile). Zero when not so.
	SpareMeta fileStat
	// GlobalParts, KeyOptions: what Global and Key hash, in parts: what
	// changed when a patch finds another (whyGlobal, whyKey)
	GlobalParts globalParts
	KeyOptions  keyOptions
	// Misses: the macro names lookups looked for and did not find
	// (jinja.Engine.Misses), in this compile and every patch since: a
	// macro added under one of them compiles the whole project
	Misses []string
	// Found: the macros lookups found other than in a call
	// (jinja.Engine.Found), kept as Misses are: removing one compiles the
	// whole project (macroRemoved)
	Found []string
	// UnitTested: the ids of the patchable models unit tests test, sorted
	UnitTested []string
	// Disabled: the ids manifest.json's disabled object holds, sorted
	// (no patch changes it): their entries there are paths alone, which
	// no description edit changes
	Disabled []string
	// DisabledModels: the disabled models a patch may render again, by id
	// (patchdisabled.go)
	DisabledModels []disabledModel
	// DisabledReads: what every disabled node's ref() and source() calls
	// name ("ref:x", "source:s.t"), sorted: a patch that adds, removes or
	// makes again such a node compiles whole (patchdisabled.go)
	DisabledReads []string
	// DisabledReadsFixed: the part of DisabledReads the disabled nodes
	// that are not DisabledModels read (no patch renders them); each of
	// DisabledModels keeps its own (Reads)
	DisabledReadsFixed []string
	// EphUsers: by id, each patchable ephemeral model's users, the nodes
	// (indexes in Nodes) that put its CTE in front of their SQL
	EphUsers map[string][]int
	// EphTests: by id, the generic tests that put a patchable ephemeral
	// model's CTE in front of their SQL: a text edit of it replaces the
	// CTE in their entries (ephTestSplices)
	EphTests map[string][]string
	// EphPre: the other ephemeral models (a test or a node that is not
	// patchable reads them), by id: their database, schema, alias and
	// relation before they rendered, as a render that refs one saw them
	// (entryDecoder.earlyNode); no patch changes them (an edit of one
	// compiles whole)
	EphPre map[string][4]string
	// Roots: the root project's path roots, each as a file of its kind
	// would be, its Path the root's directory (rootTemplates): what a
	// file added where no file of the snapshot stands for its kind is
	// (addedFile.like < 0)
	Roots     []fileStat
	BlobsID   string            // starts the blobs file (PatchBlobsFile) it goes with
	LoadDiags []string          // what loading the project and target said (packages.yml...)
	Index     blobRef           // the node index (patchload.go) in the blobs file; Len 0: none
	Vars      map[string]string // each var's value, hashed (varSums)
	// ModelConfigs: the root project file's models: entry as the outputs
	// were made with it (Project.configTexts), which the Key leaves out:
	// an edit of it makes again the models whose folder config it
	// changed (patchfolder.go)
	ModelConfigs string
	// SeedConfigs, SnapshotConfigs: its seeds: and snapshots: entries,
	// the same (patchseeds.go, patchsnapshots.go)
	SeedConfigs, SnapshotConfigs string
	// SourceConfigs: its sources: entry, the same (patchsources.go)
	SourceConfigs string
	// YAMLSnapshots: the fqn of each snapshot a properties file makes
	// (relation:), enabled or not, whose folder config an edit of the
	// snapshots: entry may change (patchsnapshots.go)
	YAMLSnapshots [][]string
	VarUse        map[string]varUse // who reads each var
	// Props is the text of each properties file of the project in the
	// blobs file, by path: what a YAML edit is compared with (patchyaml.go)
	Props map[string]blobRef
	// LineShifts: by properties file, how the description edits patched
	// since the compile moved its lines (the index holds the compile's)
	LineShifts map[string][]lineShift
	// DocFiles: the names of the docs blocks each .md file of the project
	// defines, by path: an edit of one is patched (patchdocs.go); nil
	// when two files define a name or a description that may read one is
	// in a file whose text the snapshot does not keep (a package's)
	DocFiles map[string][]string
	// DocsKnown: DocFiles holds every .md file of the project (none when
	// it is nil): a .md file added is patched as an edit of one that
	// defined no block (session 33; before, it compiled whole)
	DocsKnown bool
	// EveryTime: the volatile models (indexes in Nodes), which every patch
	// renders again (their output may differ with the same inputs)
	EveryTime []int
	// Warehouse: those of EveryTime that query the warehouse while they
	// render (RunTimeRender): every patch renders them against it, as
	// `mart compile` does after compiling
	Warehouse []int
	// WarehouseTests: the generic tests that query the warehouse while
	// they render, by id, which every patch renders against it too
	// (patchwarehouse.go)
	WarehouseTests []patchTest
	// Partial: a run of a selection kept the snapshot, and target/compiled
	// holds the compiled files of what it ran only; `mart compile` then
	// compiles the whole project (Options.PatchForRun)
	Partial bool
	// Relations: the hashes of the relations the nodes build (sorted;
	// relationHash), which a model a patch adds must not build
	// (patchadd.go)
	Relations []uint64
	// IndexAdds: the nodes patches added since the node index was
	// written, after its nodes (their Entries follow the index's)
	IndexAdds []indexAdd
	// IndexDrops: the places in the node index (its nodes, then IndexAdds)
	// of the models patches removed
	IndexDrops []int
	// IndexDeps: the parents of the models whose refs patches changed
	// (patchreshape.go), by their places in the node index
	IndexDeps map[int][]string
}

// macroFile is what an edit of a macro file touches: the patchable models
// whose renders called one of its macros (indexes in Nodes), whether
// generic tests did (Tests: an edit makes those that called a changed
// macro again, found by their manifest.json entries: patchtestmacros.go),
// or why no edit of it can be patched (Blocked: a naming macro a patch's
// compile reached calls one, watchNaming). Each of its macros may be
// blocked on its own (macroUse.Blocked): an edit that leaves such a
// macro's text and line as they were is patched.
type macroFile struct {
	Macros  map[string]macroUse // by qualified name
	Tests   bool
	Blocked string
}

// blocked says why no change of the file can be patched, or why the
// first of its macros that is blocked is ("" when none is): for a file
// that is gone.
func (mf macroFile) blocked() string {
	if mf.Blocked != "" {
		return mf.Blocked
	}
	for _, name := range sortedKeys(mf.Macros) {
		if why := mf.Macros[name].Blocked; why != "" {
			return why
		}
	}
	return ""
}

// macroUse is one macro as the snapshot's compile saw it, and the
// patchable models whose renders called it (indexes in Nodes).
type macroUse struct {
	Line     int
	Checksum string
	Callers  []int
	Disabled []int // the disabled models that called it (places in DisabledModels)
	// Blocked says why a change of this macro (its text, its line, its
	// removal) is not patched: a node that is not patchable called it
	// (a block of a snapshot file of several, a variant of a shared
	// name), or it is a naming macro, or one a naming macro called
	// (relation names would change). A render that did not call it is
	// not changed by it, as a patchable caller's is not.
	Blocked string
}

// patchNode is a patchable model: its file, where its entry is in
// manifest.json, and its capture, as JSON decoded only when the model
// changed.
type patchNode struct {
	ID, Path string
	From, To int64
	Off, Len int64  // its blob in the blobs file
	Crc      uint32 // the blob's CRC-32C
	Blob     []byte // a blob not yet written there
	// capture, when set, is the blob not yet written, as its capture:
	// encoded when written (10,000 blobs are 10 MB at a compile's peak)
	capture *patchCapture
}

// blob is a node's blob not yet written, nil when it is written.
func (n *patchNode) blob(buf []byte) []byte {
	if n.Blob != nil {
		return n.Blob
	}
	if n.capture != nil {
		return n.capture.appendJSON(buf[:0])
	}
	return nil
}

// pendingPatch is a compile's snapshot, made while target/ is written and
// kept by KeepPatch once it is.
type pendingPatch struct {
	ready   chan struct{}
	snap    *patchSnapshot
	why     string           // why there is none
	offsets *manifestOffsets // set when manifest.json is written
	// the blobs file is written ahead, beside target/'s other files, once
	// they are being written (start: StartWriteTarget, or KeepPatch);
	// written is closed when it ended, with its name (writeBlobsAhead) or
	// why it failed
	start     chan struct{}
	startOnce sync.Once
	written   chan struct{}
	blobsTmp  string
	blobsErr  error
	// drop ends the wait for start (DropPatch); settled is set once
	// KeepPatch or DropPatch ran
	drop    chan struct{}
	settled bool
}

// writing says target/ is being written: the snapshot's blobs file may
// be written beside it now.
func (pp *pendingPatch) writing() { pp.startOnce.Do(func() { close(pp.start) }) }

// keyOptions are the options patchKey hashes.
type keyOptions struct {
	FullRefresh, Empty      bool
	ProfilesDir, TargetPath string
	Known                   bool // (a snapshot of before they were kept has none)
}

func keyOptionsOf(opt Options) keyOptions {
	return keyOptions{opt.FullRefresh, opt.Empty, opt.ProfilesDir, opt.TargetPath, true}
}

// whyKey says what changed when a patch's key differs from its
// snapshot's, made with the options was, for a user (--debug).
func whyKey(was, now keyOptions) string {
	switch {
	case !was.Known:
	case was.Empty != now.Empty: // (not --full-refresh: a patch follows it, changedFullRefresh)
		return fmt.Sprintf("--empty changed (%v, then %v)", was.Empty, now.Empty)
	case was.ProfilesDir != now.ProfilesDir:
		return fmt.Sprintf("--profiles-dir changed (%q, then %q)", was.ProfilesDir, now.ProfilesDir)
	case was.TargetPath != now.TargetPath:
		return fmt.Sprintf("--target-path changed (%q, then %q)", was.TargetPath, now.TargetPath)
	default:
		return "the project file, or a package's, changed beyond its vars, folder configs and hooks"
	}
	return "the project file or the options changed"
}

// patchKey hashes the compile options and the project files of the
// project and its packages as written; "" when it cannot. The vars are
// the snapshot's Vars. The target is not the --target given but the one
// it resolves to, which globalParseKey hashes: --target dev, when dev is
// the profile's default, patches what a compile without it left (found
// by review).
func patchKey(opt Options, proj *Project, whole bool) string {
	var files []string
	for _, p := range proj.projects() {
		if whole {
			files = append(files, p.Dir, p.wholeSum)
		} else {
			files = append(files, p.Dir, p.fileSum)
		}
	}
	b, err := json.Marshal([]any{opt.FullRefresh, opt.ProfilesDir, files, opt.Empty, opt.TargetPath})
	if err != nil {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// namesProjectFile tells whether a diagnostic of the compile, or of
// loading the project, is about a project file (mart.yml, a package's
// dbt_project.yml): its lines may not move in a patch then.
func (c *compilation) namesProjectFile(loadDiags Diagnostics) bool {
	for _, d := range append(loadDiags, c.diags...) {
		for _, p := range c.project.projects() {
			if d.File == p.File {
				return true
			}
		}
	}
	return false
}

// projectVarSums hashes each var as every project's nodes see it: the
// root project's (its vars and --vars) and each package's (packageVars:
// its own, the root's, the root's block for it, --vars), with its type.
// A var whose value changes in any of those views changed: every node
// that reads it renders again, in the root project or a package (a
// package's nodes reading a var the root set used to compile the whole
// project, whatever the var). False when one cannot be hashed.
func projectVarSums(proj *Project) (map[string]string, bool) {
	views := []map[string]any{proj.Vars}
	for _, pkg := range proj.Packages {
		views = append(views, proj.packageVars(pkg))
	}
	names := map[string]bool{}
	for _, v := range views {
		for k := range v {
			names[k] = true
		}
	}
	sums := make(map[string]string, len(names))
	var b []byte
	for name := range names {
		b = b[:0]
		for _, view := range views {
			v, set := view[name]
			if !set {
				b = append(b, 0)
				continue
			}
			b = append(b, 1)
			var ok bool
			if b, ok = typedAny(b, v); !ok {
				return nil, false
			}
		}
		h := sha256.Sum256(b)
		sums[name] = hex.EncodeToString(h[:])
	}
	return sums, true
}

// varUse is who reads a var: the patchable models whose renders may
// (indexes in Nodes), or why a change of it cannot be patched.
type varUse struct {
	Callers  []int
	Disabled []int // the disabled models that may read it (places in DisabledModels)
	// Tests: the generic tests of the root project's YAML whose renders
	// may read it (their arguments, where: or macros), by unique id: a
	// change makes each one's entry's tests again (varTestEdits). An id
	// a later edit removed is passed over.
	Tests   []string
	Blocked string
}

// varUses says, for each var a render or anything else read, who did
// (varUse). Renders' reads are their Fingerprint's: their text's and
// their macros' var('...') calls (a computed name rules the snapshot out:
// volatileText); the rest was recorded as it was read (varRead).
func (c *compilation) varUses(states []idState, patchable, disabled map[string]int) map[string]varUse {
	out := map[string]varUse{}
	// the names each render reads, in parallel (30,000 texts scanned)
	reads := make([][]string, len(states))
	parallel(len(states), func(i int) { reads[i] = c.renderReads(states[i].st) })
	for k, s := range states {
		names, id := reads[k], s.id
		if len(names) == 0 {
			continue
		}
		i, ok := patchable[id]
		di, isDisabled := disabled[id]
		test := !ok && !isDisabled && remakeableTest(s.st.node, c.project.Name)
		for _, v := range names {
			u := out[v]
			switch {
			case ok:
				u.Callers = append(u.Callers, i)
			case isDisabled:
				u.Disabled = append(u.Disabled, di)
			case test:
				u.Tests = append(u.Tests, id)
			case u.Blocked == "":
				u.Blocked = id + " reads it"
			}
			out[v] = u
		}
	}
	varRead.Range(func(k, _ any) bool {
		u := out[k.(string)]
		u.Blocked = readOutsideRenders
		out[k.(string)] = u
		return true
	})
	// an env var read outside the renders, or by a render none of them
	// names it in (none should: a node's reads are its text's and its
	// macros')
	envRead.Range(func(k, _ any) bool {
		key := envKey + k.(string)
		_, outside := envReadOutside.Load(k)
		if u, ok := out[key]; outside || !ok {
			u.Blocked = readOutsideRenders
			out[key] = u
		}
		return true
	})
	for v, u := range out {
		if u.Blocked != "" {
			u.Callers, u.Disabled, u.Tests = nil, nil, nil
			out[v] = u
		}
	}
	return out
}

// envRead holds the names of the env vars env_var() read in this process;
// envReadOutside those it read outside a node's render (YAML, project and
// profile files, naming macros), as varRead holds var()'s: a change of
// such an env var compiles the whole project instead of patching it.
var envRead, envReadOutside sync.Map

// envKey starts the name of an env var among VarUse's keys (no var's
// name starts with a NUL): who reads an env var is kept as who reads a
// var, and moves with the nodes as theirs does (envKeys).
const envKey = "\x00env:"

// envKeys are env var names as VarUse keys them, sorted as names are.
func envKeys(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = envKey + n
	}
	return out
}

// watchEnv makes the env vars the snapshot checks (Env) those this
// process read, those named, and every one VarUse keeps readers of, read
// in this process or not: a render taken from the render cache reads
// none, and a disabled model has no Fingerprint (one enabled by an env
// var went unwatched: review 45b).
func (snap *patchSnapshot) watchEnv(names []string) {
	for key := range snap.VarUse {
		if name, ok := strings.CutPrefix(key, envKey); ok {
			names = append(names, name)
		}
	}
	snap.Env = envSnapshot(names)
}

// envSnapshot is every env var this process read, with its fingerprint.
func envSnapshot(extra []string) [][2]string {
	names := map[string]bool{}
	envRead.Range(func(k, _ any) bool { names[k.(string)] = true; return true })
	for _, n := range extra {
		names[n] = true
	}
	out := make([][2]string, 0, len(names))
	for _, n := range sortedKeys(names) {
		out = append(out, [2]string{n, envFingerprint(n)})
	}
	return out
}

// pendingPatchSnapshot starts making the snapshot of a compile that just
// succeeded, when one may be kept, in the background: the compile's
// outputs are written meanwhile (KeepPatch waits for it). Nothing it reads
// changes after the compile: a node that renders at run time, which a run
// renders again, means no snapshot, and it stops at the first.
// loadDiags are what loading the project and the target said.
func (c *compilation) pendingPatchSnapshot(files []*projectFile, m *Manifest, loadDiags Diagnostics) *pendingPatch {
	if c.inv == nil {
		return nil
	}
	pp := &pendingPatch{ready: make(chan struct{}), start: make(chan struct{}), written: make(chan struct{}), drop: make(chan struct{})}
	file := filepath.Join(c.project.targetDir(), PatchFile)
	go func() {
		pp.snap, pp.why = c.patchSnapshot(files, m, loadDiags)
		close(pp.ready)
		defer close(pp.written)
		if pp.snap == nil {
			return
		}
		// the blobs file (the renders' captures, the properties files'
		// texts, the index: 10,000 models' are 30 MB) is written while
		// target/'s other files are, not after them: only the head needs
		// what writing those tells. It waits for them to start (a command
		// that fails before writes nothing of it) and is put in place by
		// KeepPatch (one that fails after leaves the snapshot in place).
		// A command that does not keep it drops it (DropPatch).
		select {
		case <-pp.start:
		case <-pp.drop:
			return
		}
		pp.blobsTmp, pp.blobsErr = writeBlobsAhead(file, pp.snap)
		phase.Mark("patch blobs")
	}()
	return pp
}

// patchableType: a model, a singular test or an analysis is a template of
// its own whose render alone makes its entry and compiled file; a
// snapshot's block, a generic test's call are not.
// A test whose alias is cut ends it with its checksum's start
// (testAliasCut): an edit renames its relation, which a patch keeps.
func patchableType(n *Node) bool {
	return n.ResourceType == TypeModel || n.ResourceType == TypeAnalysis || n.ResourceType == TypeSnapshot ||
		n.ResourceType == TypeTest && n.TestType == "singular" && n.testCall == nil && !testAliasCut(n)
}

// patchSnapshot makes the snapshot of a compile, or says why there is none.
func (c *compilation) patchSnapshot(files []*projectFile, m *Manifest, loadDiags Diagnostics) (*patchSnapshot, string) {
	if c.pp == nil || c.pp.global == "" {
		return nil, "no partial parsing"
	}
	// every template's render cached, or rendered again by every patch (a
	// volatile model); no volatile macro called anywhere else
	everyTime := c.pp.everyTime
	var warehouseTests []patchTest
	for _, n := range c.nodes {
		if n.RunTimeRender && !c.pp.warehouse[n.UniqueID] {
			t, why := c.warehouseTest(n)
			if why != "" {
				return nil, why
			}
			warehouseTests = append(warehouseTests, t)
		}
		if n.testCall == nil && (n.ResourceType == TypeModel || n.ResourceType == TypeSnapshot || n.ResourceType == TypeTest || n.ResourceType == TypeAnalysis) {
			// nodes that share a name are never cached nor patchable (a
			// patch knows a node by its unique id): each render must be one
			// that could be cached, not volatile (keepRender)
			if c.sharesName(n) {
				if !c.pp.variantsKnown[variantID(n)] {
					return nil, variantID(n) + "'s render could not be cached"
				}
			} else if _, ok := c.pp.entries[n.UniqueID]; !ok && !everyTime[n.UniqueID] {
				return nil, n.UniqueID + "'s render is not cached"
			}
		}
	}
	volatile := false // (most projects call no volatile macro: no need to look)
	for _, f := range c.macroFacts {
		volatile = volatile || f.volatile
	}
	for id, st := range c.states {
		if !volatile {
			break
		}
		if everyTime[id] {
			continue
		}
		for _, name := range st.macros {
			if c.macroFacts[name].volatile {
				return nil, "macro " + name + " is volatile"
			}
		}
	}
	unitTested := map[string]bool{}
	for _, n := range c.nodes {
		if n.UnitTest != nil {
			unitTested[n.UnitTest.Model] = true
		}
	}
	for _, n := range m.UnitTests {
		if n.UnitTest != nil {
			unitTested[n.UnitTest.Model] = true
		}
	}
	byPath := map[string]int{}
	for _, n := range c.nodes {
		byPath[n.Path]++
	}
	type cand struct {
		n  *Node
		pc *patchCapture
	}
	var cands []cand
	for _, n := range c.nodes {
		if !patchableType(n) || n.CompiledCode == "" || !strings.HasSuffix(n.Path, ".sql") { // (the cheap tests first)
			continue
		}
		pc := c.captured[n.UniqueID]
		// (the blocks of a snapshot file of several share its path: below)
		if pc == nil || pc.Facts == "" || byPath[n.Path] != 1 && n.blockLine == 0 || !n.Enabled() || c.sharesName(n) && !c.patchableVariant(n, unitTested) {
			continue
		}
		eph := n.Materialized() == "ephemeral"
		if eph && (n.ResourceType != TypeModel || everyTime[n.UniqueID]) || m.Nodes[n.UniqueID] != n {
			continue
		}
		st := c.states[n.UniqueID]
		if st == nil {
			continue
		}
		names, ephemerals, _ := c.targetNames(n, st, nil)
		pc.Names = names
		if len(ephemerals) > 0 && !eph { // an ephemeral model's SQL has no CTEs of its own (finalizeWith)
			pc.CTEs = c.ephemeralCTEs(ephemerals, nil)
		}
		cands = append(cands, cand{n, pc})
		if c.sharesName(n) {
			// the enabled variant's reads are a patchable model's (its
			// variants' stay blocked: sortedStates)
			delete(c.variantStates, variantID(n))
		}
	}
	// the blocks of a snapshot file of several are patchable when all of
	// them are: an edit of the file renders each again (each one's entry
	// has the file's checksum)
	blocksIn := map[string]int{}
	for _, cd := range cands {
		if cd.n.blockLine > 0 {
			blocksIn[cd.n.Path]++
		}
	}
	if len(blocksIn) > 0 {
		cands = slices.DeleteFunc(cands, func(cd cand) bool { return cd.n.blockLine > 0 && blocksIn[cd.n.Path] != byPath[cd.n.Path] })
	}
	// an ephemeral model is patchable when only patchable nodes and
	// generic tests put its CTE in front of their SQL: a text edit of it
	// rewrites theirs (EphUsers, EphTests); any other node that reads it
	// (a test that renders at run time, a unit test) keeps it (and the
	// ephemeral models it reads) out
	var ephUsers map[string][]int
	var ephTests map[string][]string
	if slices.ContainsFunc(cands, func(cd cand) bool { return cd.n.Materialized() == "ephemeral" }) {
		isCand := make(map[string]bool, len(cands))
		for _, cd := range cands {
			isCand[cd.n.UniqueID] = true
		}
		blocked := map[string]bool{}
		var block func(id string)
		block = func(id string) {
			e := m.Nodes[id]
			if blocked[id] || e == nil || e.Materialized() != "ephemeral" {
				return
			}
			blocked[id] = true
			for _, p := range e.DependsOn.Nodes {
				block(p)
			}
		}
		byCTE := map[string]string{} // ephemeral models by their CTEs' name, "" when two share one
		for _, n := range c.nodes {
			if n.ResourceType == TypeModel && n.Materialized() == "ephemeral" {
				if prev, dup := byCTE[cteName(n.Name)]; dup {
					byCTE[cteName(n.Name)] = ""
					block(prev)
					block(n.UniqueID)
				} else {
					byCTE[cteName(n.Name)] = n.UniqueID
				}
			}
			if !isCand[n.UniqueID] && !ephTestUser(n, c.states[n.UniqueID]) {
				for _, p := range n.DependsOn.Nodes {
					block(p)
				}
			}
		}
		kept := cands[:0]
		for _, cd := range cands {
			if !blocked[cd.n.UniqueID] {
				kept = append(kept, cd)
			}
		}
		cands = kept
		ephUsers = map[string][]int{}
		for _, cd := range cands {
			if cd.n.Materialized() == "ephemeral" {
				ephUsers[cd.n.UniqueID] = []int{} // a key even with no reader
			}
		}
		for i, cd := range cands {
			for _, cte := range cd.pc.CTEs {
				if id := byCTE[cteOf(cte)]; id != "" {
					if _, ok := ephUsers[id]; ok {
						ephUsers[id] = append(ephUsers[id], i)
					}
				}
			}
		}
		// the generic tests: the ephemeral models whose CTEs are in
		// front of their SQL (their own, and those they ref)
		readsEph := func(n *Node) bool { // (a test that reads none needs no targetNames)
			return slices.ContainsFunc(n.DependsOn.Nodes, func(p string) bool {
				e := m.Nodes[p]
				return e != nil && e.ResourceType == TypeModel && e.Materialized() == "ephemeral"
			})
		}
		for _, n := range c.nodes {
			if st := c.states[n.UniqueID]; !isCand[n.UniqueID] && readsEph(n) && ephTestUser(n, st) {
				_, ephemerals, _ := c.targetNames(n, st, nil)
				for _, e := range c.ephemeralOrder(ephemerals) {
					if _, ok := ephUsers[e.UniqueID]; ok {
						if ephTests == nil {
							ephTests = map[string][]string{}
						}
						ephTests[e.UniqueID] = append(ephTests[e.UniqueID], n.UniqueID)
					}
				}
			}
		}
	}
	snap := &patchSnapshot{patchHead: patchHead{Build: buildIdentity(), Boot: bootID(), Project: c.project.Dir, Global: c.pp.global, GlobalParts: c.pp.globalParts, KeyOptions: keyOptionsOf(c.opt),
		Key: patchKey(c.opt, c.project, c.namesProjectFile(loadDiags)), LoadDiags: loadDiagLines(loadDiags),
		ModelConfigs: c.project.configTexts["models"], SeedConfigs: c.project.configTexts["seeds"],
		SnapshotConfigs: c.project.configTexts["snapshots"], YAMLSnapshots: c.yamlSnapshots(),
		SourceConfigs: c.project.configTexts["sources"]}}
	var varsOK bool
	snap.Vars, varsOK = projectVarSums(c.project)
	if snap.Key == "" || !varsOK {
		return nil, "the options or vars cannot be hashed"
	}

	patchable := make(map[string]int, len(cands))
	for i, cd := range cands {
		patchable[cd.n.UniqueID] = i
	}
	// the ephemeral models that are not patchable (a test reads one): how
	// a render that refs one saw it before it rendered, which a model a
	// patch makes may ref (earlyNode; no patch changes them)
	for _, n := range c.nodes {
		if _, ok := patchable[n.UniqueID]; ok || n.ResourceType != TypeModel || !n.Enabled() || n.Materialized() != "ephemeral" {
			continue
		}
		if pc := c.captured[n.UniqueID]; pc != nil {
			if snap.EphPre == nil {
				snap.EphPre = map[string][4]string{}
			}
			snap.EphPre[n.UniqueID] = [4]string{pc.Database, pc.Schema, pc.Alias, pc.Relation}
		}
	}
	states := c.sortedStates()
	snap.DisabledModels, snap.disabledBlobs = c.disabledModels(byPath, everyTime, unitTested)
	disabled := make(map[string]int, len(snap.DisabledModels))
	for i, d := range snap.DisabledModels {
		disabled[d.ID] = i
	}
	snap.MacroFiles = c.macroFiles(states, patchable, disabled)
	snap.DisabledReads, snap.DisabledReadsFixed = c.disabledReads(snap.DisabledModels)
	snap.Misses, snap.Found = c.engine.Misses(), c.engine.Found()
	snap.Disabled = sortedKeys(m.Disabled)
	snap.EphUsers, snap.EphTests = ephUsers, ephTests
	// a unit test's entry holds its YAML and what its model reads (the
	// inputs it may mock, checked against its model's refs and sources):
	// its model is patched as any other while those stay (a text edit),
	// not when they may change (canReshape, remadeModels)
	for _, cd := range cands {
		if unitTested[cd.n.Name] {
			snap.UnitTested = append(snap.UnitTested, cd.n.UniqueID)
		}
	}
	slices.Sort(snap.UnitTested)
	var extraEnv []string
	for _, n := range c.nodes {
		if n.Fingerprint != nil {
			extraEnv = append(extraEnv, n.Fingerprint.EnvVarNames...)
		}
	}
	snap.Relations = c.relationHashes()
	c.inv.mu.Lock()
	snap.Dirs = append([]fileStat(nil), c.inv.dirs...)
	snap.Roots = c.inv.rootTemplates(c.project)
	c.inv.mu.Unlock()
	projIndex := map[*Project]int{}
	for i, p := range c.project.projects() {
		projIndex[p] = i
	}
	snap.Files = make([]fileStat, len(files))
	parallel(len(files), func(i int) {
		f := files[i]
		st := f.stat
		st.Path, st.Kind, st.Proj, st.Root = f.rel, f.kind, projIndex[f.proj], f.root
		if f.sum.Checksum == "" { // unreadable: the compile failed anyway
			st.Sum = rawSum(f.data)
		} else {
			raw, _ := hex.DecodeString(f.sum.Checksum)
			st.Sum = string(raw)
		}
		snap.Files[i] = st
	})
	// a macro file of the project that defines none (emptied, or all
	// comments) is one too: an edit may define some, as an added file may
	for _, f := range files {
		if _, ok := snap.MacroFiles[f.rel]; !ok && f.kind == "macros" && f.proj == c.project && strings.HasSuffix(f.rel, ".sql") {
			snap.MacroFiles[f.rel] = macroFile{Macros: map[string]macroUse{}}
		}
	}
	snap.VarUse = c.varUses(states, patchable, disabled)
	snap.watchEnv(extraEnv)
	for _, f := range files {
		if f.proj == c.project && f.isProperties() && f.data != nil {
			if snap.propTexts == nil {
				snap.propTexts = map[string][]byte{}
			}
			snap.propTexts[f.rel] = f.data
		}
	}
	// a docs edit reads the descriptions that may use a block from the
	// properties files' texts: all must be kept (the root project's)
	snap.DocFiles, snap.DocsKnown = c.docFiles, c.docsKnown
	for path := range c.docReaders {
		if _, ok := snap.propTexts[path]; !ok {
			snap.DocFiles, snap.DocsKnown = nil, false
		}
	}
	if ixb, ok := encodeIndex(m, c.scope); ok {
		snap.indexBlob = ixb
	}
	snap.Nodes = make([]patchNode, len(cands))
	parallel(len(cands), func(i int) {
		snap.Nodes[i] = patchNode{ID: cands[i].n.UniqueID, Path: cands[i].n.Path, capture: cands[i].pc}
	})
	// the volatile models, rendered again by every patch, must be patchable
	// (or disabled ones a patch renders again)
	for _, id := range sortedKeys(everyTime) { // the first by id, said the same every time
		i, ok := patchable[id]
		if di, off := disabled[id]; !ok && off && snap.DisabledModels[di].EveryTime {
			continue
		}
		if !ok {
			return nil, id + " renders differently every time and is not patchable"
		}
		snap.EveryTime = append(snap.EveryTime, i)
		if c.pp.warehouse[id] {
			snap.Warehouse = append(snap.Warehouse, i)
		}
	}
	slices.Sort(snap.EveryTime)
	slices.Sort(snap.Warehouse)
	slices.SortFunc(warehouseTests, func(a, b patchTest) int { return strings.Compare(a.ID, b.ID) })
	snap.WarehouseTests = warehouseTests
	// a render against the warehouse may call a macro its parse-time
	// render did not (execute is true): one that may read graph, which a
	// patch cannot give as the compile does, would refuse every patch
	// (renderAgainstWarehouse)
	if len(snap.Warehouse)+len(snap.WarehouseTests) > 0 {
		for _, name := range sortedKeys(c.macroFacts) {
			if c.macroFacts[name].graph {
				return nil, "macro " + name + " names graph, and nodes query the warehouse while they render"
			}
		}
	}
	return snap, ""
}

// idState is a render's state with its node's id.
type idState struct {
	id string
	st *renderState
}

// patchableVariant says whether n, a node that shares its name, is one a
// patch may render again: the enabled model of the name, its variants
// disabled (a compile with two enabled fails) and of its package (its id:
// a root model replacing a package's is not patched), not versioned,
// unit tested or ephemeral, and its render one that could be cached. Its
// SQL edited, or a macro or var it reads, it renders again as any model
// (its state leaves variantStates); its variants' reads stay blocked (a
// change of what a disabled variant reads compiles whole), and what would
// make it again, disable it or remove it compiles whole (disabledID).
func (c *compilation) patchableVariant(n *Node, unitTested map[string]bool) bool {
	if n.ResourceType != TypeModel || n.Version != "" || unitTested[n.Name] || n.Materialized() == "ephemeral" ||
		c.pp == nil || !c.pp.variantsKnown[variantID(n)] {
		return false
	}
	for _, v := range c.shared[nameKey(n)] {
		if v.UniqueID != n.UniqueID || v != n && v.Enabled() {
			return false
		}
	}
	return true
}

// disabledID says whether manifest.json's disabled object holds id. For
// a patchable model's id, it is the enabled variant of a shared name
// (patchableVariant): the disabled object lists its variants by path
// alone, so that its text, refs, relation and descriptions change with no
// other entry; what makes it again (its YAML or folder config), disables
// it or removes it compiles whole.
func (snap *patchSnapshot) disabledID(id string) bool {
	_, found := slices.BinarySearch(snap.Disabled, id)
	return found
}

// sortedStates is every render's state, by id, and each variant's of
// the nodes that share a name (by variantID: no patchable node's).
func (c *compilation) sortedStates() []idState {
	out := make([]idState, 0, len(c.states)+len(c.variantStates))
	for id, st := range c.states {
		out = append(out, idState{id, st})
	}
	for id, st := range c.variantStates {
		out = append(out, idState{id, st})
	}
	slices.SortFunc(out, func(a, b idState) int { return strings.Compare(a.id, b.id) })
	return out
}

// macroPlaces is the file and line of every macro of the project and its
// packages, by qualified name.
func (c *compilation) macroPlaces() (file map[string]string, line map[string]int) {
	file, line = map[string]string{}, map[string]int{}
	add := func(m *jinja.Macro) {
		if m != nil && m.File != "" && !m.Builtin() {
			file[m.QualifiedName()], line[m.QualifiedName()] = m.File, m.Line
		}
	}
	for _, name := range c.engine.MacroNames() {
		add(c.engine.Macro(name))
	}
	for _, pkg := range c.engine.Packages() {
		for _, name := range c.engine.PackageMacros(pkg) {
			add(c.engine.MacroIn(pkg, name))
		}
	}
	return file, line
}

// macroFiles says, for each file that defines macros, which patchable
// models (by index) called them, or why an edit of it is not patched.
func (c *compilation) macroFiles(states []idState, patchable, disabled map[string]int) map[string]macroFile {
	fileOf, lineOf := c.macroPlaces()
	out := map[string]macroFile{}
	// block keeps the first reason a macro has (states come by id)
	block := func(file, name, why string) {
		if use := out[file].Macros[name]; use.Blocked == "" {
			use.Blocked = why
			out[file].Macros[name] = use
		}
	}
	for name, file := range fileOf {
		mf := out[file]
		if mf.Macros == nil {
			mf.Macros = map[string]macroUse{}
		}
		mf.Macros[name] = macroUse{Line: lineOf[name], Checksum: c.macroFacts[name].checksum}
		out[file] = mf
	}
	for name, file := range fileOf {
		if namingMacroName(name) {
			block(file, name, "it defines naming macro "+name)
		}
	}
	c.namingUsed.Range(func(k, _ any) bool {
		if file, ok := fileOf[k.(string)]; ok {
			block(file, k.(string), "a naming macro calls "+k.(string))
		}
		return true
	})
	for _, s := range states {
		id := s.id
		for _, name := range s.st.macros {
			file, ok := fileOf[name]
			if !ok {
				continue
			}
			i, ok := patchable[id]
			if !ok {
				if remakeableTest(s.st.node, c.project.Name) {
					mf := out[file]
					mf.Tests = true
					out[file] = mf
					continue
				}
				if di, ok := disabled[id]; ok {
					use := out[file].Macros[name]
					use.Disabled = append(use.Disabled, di)
					out[file].Macros[name] = use
					continue
				}
				block(file, name, id+" calls its macro "+name)
				continue
			}
			use := out[file].Macros[name]
			use.Callers = append(use.Callers, i)
			out[file].Macros[name] = use
		}
	}
	// (unit tests block no macro of their own: their entries hold their
	// YAML only, their SQL is made when they run, and their models are
	// patchable callers as any other)
	return out
}

// DropPatch gives up the patch snapshot of a compile that keeps none
// (KeepPatch not called: an empty selection, a failed write): the blobs
// file it may have started writing beside target/ is removed once
// written, and nothing more is written. The command that compiled defers
// it; after KeepPatch it does nothing.
func (r *Result) DropPatch() {
	pp := r.patch
	if pp == nil || pp.settled {
		return
	}
	pp.settled = true
	close(pp.drop)
	<-pp.written
	if pp.blobsTmp != "" {
		os.Remove(pp.blobsTmp)
	}
}

// PatchUnavailable tells why the next `mart compile` of this project
// could not patch this compile's target/ ("" when it could: the compile
// made a snapshot), and drops the snapshot: for `mart debug`, which writes
// nothing. The compile must be one with PartialParse and PatchSnapshot.
func (r *Result) PatchUnavailable() string {
	pp := r.patch
	if pp == nil {
		return "no partial parsing"
	}
	<-pp.ready
	why := pp.why // patchSnapshot gives a reason whenever it makes none
	r.DropPatch()
	return why
}

// KeepPatch writes the patch snapshot of this compile once target/ is
// written with the compiled files of ids: `mart compile` of every node
// calls it with the diagnostics it printed and the counts it reported. A
// compile that keeps none removes an older one.
func (r *Result) KeepPatch(ids []string, diags Diagnostics, counts map[string]int, selected int) {
	r.keepPatch(ids, diags, counts, selected, false)
}

// KeepPatchOfRun is KeepPatch for a run, which wrote the compiled files of
// the nodes it ran (ids) only: the snapshot serves later runs
// (Options.PatchForRun); `mart compile` compiles the whole project first,
// unless the run wrote every compiled file a compile writes (a whole
// `mart build` of a project without analyses).
func (r *Result) KeepPatchOfRun(ids []string, diags Diagnostics, counts map[string]int, selected int) {
	// a --defer run's compiled files read the state's relations
	r.keepPatch(ids, diags, counts, selected, !r.wroteAllCompiled(ids) || len(r.deferred) > 0)
}

// wroteAllCompiled says whether ids hold every node whose compiled file
// `mart compile` writes: all but generic tests (cli's compiledFiles), of
// those that have one (prepareCompiled).
func (r *Result) wroteAllCompiled(ids []string) bool {
	wrote := make(map[string]bool, len(ids))
	for _, id := range ids {
		wrote[id] = true
	}
	for _, id := range r.Manifest.AllIDs() {
		n := r.Manifest.Node(id)
		if n == nil || wrote[id] || n.ResourceType == TypeTest && n.TestType == "generic" || n.CompiledPath == "" || r.compiledRel(n) == "" {
			continue
		}
		return false
	}
	return true
}

func (r *Result) keepPatch(ids []string, diags Diagnostics, counts map[string]int, selected int, partial bool) {
	file := filepath.Join(r.TargetDir(), PatchFile)
	pp := r.patch
	if pp == nil || pp.settled {
		return
	}
	pp.settled = true
	pp.writing() // when no target/ was written (a run of nothing)
	<-pp.ready
	if pp.snap == nil {
		os.Remove(file)
		phase.Mark("no patch snapshot: " + pp.why)
		return
	}
	<-pp.written
	if pp.blobsTmp != "" {
		defer os.Remove(pp.blobsTmp) // unless put in place
	}
	snap := pp.snap
	if pp.blobsErr != nil {
		os.Remove(file)
		phase.Mark("no patch snapshot: " + pp.blobsErr.Error())
		return
	}
	if pp.offsets == nil {
		os.Remove(file)
		return
	}
	snap.MetaEnd, snap.Macros, snap.ManifestSegs = pp.offsets.metaEnd, pp.offsets.macros, pp.offsets.segs
	for i := range snap.Nodes {
		n := &snap.Nodes[i]
		at, ok := pp.offsets.nodes[n.ID]
		if !ok || n.Blob == nil && n.capture == nil && n.Len == 0 { // no blob, written or not
			os.Remove(file)
			phase.Mark("no patch snapshot: " + n.ID + " not in manifest.json")
			return
		}
		n.From, n.To = at[0], at[1]
	}
	if snap.indexBlob != nil || snap.Index.Len > 0 { // an index, not yet written or written
		all := r.Manifest.AllIDs()
		snap.Entries = make([][2]int64, len(all))
		for i, id := range all {
			at, ok := pp.offsets.nodes[id]
			if !ok {
				snap.Entries, snap.indexBlob, snap.Index = nil, nil, blobRef{}
				break
			}
			snap.Entries[i] = at
		}
	}
	for _, d := range diags {
		// the note on an ignored cache is this compile's, not the next
		if !strings.HasPrefix(d.Summary, partialParseNote) {
			snap.Diags = append(snap.Diags, d)
		}
	}
	snap.Counts, snap.Selected, snap.Partial = counts, selected, partial
	dir := r.TargetDir()
	// the manifest this compile wrote (another mart may have replaced it
	// since: its stat by name would be the other's)
	if snap.Manifest = r.manifestStat; snap.Manifest.Size == 0 {
		os.Remove(file)
		return
	}
	outs := r.compiledDirs.dirs // what writing ids' compiled files found (5 ms for 10,000)
	if !slices.Equal(ids, r.compiledDirs.ids) {
		dirs := map[string]bool{}
		for _, id := range ids {
			n := r.Manifest.Node(id)
			if n == nil || n.CompiledPath == "" {
				continue
			}
			if rel := r.compiledRel(n); rel != "" {
				dirs[filepath.Dir(filepath.Join(dir, filepath.FromSlash(rel)))] = true
			}
		}
		outs = sortedKeys(dirs)
	}
	snap.Compiled = make([]fileStat, len(outs))
	var failed atomic.Bool
	parallel(len(outs), func(i int) {
		st, err := statOf(outs[i])
		if st.Sum = r.compiledSums[outs[i]]; st.Sum == "" && err == nil {
			st.Sum, err = dirSum(outs[i], nil)
		}
		if err != nil {
			failed.Store(true)
		}
		st.Path = outs[i]
		snap.Compiled[i] = st
	})
	if failed.Load() {
		os.Remove(file)
		phase.Mark("no patch snapshot: a compiled directory is missing")
		return
	}
	if err := commitBlobs(file, pp.blobsTmp); err != nil {
		os.Remove(file)
		phase.Mark("no patch snapshot: " + err.Error())
		return
	}
	if err := writePatchHead(file, snap); err != nil {
		os.Remove(file)
		phase.Mark("no patch snapshot: " + err.Error())
		return
	}
	phase.Mark(fmt.Sprintf("patch snapshot (%d models)", len(snap.Nodes)))
}

// unreadableSnapshot starts the reason CompileByPatch gives for a snapshot
// file it cannot read (PatchNote).
const unreadableSnapshot = "snapshot unreadable: "

// PatchNote is the warning to show when CompileByPatch gave up for why:
// a snapshot that is there but cannot be read is a damaged cache (nil
// for any other reason, which is routine).
func PatchNote(why string) Diagnostics {
	if !strings.HasPrefix(why, unreadableSnapshot) {
		return nil
	}
	file, msg, _ := strings.Cut(strings.TrimPrefix(why, unreadableSnapshot), "\x00")
	return Diagnostics{warnf(file, 0, 0, "%s: %s; the whole project is compiled", partialParseNote, msg)}
}

// Patched is a compile made by patching the previous one's target/.
type Patched struct {
	Diags      Diagnostics
	Counts     map[string]int
	Selected   int
	TargetPath string
	Rendered   int // models rendered again
	// WarehouseRendered models queried the warehouse while they rendered
	// (against Target), as `mart compile` renders them after compiling;
	// WarehouseDiags says which of those renders failed (each keeps its
	// parse-time SQL)
	Target            *Target
	WarehouseRendered int
	WarehouseDiags    Diagnostics

	load *patchLoad // for a run of a selection (patchload.go); nil when the snapshot was not kept
}

// patchWriteHook, when set (tests), runs when a patch is about to take the
// snapshot's lock and write target/.
var patchWriteHook func()

// CompileByPatch compiles the project by patching target/ as the last
// `mart compile` left it (see the top of this file), and writes it. It
// returns nil and why when it cannot: the caller then compiles as usual.
// Nothing is written unless it succeeds.
func CompileByPatch(opt Options) (*Patched, string) {
	// a model whose own config() an edit disabled, or enabled: the first
	// attempt learns it from its render, the second makes it again where
	// its file is (as a model whose YAML config changed: removed and
	// added), which puts it in the disabled object or among the nodes
	var tg patchToggles
	// the target is loaded by every attempt, and is the same: the caller
	// hears of it once (the CLI opens the warehouse ahead with it; a second
	// call leaked the first; found by review)
	if on := opt.OnTarget; on != nil {
		called := false
		opt.OnTarget = func(p *Project, t *Target) {
			if !called {
				called = true
				on(p, t)
			}
		}
	}
	for {
		p, why := compileByPatch(opt, &tg)
		if p == nil && opt.PatchReadOnly && opt.PatchWritesChanges && why == readOnlyChanged {
			// the read-only attempt refused nothing but the writes (and
			// wrote nothing): patch target/ as a run's compile does (a
			// project whose models render differently every time, with
			// nothing changed, compiles whole, writing nothing)
			opt.PatchReadOnly, tg = false, patchToggles{}
			continue
		}
		if p != nil || len(tg.found) == 0 || len(tg.paths) > 8 {
			return p, why
		}
		if tg.paths == nil {
			tg.paths = map[string]bool{}
		}
		for _, f := range tg.found {
			if tg.paths[f] {
				return nil, why // (made again, and it did not take)
			}
			tg.paths[f] = true
		}
		tg.found = nil
	}
}

// What a read-only patch (Options.PatchReadOnly) refuses for want of
// writing target/: an input changed since it was written, or models
// render differently at every compile.
const (
	readOnlyChanged  = "the project changed since target/ was written, and this command does not write it"
	readOnlyVolatile = "models render differently at every compile, and this command does not write target/"
)

// patchToggles are the model files a patch makes again because their
// render enabled or disabled them (CompileByPatch).
type patchToggles struct {
	paths map[string]bool // made again in this attempt
	found []string        // found in this attempt: made again in the next
}

func compileByPatch(opt Options, tg *patchToggles) (*Patched, string) {
	opt = opt.withDefaults()
	phase.Mark("start")
	proj, loadDiags := opt.LoadProject()
	if loadDiags.HasErrors() {
		return nil, "the project does not load"
	}
	tdir := proj.targetDir()
	file := filepath.Join(tdir, PatchFile)
	phase.Mark("load project")
	// the project's manifest.json, which the snapshot describes: after a
	// --defer run, where that run kept it (patchdefer.go)
	manifestFile := filepath.Join(tdir, "manifest.json")
	switch kept, ok := keptManifest(tdir); {
	case ok && kept != "":
		// read there; put back only by a command that writes target/
		// (one that fails leaves the run's, as a whole compile's would)
		manifestFile = kept
	case !ok && opt.PatchReadOnly:
		return nil, "target/manifest.json is a --defer run's"
	case !ok:
		restoreDeferred(tdir, file) // a run killed while it swapped them
	}
	snap, err := readPatchSnapshot(file)
	phase.Mark("read snapshot")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "no snapshot"
		}
		return nil, unreadableSnapshot + relTo(proj.Dir, file) + "\x00" + err.Error()
	}
	// the snapshot's key hashes the project files without their vars,
	// or whole when a diagnostic names one of their lines; and the
	// snapshot's --full-refresh, whose readers render again when this
	// compile's differs (patchfullrefresh.go)
	keyOpt := opt
	refreshed := snap.KeyOptions.Known && snap.KeyOptions.FullRefresh != opt.FullRefresh
	if refreshed {
		keyOpt.FullRefresh = snap.KeyOptions.FullRefresh
	}
	wholeKey := false
	switch key := patchKey(keyOpt, proj, false); {
	case key == "":
		return nil, "the project's settings cannot be hashed"
	case snap.Build != buildIdentity():
		return nil, "target/ was written by another mart binary"
	case snap.Project != proj.Dir:
		return nil, "target/ was written for the project in " + snap.Project
	case snap.Key != key && snap.Key != patchKey(keyOpt, proj, true):
		return nil, whyKey(snap.KeyOptions, keyOptionsOf(keyOpt)) // (not its --full-refresh: followed)
	default:
		wholeKey = snap.Key != key
	}
	if snap.Partial && !opt.PatchForRun {
		return nil, "a run kept the snapshot: target/compiled has the files of what it ran only"
	}
	// an env var changed: its readers render again (changedEnv)
	var envChanged []string
	for _, e := range snap.Env {
		if envFingerprint(e[0]) != e[1] {
			envChanged = append(envChanged, e[0])
		}
	}
	// after a restart of the machine a write made in place may be lost
	// under a stat that shows it (spare.go; an editor's save): every input
	// is read and every output checked by content
	restarted := snap.Boot != bootID()
	changed, added, removed, adopted, why := checkInputs(proj, snap, restarted)
	phase.Mark("stat inputs")
	if why != "" {
		return nil, why
	}
	if opt.PatchReadOnly && opt.PatchWritesChanges && len(changed)+len(added)+len(removed) > 0 {
		// a file changed: patch target/ at once, as the attempt that
		// CompileByPatch would make after this one refused (nothing was
		// decided read-only so far but the kept manifest.json's check
		// above, which refuses the listing: it compiles whole)
		opt.PatchReadOnly = false
	}
	// a read-only command learns of no file added or removed: the head it
	// may put back (adopting a directory's new stat) would hide one from
	// the next compile, as a properties file that declares nothing yet,
	// which no count below sees (found by review)
	if opt.PatchReadOnly && len(added)+len(removed) > 0 {
		return nil, readOnlyChanged
	}
	patchable := make(map[string]int, len(snap.Nodes))
	// the snapshot files of several blocks: their blocks' nodes (not in
	// patchable, which knows a file of one node)
	var blockFiles map[string][]int
	for i, n := range snap.Nodes {
		if j, ok := patchable[n.Path]; ok || blockFiles[n.Path] != nil {
			if blockFiles == nil {
				blockFiles = map[string][]int{}
			}
			if ok {
				blockFiles[n.Path] = []int{j}
				delete(patchable, n.Path)
			}
			blockFiles[n.Path] = append(blockFiles[n.Path], i)
			continue
		}
		patchable[n.Path] = i
	}
	// the disabled models to render again (patchdisabled.go): place -> new
	// text (nil: unchanged)
	disabledAt, dtodo := snap.disabledAt(), map[int][]byte{}
	// the models whose files were removed (patchadd.go), and properties
	// files removed or added with them (patchprops.go)
	var goneNodes []int
	var goneDisabled []int // disabled models whose files were removed (patchdisabled.go)
	var goneProps []string
	var goneDocs []string               // .md files removed (patchdocs.go)
	goneMacroFiles := map[string]bool{} // each of whose macros is gone (macroRemoved)
	for _, fi := range removed {
		f := snap.Files[fi]
		if _, ok := snap.Props[f.Path]; ok && f.Kind == "models" {
			goneProps = append(goneProps, f.Path)
			continue
		}
		if mf, ok := snap.MacroFiles[f.Path]; ok && f.Kind == "macros" {
			switch _, err := os.Lstat(filepath.Dir(osPath(proj.Dir, f.Path))); {
			case mf.blocked() != "":
				return nil, f.Path + " is gone and " + mf.blocked()
			case err != nil:
				return nil, f.Path + " is gone with its directory"
			case snap.saidIn(f.Path):
				// the checks that refuse a patch when the compile said
				// something in a macro file know it by MacroFiles, which
				// it leaves (found by review)
				return nil, f.Path + " is gone and the compile said something in it"
			}
			goneMacroFiles[f.Path] = true
			continue
		}
		if _, ok := snap.DocFiles[f.Path]; ok && f.Proj == 0 && snap.DocsKnown {
			goneDocs = append(goneDocs, f.Path) // its blocks gone (docsChange)
			continue
		}
		if di, ok := disabledAt[f.Path]; ok && f.Kind == "models" {
			if why := snap.removedDisabled(di, false); why != "" {
				return nil, why
			}
			goneDisabled = append(goneDisabled, di)
			continue
		}
		ni, ok := patchable[f.Path]
		if !ok || f.Kind != "models" && f.Kind != "tests" && f.Kind != "analyses" || !strings.HasSuffix(f.Path, ".sql") {
			return nil, f.Path + " is gone"
		}
		if snap.disabledID(snap.Nodes[ni].ID) {
			return nil, f.Path + " is gone and its name is a disabled variant's too"
		}
		if what := snap.remadeWhole(snap.Nodes[ni].ID); what != "" {
			return nil, f.Path + " is gone, " + what
		}
		goneNodes = append(goneNodes, ni)
	}
	var newProps []addedFile
	var newMacros []addedFile // macro files added (loaded with the others below)
	var newDocs []addedFile   // .md files added (patchdocs.go)
	var newSeeds []addedFile  // seeds' CSV files added (addSeeds)
	if len(added) > 0 {
		models := make([]addedFile, 0, len(added))
		for _, a := range added {
			like := snap.likeFile(a.like)
			if like.Kind == "models" && like.Proj == 0 && isPropsPath(a.path) {
				newProps = append(newProps, a)
				continue
			}
			if (like.Kind == "models" || like.Kind == "docs") && like.Proj == 0 && strings.HasSuffix(a.path, ".md") && snap.DocsKnown {
				newDocs = append(newDocs, a)
				continue
			}
			if like.Kind == "macros" && strings.HasSuffix(a.path, ".sql") {
				newMacros = append(newMacros, a)
				continue
			}
			if like.Kind == "seeds" && like.Proj == 0 && strings.HasSuffix(a.path, ".csv") {
				newSeeds = append(newSeeds, a)
				continue
			}
			models = append(models, a)
		}
		added = models
	}
	if len(added)+len(goneNodes)+len(newSeeds) > 0 && !opt.PatchReadOnly {
		if why := snap.canEditGraph(); why != "" {
			return nil, "a model or seed file was added or removed and " + why
		}
	}
	// what to render again: the models whose SQL changed, and those that
	// called a macro of a macro file that changed
	todo := map[int][]byte{} // node index -> its new text (nil: unchanged)
	macroEdited := len(goneMacroFiles) > 0
	editedMacros := sortedKeys(goneMacroFiles) // the macro files that changed, or are gone
	var testMacros []string                    // the unique ids of changed macros generic tests may call
	var editedYAML []yamlChange
	var editedSeeds []changedFile
	var editedDocs []changedFile // .md files (patchdocs.go)
	for _, ch := range changed {
		f := snap.Files[ch.index]
		if nis, ok := blockFiles[f.Path]; ok {
			// each block renders again with its text (every block's entry
			// has the file's checksum): the same blocks, found by name
			if why := snap.sameBlocks(nis, ch.data); why != "" {
				return nil, f.Path + " changed " + why
			}
			for _, ni := range nis {
				todo[ni] = ch.data
			}
			continue
		}
		if ni, ok := patchable[f.Path]; ok {
			// a tests/ file with a {% test %} block is generic tests'
			// definitions, not a singular test (fileNode, loadMacros)
			if f.Kind == "tests" && testBlockRE().Match(ch.data) {
				return nil, f.Path + " changed and defines generic tests now"
			}
			// a snapshot is named by its file's first block (fileNode)
			if f.Kind == "snapshots" {
				text := string(ch.data)
				tags := snapshotTags(text)
				if len(tags) > 1 {
					return nil, f.Path + " changed and holds several snapshots now"
				}
				name := snapshotName(text, tags)
				if name == "" || !strings.HasSuffix(snap.Nodes[ni].ID, "."+name) || strings.Count(snap.Nodes[ni].ID, ".") != 2 {
					return nil, f.Path + " changed the name of its snapshot"
				}
			}
			todo[ni] = ch.data
			continue
		}
		if di, ok := disabledAt[f.Path]; ok && f.Kind == "models" {
			dtodo[di] = ch.data
			continue
		}
		if ref, ok := snap.Props[f.Path]; ok {
			editedYAML = append(editedYAML, yamlChange{f.Path, ref, ch.data})
			continue
		}
		if f.Kind == "seeds" && strings.HasSuffix(f.Path, ".csv") {
			editedSeeds = append(editedSeeds, ch) // its checksum, in its entry (seedSplice)
			continue
		}
		if _, ok := snap.DocFiles[f.Path]; ok && f.Proj == 0 {
			editedDocs = append(editedDocs, ch)
			continue
		}
		// (a tests/ file of generic tests' definitions is one: its {% test %}
		// blocks are macros)
		if mf, ok := snap.MacroFiles[f.Path]; ok && (f.Kind == "macros" || f.Kind == "tests" && testBlockRE().Match(ch.data)) {
			if mf.Blocked != "" {
				return nil, f.Path + " changed and " + mf.Blocked
			}
			macroEdited = true
			editedMacros = append(editedMacros, f.Path)
			continue
		}
		return nil, f.Path + " changed and is not a patchable model or macro file"
	}
	// the models whose descriptions an edit of YAML rewrote: their
	// entries are written with them (added to todo once the macros are
	// known)
	var descs map[int]*descEdit
	var entries map[string]*descEdit     // models' entries added or removed, by name
	var sourceDescs map[string]*descEdit // sources' tables (and seeds) edited, added or removed, by id
	var unitFiles []string               // properties files whose unit tests changed (patchunits.go)
	// docs blocks edited: the docs object, and the descriptions that call
	// them (patchdocs.go); the YAML edited with them renders its new
	// descriptions with the new blocks
	var docs *docsEdit
	var docsNow map[string]string
	docsFiles := make([]docsFile, 0, len(editedDocs)+len(newDocs)+len(goneDocs))
	for _, ch := range editedDocs {
		docsFiles = append(docsFiles, docsFile{snap.Files[ch.index].Path, ch.data})
	}
	for _, path := range goneDocs { // as if emptied (then forgotten)
		docsFiles = append(docsFiles, docsFile{path: path})
	}
	// a .md file added: its stat taken before it is read, as a compile's
	newDocStats := make([]fileStat, len(newDocs))
	newDocBeside := make([]string, len(newDocs)) // the path of the snapshot's file it goes after
	for i, a := range newDocs {
		st, data, err := snap.readAdded(proj, a)
		if err != nil {
			return nil, a.path + " is new and unreadable"
		}
		newDocStats[i], newDocBeside[i] = st, snap.likeFile(a.like).Path
		docsFiles = append(docsFiles, docsFile{a.path, data})
	}
	if len(docsFiles) > 0 {
		if len(newProps)+len(goneProps) > 0 {
			return nil, docsFiles[0].path + " changed with properties files added or removed"
		}
		if docs, why = snap.docsChange(manifestFile, docsFiles); why != "" {
			return nil, why
		}
		docsNow = docs.now
	}
	if len(editedYAML) > 0 {
		// a read-only command keeps the snapshot's head when it adopted a
		// stat: the lines the edit moved (LineShifts) must not go with it,
		// with the file's old text (found by review)
		if opt.PatchReadOnly {
			return nil, readOnlyChanged
		}
		if descs, entries, sourceDescs, unitFiles, why = snap.descriptionEdits(proj, file, editedYAML, docsNow); why != "" {
			return nil, why
		}
	}
	var propsFiles []fileStat // the properties files added, read
	if len(newProps)+len(goneProps) > 0 {
		if entries == nil {
			entries = map[string]*descEdit{}
		}
		if sourceDescs == nil {
			sourceDescs = map[string]*descEdit{}
		}
		var units []string // the files added or removed with unit tests
		if propsFiles, units, why = snap.wholePropsFiles(proj, file, newProps, goneProps, entries, sourceDescs); why != "" {
			return nil, why
		}
		unitFiles = append(unitFiles, units...)
	}
	if docs != nil {
		// (a unit test's description is not rendered; an entry made again
		// renders its own)
		if len(entries) > 0 {
			return nil, docsFiles[0].path + " changed with properties files' entries"
		}
		if descs == nil {
			descs = map[int]*descEdit{}
		}
		if sourceDescs == nil {
			sourceDescs = map[string]*descEdit{}
		}
		texts := make(map[string][]byte, len(editedYAML))
		for _, y := range editedYAML {
			texts[y.path] = y.data
		}
		if why = docs.descEdits(proj, file, snap, texts, descs, sourceDescs); why != "" {
			return nil, why
		}
	}
	// the models whose YAML config changed, or whose entry was added,
	// removed or moved to another file while their files stay, are made
	// again, each as a model moved (patchadd.go): its file removed and
	// added where it is
	fileIndex := snap.fileIndex()
	// remake makes the patchable model ni again where its file is (its
	// file removed and added), unless its file is removed, moved or made
	// again already
	remake := func(ni int) string {
		if slices.Contains(goneNodes, ni) {
			return ""
		}
		p := snap.Nodes[ni].Path
		at, ok := fileIndex[p]
		if !ok || snap.Files[at].Kind != "models" && snap.Files[at].Kind != "snapshots" || !strings.HasSuffix(p, ".sql") {
			return "not a patchable model or snapshot of SQL"
		}
		goneNodes = append(goneNodes, ni)
		added = append(added, addedFile{path: p, like: at})
		return ""
	}
	// remakeDisabled makes the disabled model at place di again where its
	// file is, as a model added (its file taken as removed and added): a
	// render or a folder config may enable it. Its YAML entry, if any,
	// comes back with it (enabledEntries, below).
	var enabledEntries []disabledModel
	remakeDisabled := func(di int) string {
		if slices.Contains(goneDisabled, di) {
			return ""
		}
		d := snap.DisabledModels[di]
		at, ok := fileIndex[d.Path]
		if !ok {
			return "not in the snapshot's files"
		}
		if w := snap.removedDisabled(di, d.YAML != ""); w != "" {
			return w
		}
		if d.YAML != "" {
			enabledEntries = append(enabledEntries, d)
		}
		goneDisabled = append(goneDisabled, di)
		added = append(added, addedFile{path: d.Path, like: at})
		return ""
	}
	// the models whose render enabled or disabled them: made again where
	// their files are (CompileByPatch)
	for _, p := range slices.Sorted(maps.Keys(tg.paths)) {
		what := p + " is enabled or disabled now and "
		if ni, ok := patchable[p]; ok {
			if w := remake(ni); w != "" {
				return nil, what + w
			}
		} else if di, ok := disabledAt[p]; ok {
			if w := remakeDisabled(di); w != "" {
				return nil, what + w
			}
		} else {
			return nil, what + "not a patchable model"
		}
		if !opt.PatchReadOnly {
			if why := snap.canEditGraph(); why != "" {
				return nil, what + why
			}
		}
	}
	if remade := remadeModels(entries, snap.Nodes, goneNodes, added); len(remade) > 0 {
		byID := snap.nodeIndex()
		disabledByID := make(map[string]int, len(snap.DisabledModels))
		for di, d := range snap.DisabledModels {
			if d.ID != "" { // (a removed one's place stays, empty)
				disabledByID[d.ID] = di
			}
		}
		remadeIn := "" // the file of the first entry a model is made again for
		for _, name := range remade {
			changed := firstNonEmpty(entries[name].file, entries[name].removedFrom) + " changed the entry of " + name + ", "
			typ := TypeModel
			if entries[name].snapshot {
				typ = TypeSnapshot
			}
			ni, ok := byID[typ+"."+proj.Name+"."+name]
			if e := entries[name]; !ok && e.entryRemoved && !e.entryAdded && !e.snapshot && snap.dropDangling(e.removedFrom, name) {
				// an entry that named no model removed (a model renamed,
				// its entry renamed after it: this and an entry added):
				// what the compile warned of it goes, and nothing else
				delete(entries, name)
				continue
			}
			if di, disabled := disabledByID[typ+"."+proj.Name+"."+name]; !ok && disabled && typ == TypeModel {
				// a disabled model: made again, its entry the edit's (the
				// config may enable it)
				if what := remakeDisabled(di); what != "" {
					return nil, changed + what
				}
			} else if !ok {
				return nil, changed + "not a patchable model"
			} else if what := remake(ni); what != "" {
				return nil, changed + what
			}
			if remadeIn == "" {
				remadeIn = firstNonEmpty(entries[name].file, entries[name].removedFrom)
			}
		}
		if remadeIn != "" && !opt.PatchReadOnly {
			if why := snap.canEditGraph(); why != "" {
				return nil, remadeIn + " changed a model's config and " + why
			}
		}
	}
	// the models whose folder config an edit of the project file's
	// models: entry changed are made again the same way (patchfolder.go),
	// and the snapshots whose folder config its snapshots: entry changed
	// (patchsnapshots.go)
	for _, k := range []struct {
		kind string
		was  *string
	}{{"models", &snap.ModelConfigs}, {"snapshots", &snap.SnapshotConfigs}} {
		if proj.configTexts[k.kind] == *k.was {
			continue
		}
		folder, dfolder, why := snap.folderRemakes(proj, k.kind, patchable, disabledAt)
		if why != "" {
			return nil, why
		}
		what := "the project file's " + k.kind + ": configs changed "
		for _, ni := range folder {
			if w := remake(ni); w != "" {
				return nil, what + "the config of " + snap.Nodes[ni].Path + ", " + w
			}
		}
		for _, di := range dfolder {
			if w := remakeDisabled(di); w != "" {
				return nil, what + "the config of disabled " + snap.DisabledModels[di].Path + ", " + w
			}
		}
		if len(folder)+len(dfolder) > 0 && !opt.PatchReadOnly {
			if why := snap.canEditGraph(); why != "" {
				return nil, what + "a node's config and " + why
			}
		}
		*k.was = proj.configTexts[k.kind]
	}
	// the seeds whose folder config an edit of its seeds: entry changed,
	// or whose YAML config an edit changed (patchseeds.go)
	var seedRemakes []fileStat
	if proj.configTexts["seeds"] != snap.SeedConfigs {
		var why string
		if seedRemakes, why = snap.folderChanges(proj, "seeds", snap.SeedConfigs, nil, nil); why != "" {
			return nil, why
		}
		snap.SeedConfigs = proj.configTexts["seeds"]
	}
	if seedRemakes, why = snap.seedConfigEdits(seedRemakes, sourceDescs); why != "" {
		return nil, why
	}
	if len(seedRemakes) > 0 && !opt.PatchReadOnly {
		if why := snap.canEditGraph(); why != "" {
			return nil, "a seed's config changed and " + why
		}
	}
	// the source tables added, removed or made again (patchsources.go);
	// the rest of sourceDescs is their descriptions, columns and tests
	remakes := map[string]*descEdit{}
	for id, e := range sourceDescs {
		if e.entryAdded || e.entryRemoved {
			remakes[id] = e
			delete(sourceDescs, id)
		}
	}
	// a seed made again takes its descriptions and columns from its entry
	// (remakeSeeds), its tests from the edit (remakeTests)
	for _, f := range seedRemakes {
		if e := sourceDescs[TypeSeed+"."+proj.Name+"."+strings.TrimSuffix(path.Base(f.Path), ".csv")]; e != nil {
			e.remade = true
		}
	}
	if len(entries) > 0 && len(added)+len(goneNodes)+len(remakes) == 0 {
		return nil, "a model's YAML entry was added or removed, and no model file"
	}
	// the models that read a var or an env var that changed render again
	// (and the generic tests that read one: their entries' tests are
	// made again, varTestEdits)
	var vr varReaders
	if why := snap.changedVars(proj, &vr); why != "" {
		return nil, why
	}
	if why := snap.changedEnv(envChanged, &vr); why != "" {
		return nil, why
	}
	if refreshed {
		if why := snap.changedFullRefresh(snap.KeyOptions.FullRefresh, opt.FullRefresh, &vr); why != "" {
			return nil, why
		}
	}
	for _, ni := range vr.nodes {
		if _, ok := todo[ni]; !ok {
			todo[ni] = nil
		}
	}
	for _, di := range vr.disabled {
		if _, ok := dtodo[di]; !ok {
			dtodo[di] = nil
		}
	}
	sourceFolders := proj.configTexts["sources"] != snap.SourceConfigs
	if opt.PatchReadOnly && (sourceFolders || len(todo)+len(dtodo)+len(editedMacros)+len(newMacros)+len(descs)+len(sourceDescs)+len(remakes)+len(editedSeeds)+len(seedRemakes)+len(added)+len(newSeeds)+len(goneNodes)+len(goneDisabled)+len(docsFiles)+len(unitFiles) > 0) {
		return nil, readOnlyChanged
	}
	// the volatile models render again every time, as a whole compile
	// renders them: what their render sets (config, tags, relation,
	// refs) may differ with nothing changed in the files, and a read-only
	// command, which writes none of it, compiles the whole project
	everyTimeDisabled := slices.ContainsFunc(snap.DisabledModels, func(d disabledModel) bool { return d.EveryTime })
	if opt.PatchReadOnly && !opt.inspect && (len(snap.EveryTime) > 0 || everyTimeDisabled) {
		return nil, readOnlyVolatile
	}
	everyTime := map[int]bool{}
	for _, ni := range snap.EveryTime {
		if ni < 0 || ni >= len(snap.Nodes) {
			return nil, "the snapshot's volatile models are not its models"
		}
		everyTime[ni] = true
		if _, ok := todo[ni]; !ok {
			todo[ni] = nil
		}
	}
	for di, d := range snap.DisabledModels {
		if _, ok := dtodo[di]; !ok && d.EveryTime {
			dtodo[di] = nil
		}
	}
	outAdopted, why := checkOutputs(tdir, manifestFile, snap, restarted)
	if why != "" {
		return nil, why
	}
	snap.Boot = bootID()
	if restarted {
		// the spare's content is not known under its stat either
		snap.SpareMeta = fileStat{}
	}
	phase.Mark("scan")
	// the target once the inputs are stat'ed: the caller opens the
	// warehouse with it (preopen.go). Loaded first, before the snapshot is
	// read, a 1k build --select ran no faster (A/B 1.03 and 0.97, n=20-24):
	// DuckDB's open then slows down beside the parallel stat on two cores
	tgt, tdiags := LoadTarget(proj, ProfileOptions{ProfilesDir: opt.ProfilesDir, Target: opt.Target, Profile: opt.Profile, Vars: proj.Vars})
	if tdiags.HasErrors() {
		return nil, "the target does not load"
	}
	if opt.OnTarget != nil {
		opt.OnTarget(proj, tgt)
	}
	if strings.Join(loadDiagLines(append(loadDiags, tdiags...)), "\n") != strings.Join(snap.LoadDiags, "\n") {
		return nil, "loading the project or target says something else now"
	}
	// the models that query the warehouse while they render are rendered
	// as dbt parses them, and then against it, as `mart compile` renders
	// them after compiling: it opens while the patch renders. A run's
	// compile does not (the runner renders them against it when it runs
	// them), nor does a read-only command, which renders none.
	var openWarehouse func() (warehouse.Warehouse, error)
	againstWarehouse := map[int]bool{}
	if len(snap.Warehouse)+len(snap.WarehouseTests) > 0 && !opt.PatchReadOnly {
		for _, ni := range snap.Warehouse {
			if !everyTime[ni] {
				return nil, "the snapshot's models that query the warehouse are not its volatile models"
			}
			againstWarehouse[ni] = true
		}
		switch {
		case opt.PatchWritesChanges:
			// a listing opens no warehouse, and its patch would write
			// their renders as a run makes them (a compile's are made
			// against the warehouse): it compiles whole, writing nothing
			return nil, "nodes query the warehouse while they render, and a listing does not open it"
		case opt.PatchForRun:
		case opt.Warehouse == nil:
			return nil, "nodes query the warehouse while they render"
		default:
			openWarehouse = opt.Warehouse(proj, tgt)
		}
	}
	load := &patchLoad{file: file, manifest: manifestFile, snap: snap, c: newCompilation(opt, proj, tgt, nil), docsEdited: len(docsFiles) > 0}
	for _, di := range goneDisabled { // (final here)
		if load.goneDisabled == nil {
			load.goneDisabled = map[string]bool{}
		}
		load.goneDisabled[snap.DisabledModels[di].ID] = true
	}
	// the node index the renders against the warehouse read, read meanwhile
	type indexRead struct {
		ix  *nodeIndex
		err error
	}
	var indexed chan indexRead
	if openWarehouse != nil {
		indexed = make(chan indexRead, 1)
		go func() {
			ix, err := load.readIndex()
			indexed <- indexRead{ix, err}
		}()
	}
	c := load.c
	projects := proj.projects()
	var macroFiles []*projectFile
	for _, f := range snap.Files {
		if (f.Kind == "macros" || f.Kind == "tests") && strings.HasSuffix(f.Path, ".sql") && f.Proj < len(projects) && !goneMacroFiles[f.Path] {
			if _, singular := patchable[f.Path]; singular && f.Kind == "tests" {
				continue // a singular test defines no macro, nor does its edit (checked above)
			}
			macroFiles = append(macroFiles, &projectFile{kind: f.Kind, proj: projects[f.Proj], root: f.Root, rel: f.Path})
		}
	}
	// a macro file added: its stat taken before it is read, as a compile's
	newMacroStats := make([]fileStat, len(newMacros))
	newMacroBeside := make([]string, len(newMacros)) // the path of the snapshot's file it goes after
	for i, a := range newMacros {
		like := snap.likeFile(a.like)
		newMacroBeside[i] = like.Path
		st, err := statOf(osPath(proj.Dir, a.path))
		if err != nil {
			return nil, a.path + " is new and unreadable"
		}
		st.Path, st.Kind, st.Proj, st.Root = a.path, like.Kind, like.Proj, like.Root
		newMacroStats[i] = st
		macroFiles = append(macroFiles, &projectFile{kind: like.Kind, proj: projects[like.Proj], root: like.Root, rel: a.path})
	}
	var readErr error
	var once sync.Once
	parallel(len(macroFiles), func(i int) {
		data, err := readFile(filepath.Join(proj.Dir, macroFiles[i].rel))
		if err != nil {
			once.Do(func() { readErr = err })
		}
		macroFiles[i].data = data
	})
	if readErr != nil {
		return nil, "a macro file is unreadable"
	}
	for i := range newMacros {
		newMacroStats[i].Sum = rawSum(macroFiles[len(macroFiles)-len(newMacros)+i].data)
	}
	c.loadMacros(macroFiles)
	if len(c.diags) > 0 {
		return nil, "loading the macros says something: " + c.diags[0].String()
	}
	// the macros the edited and added files define now and did not
	// (macroAdded), and those the edited files defined and do not
	// (macroRemoved; one moved to another file is both), by qualified
	// name
	var newNames, goneNames map[string]string
	if len(newMacros) > 0 || macroEdited {
		fileOf, _ := c.macroPlaces()
		for _, path := range editedMacros {
			for _, name := range sortedKeys(snap.MacroFiles[path].Macros) {
				if fileOf[name] == path {
					continue
				}
				if why := snap.macroRemoved(name, c.engine); why != "" {
					return nil, path + " no longer defines macro " + name + ", and " + why
				}
				if goneNames == nil {
					goneNames = map[string]string{}
				}
				goneNames[name] = path
			}
		}
		for _, path := range append(slices.Clone(editedMacros), addedPaths(newMacros)...) {
			for name, file := range fileOf {
				if file != path {
					continue
				}
				if _, ok := snap.MacroFiles[path].Macros[name]; ok {
					continue
				}
				if why := snap.macroAdded(name); why != "" {
					return nil, path + " defines macro " + name + " now, and " + why
				}
				if newNames == nil {
					newNames = map[string]string{}
				}
				newNames[name] = path
			}
		}
	}
	if key, parts := c.globalParseAs(keyOpt.FullRefresh, newNames, goneNames); key != snap.Global {
		return nil, whyGlobal(snap.GlobalParts, parts)
	}
	// with --full-refresh changed, the readers render again below: what
	// is written is this compile's (a read-only command, which renders
	// none, serves target/ as the snapshot's option left it: nothing
	// read it)
	swap := refreshed && !opt.PatchReadOnly
	if len(newNames)+len(goneNames) > 0 || swap {
		snap.Global, snap.GlobalParts = c.globalParse(nil, nil)
	}
	if swap {
		snap.Key, snap.KeyOptions = patchKey(opt, proj, wholeKey), keyOptionsOf(opt)
	}
	if len(newMacros) > 0 {
		macroEdited = true
		for _, a := range newMacros {
			snap.MacroFiles[a.path] = macroFile{Macros: map[string]macroUse{}}
		}
	}
	if macroEdited {
		// the models that called a macro whose text or line changed, or
		// which is gone from its file, render again; a file may define new
		// macros no render looked for (macroAdded), and drop macros no
		// render found without calling them (macroRemoved)
		_, lineOf := c.macroPlaces()
		changed := func(name string, old macroUse) bool {
			_, gone := goneNames[name]
			return gone || old.Line != lineOf[name] || old.Checksum != c.macroFacts[name].checksum
		}
		for _, path := range editedMacros {
			mf := snap.MacroFiles[path]
			for _, name := range sortedKeys(mf.Macros) { // (the reason names the first)
				if old := mf.Macros[name]; old.Blocked != "" && changed(name, old) {
					return nil, path + " changed and " + old.Blocked
				}
			}
		}
		moved := map[string]macroUse{} // a gone macro's callers, by name
		for _, path := range editedMacros {
			mf := snap.MacroFiles[path]
			for name, old := range mf.Macros {
				_, gone := goneNames[name]
				if !changed(name, old) {
					continue
				}
				if mf.Tests {
					// the generic tests that called it are made again
					// (patchtestmacros.go)
					m := c.macroByQualifiedName(name)
					if gone || goneMacroFiles[path] || m == nil {
						return nil, path + " changed, generic tests call its macros, and " + name + " is gone from it"
					}
					testMacros = append(testMacros, macroID(proj.Name, m))
				}
				for _, ni := range old.Callers {
					if _, ok := todo[ni]; !ok && ni >= 0 && ni < len(snap.Nodes) {
						todo[ni] = nil
					}
				}
				for _, di := range old.Disabled {
					if _, ok := dtodo[di]; !ok && di >= 0 && di < len(snap.DisabledModels) {
						dtodo[di] = nil
					}
				}
			}
			for name, file := range goneNames {
				if file == path {
					moved[name] = mf.Macros[name] // (when another file defines it now)
					delete(mf.Macros, name)
				}
			}
			if goneMacroFiles[path] {
				delete(snap.MacroFiles, path)
			}
		}
		// the snapshot written after this patch knows the macros as they
		// are, the new ones with no callers yet
		for name, path := range newNames {
			mf := snap.MacroFiles[path]
			if mf.Macros == nil {
				mf.Macros = map[string]macroUse{}
				snap.MacroFiles[path] = mf
			}
			// one moved keeps its callers, which render again: a render
			// whose macros are as they were is not reshaped, which would
			// record them anew
			mf.Macros[name] = macroUse{Callers: moved[name].Callers, Disabled: moved[name].Disabled}
		}
		for _, path := range append(slices.Clone(editedMacros), addedPaths(newMacros)...) {
			for name, use := range snap.MacroFiles[path].Macros {
				use.Line, use.Checksum = lineOf[name], c.macroFacts[name].checksum
				snap.MacroFiles[path].Macros[name] = use
			}
		}
	}
	// a model that renders again for nothing but its descriptions would
	// render as it did (its text, config, macros and vars are as they
	// were): its entry is written without a render
	descOnly := map[int]bool{}
	for ni := range descs {
		if _, ok := todo[ni]; !ok {
			todo[ni] = nil
			// a run's snapshot may lack its compiled file: it renders
			descOnly[ni] = !snap.Partial
		}
	}
	// an ephemeral model rendered again: the nodes that put its CTE in
	// front of their SQL render again, with its new SQL (ephJobs below)
	changedEph := map[string]bool{}
	load.changedEph = changedEph
	edited := make([]int, 0, len(todo))
	for ni := range todo {
		edited = append(edited, ni)
	}
	slices.Sort(edited)
	for _, ni := range edited {
		users, ok := snap.EphUsers[snap.Nodes[ni].ID]
		if !ok || descOnly[ni] {
			continue
		}
		changedEph[snap.Nodes[ni].ID] = true
		for _, u := range users {
			if u < 0 || u >= len(snap.Nodes) {
				return nil, "the snapshot's ephemeral models' users are not its models"
			}
			if againstWarehouse[u] { // (its SQL is made against the warehouse, from the CTEs it finds)
				return nil, snap.Nodes[u].ID + " queries the warehouse while it renders and reads ephemeral " + snap.Nodes[ni].ID
			}
			if _, ok := todo[u]; !ok {
				todo[u] = nil
			}
			descOnly[u] = false
		}
	}
	phase.Mark("macros")
	old, err := os.Open(manifestFile)
	if err != nil {
		return nil, "manifest.json unreadable"
	}
	defer old.Close()
	// the file opened is the one checked (another mart may have replaced
	// it since checkOutputs)
	if st, err := statOfFile(old); err != nil || !st.same(snap.Manifest) {
		return nil, "manifest.json changed"
	}
	// the metadata: this run's invocation id
	meta := ManifestMetadata{SchemaVersion: ManifestVersion, ProjectName: proj.Name, AdapterType: tgt.Type, TargetName: tgt.Name, InvocationID: opt.InvocationID}
	if l, ok := tgt.Adapter.(locator); ok {
		meta.Location = l.Locate(tgt.Target, warehouse.OpenOptions{ProjectDir: proj.Dir})
	}
	load.meta = meta
	if opt.PatchReadOnly { // nothing changed: target/ serves as it is
		if opt.WarningsAreErrors && snap.Diags.HasWarnings() {
			return nil, "a warning is an error (--warn-error)"
		}
		// what was checked by content is kept with its new stat, so the
		// next command does not read it again (the head only: the blobs
		// did not change)
		if adopted || outAdopted || restarted {
			writeIfInPlace(file, snap, func() error { return writePatchHead(file, snap) })
		}
		return &Patched{Diags: snap.Diags, Counts: snap.Counts, Selected: snap.Selected, TargetPath: proj.TargetPath, load: load}, ""
	}
	// read reads n bytes of manifest.json at off
	read := func(off, n int64) ([]byte, bool) {
		if off < 0 || n < 0 || off+n > snap.Manifest.Size {
			return nil, false
		}
		b := make([]byte, n)
		_, err := old.ReadAt(b, off)
		return b, err == nil
	}
	// a removed model is not rendered again (graphSplices cuts it out)
	for _, ni := range goneNodes {
		delete(todo, ni)
	}
	var splices []fileSplice
	type output struct {
		file string
		data []byte
	}
	var outputs []output
	order := make([]int, 0, len(todo))
	for ni := range todo {
		order = append(order, ni)
	}
	sort.Ints(order)
	// each model: its snapshot entry, manifest entry and what its render
	// saw, in order (the ref() targets it saw go into the scope); then the
	// renders, in parallel
	jobs := make([]*patchJob, len(order))
	var blobs *os.File
	if len(order)+len(dtodo) > 0 {
		if blobs, err = openBlobs(file, snap); err != nil {
			return nil, unreadableSnapshot + relTo(proj.Dir, blobsFile(file)) + "\x00" + err.Error()
		}
		defer blobs.Close()
	}
	parallel(len(order), func(i int) {
		ni := order[i]
		_, eph := snap.EphUsers[snap.Nodes[ni].ID]
		j := &patchJob{ni: ni, pn: snap.Nodes[ni], desc: descs[ni], descOnly: descOnly[ni], everyTime: everyTime[ni],
			warehouse: againstWarehouse[ni], unitTested: snap.unitTested(snap.Nodes[ni].ID), ephemeral: eph}
		jobs[i] = j
		data := todo[ni]
		if _, ok := blockFiles[j.pn.Path]; ok {
			// a block of a snapshot file of several: rendered from its
			// place in the file's text, read here when unchanged
			j.block = true
			if data == nil {
				if data, j.why = unchangedText(proj, snap, fileIndex, j.pn.Path); j.why != "" {
					return
				}
			}
		}
		j.why = prepareJob(j, snap, blobs, relTo(proj.Dir, blobsFile(file)), read, fileIndex, data)
	})
	for _, j := range jobs {
		if j.why != "" {
			return nil, j.why
		}
	}
	// the disabled models to render again, made as the whole compile made
	// them (patchdisabled.go), their ref() and source() finding what they
	// found then unless this edit adds, removes or makes again one of those
	var touched func([]patchStub) bool
	if len(dtodo) > 0 {
		touched = stubsTouched(snap, added, newSeeds, goneNodes, len(remakes) > 0 || sourceFolders, len(seedRemakes) > 0)
	}
	for _, di := range goneDisabled { // (a macro it called edited in the same save)
		delete(dtodo, di)
	}
	djobs := make([]*disabledJob, 0, len(dtodo))
	for _, di := range slices.Sorted(maps.Keys(dtodo)) {
		j := &disabledJob{di: di, everyTime: snap.DisabledModels[di].EveryTime}
		if snap.saidOfDisabled(snap.DisabledModels[di]) {
			return nil, "disabled " + snap.DisabledModels[di].ID + " renders again and the compile said something of it"
		}
		if why := load.prepareDisabled(j, proj, blobs, fileIndex, dtodo[di]); why != "" {
			return nil, why
		}
		if touched(j.pc.Stubs) {
			return nil, "disabled " + j.n.UniqueID + " renders again and reads a node this edit adds, removes or makes again"
		}
		c.addStubs(j.pc.Stubs)
		djobs = append(djobs, j)
	}
	// the models' stubs after the disabled ones': where both found a node,
	// the enabled model's are what a patch keeps up to date
	for _, j := range jobs {
		c.addStubs(j.pc.Stubs)
	}
	runJob := func(j *patchJob) {
		n, id := &j.n, j.pn.ID
		if j.descOnly {
			fin := j.fin
			if why := j.desc.apply(&fin); why != "" {
				j.why = id + why
				return
			}
			var err error
			if j.frag, err = appendNode(nil, &fin); err != nil {
				j.why = id + ": " + err.Error()
			}
			return
		}
		j.pre = *n
		st, err := c.renderNode(n, RenderOptions{})
		if j.warehouse {
			// as the whole compile renders it (renderAll): as dbt parses
			// it, to learn its refs and configs; against the warehouse
			// below
			if st == nil || !st.needsWarehouse {
				j.why = id + " no longer queries the warehouse while it renders"
				return
			}
			st, err = c.renderNode(n, RenderOptions{parse: true})
		}
		if err != nil || st == nil || st.needsWarehouse && !j.warehouse {
			// a ref() of a model the stubs do not have may fail; rendered
			// again finding every node (reshapeModels), it may not
			if j.reshape = j.canReshape(); !j.reshape {
				j.why = id + " does not render as before"
			}
			return
		}
		if !n.Enabled() && n.ResourceType == TypeModel {
			// its config() disabled it: made again where its file is, in
			// the next attempt (CompileByPatch)
			j.toggle = true
			return
		}
		if facts, ok := renderFacts(st); ok && movedConfigCalls(facts, j.pc.Facts) && !snap.saidOf(n, false) {
			j.pc.Facts, j.moved = facts, true // kept as a text edit, its capture with them
		} else if !ok || facts != j.pc.Facts {
			// its refs, sources, macros or config changed: its entry and
			// place in the graph change (reshapeModels)
			if j.reshape = ok && j.canReshape(); !j.reshape {
				j.why = id + "'s render changed more than its text"
			}
			return
		}
		for _, name := range st.macros {
			if c.macroFacts[name].volatile && !j.everyTime {
				j.why = id + " calls volatile macro " + name
				return
			}
		}
		if j.everyTime && !c.everyTimeOK(n, st) { // as the snapshot's compile decided (keepRender)
			j.why = id + " is volatile and may read graph"
			return
		}
		f := c.fingerprint(n, st.macros)
		j.flags = c.readsFullRefresh(n.RawCode, st.macros)
		if f != nil {
			j.varNames, j.envNames = f.VarNames, f.EnvVarNames
			for _, e := range f.EnvVarNames {
				if IsSecretKey(e) {
					j.why = id + " reads a secret env var"
					return
				}
			}
		}
		code := resolvePlaceholders(n.CompiledCode, j.pc.Names)
		if j.pc.CTEs != nil {
			code = injectCTEs(code, j.pc.CTEs)
		}
		if code == "" {
			j.why = id + " compiles to nothing"
			return
		}
		fin := j.fin
		fin.RawCode, fin.Checksum, fin.CompiledCode, fin.Fingerprint = n.RawCode, n.Checksum, code, f
		if j.desc != nil {
			if why := j.desc.apply(&fin); why != "" {
				j.why = id + why
				return
			}
		}
		if j.frag, err = appendNode(nil, &fin); err != nil {
			j.why = id + ": " + err.Error()
			return
		}
		j.code = []byte(code + "\n")
		j.out = fin
	}
	// the ephemeral models first: the nodes that read one put its new
	// SQL in front of theirs
	var ephJobs, otherJobs []*patchJob
	for _, j := range jobs {
		if changedEph[j.pn.ID] {
			ephJobs = append(ephJobs, j)
		} else {
			otherJobs = append(otherJobs, j)
		}
	}
	parallel(len(ephJobs), func(i int) { runJob(ephJobs[i]) })
	if len(ephJobs) > 0 {
		ctes := map[string]string{}
		for _, j := range ephJobs {
			if j.why == "" {
				ctes[cteName(j.fin.Name)] = cteName(j.fin.Name) + " as (\n" + strings.TrimSuffix(string(j.code), "\n") + "\n)"
			}
		}
		for _, j := range otherJobs {
			for k, cte := range j.pc.CTEs {
				if s, ok := ctes[cteOf(cte)]; ok {
					j.pc.CTEs[k], j.ephUser = s, true
				}
			}
		}
	}
	parallel(len(otherJobs), func(i int) { runJob(otherJobs[i]) })
	for _, j := range jobs {
		if j.why != "" {
			return nil, j.why
		}
		if j.toggle {
			if snap.disabledID(j.pn.ID) {
				return nil, j.pn.Path + " is disabled now and its name is a disabled variant's too"
			}
			tg.found = append(tg.found, j.pn.Path)
		}
	}
	parallel(len(djobs), func(i int) { djobs[i].why = load.renderDisabled(djobs[i], nil, nil) })
	for _, j := range djobs {
		if j.enabled {
			tg.found = append(tg.found, snap.DisabledModels[j.di].Path)
		}
	}
	if len(tg.found) > 0 {
		return nil, tg.found[0] + " is enabled or disabled now"
	}
	for _, j := range djobs {
		if j.why != "" {
			return nil, j.why
		}
	}
	if why := load.renderDisabledGraphs(djobs, touched); why != "" {
		return nil, why
	}
	// the models and tests that query the warehouse: rendered against it
	// (`mart compile`), or a run's compile writes the tests' parse-time SQL
	var warehouseDiags Diagnostics
	var tests []testOutput
	switch {
	case openWarehouse != nil:
		r := <-indexed
		if why := load.useIndex(r.ix, r.err); why != "" {
			return nil, why
		}
		if warehouseDiags, tests, why = load.renderAgainstWarehouse(opt.Context, jobs, openWarehouse); why != "" {
			return nil, why
		}
	case opt.PatchForRun:
		if tests, why = load.parseTimeTests(); why != "" {
			return nil, why
		}
	}
	// the models whose refs, sources or macro calls changed
	// (patchreshape.go), and those of added and removed files (patchadd.go)
	var reshaped []*patchJob
	for _, j := range jobs {
		if j.reshape {
			reshaped = append(reshaped, j)
		}
	}
	if len(reshaped) > 0 {
		why := ""
		switch {
		case snap.Index.Len == 0 || snap.Entries == nil:
			why = "the snapshot has no node index"
		case len(snap.Warehouse)+len(snap.WarehouseTests) > 0:
			why = "nodes query the warehouse while they render"
		}
		if why != "" {
			return nil, reshaped[0].pn.ID + "'s render changed more than its text and " + why
		}
	}
	// the models whose YAML tests changed (patchtests.go)
	var testEdits []testEdit
	for _, ni := range slices.Sorted(maps.Keys(descs)) {
		if e := descs[ni]; e.tests {
			id := snap.Nodes[ni].ID
			testEdits = append(testEdits, testEdit{id: id, name: id[strings.LastIndexByte(id, '.')+1:], file: e.file, entry: e.entry})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(sourceDescs)) { // and the source tables' and seeds' (patchtests.go)
		if e := sourceDescs[id]; e.tests {
			name := strings.TrimPrefix(id, TypeSource+"."+proj.Name+".") // "source.table"
			if e.source == nil {
				name = id[strings.LastIndexByte(id, '.')+1:] // a seed's or a snapshot's, found by ref()
			}
			testEdits = append(testEdits, testEdit{id: id, name: name, file: e.file, entry: e.entry, source: e.source})
		}
	}
	// the properties files' texts as the edit left them (nil: removed),
	// from which the nodes a patch makes again take their entries (and
	// propsTopOf parses them once)
	propTexts := make(map[string][]byte, len(editedYAML)+len(goneProps))
	for _, ch := range editedYAML {
		propTexts[ch.path] = ch.data
	}
	for _, p := range goneProps {
		propTexts[p] = nil
	}
	// the source tables whose folder config an edit of the project file's
	// sources: entry changed are made again (patchsources.go)
	if sourceFolders {
		if why := load.sourceFolderRemakes(proj, remakes, sourceDescs, propTexts); why != "" {
			return nil, why
		}
		snap.SourceConfigs = proj.configTexts["sources"]
	}
	// the nodes removed or made again whole, whose tests are made from
	// their entries as the edit left them: no entry of theirs is made again
	// for a macro or a var below
	var remade map[string]bool
	if len(testMacros)+len(vr.tests) > 0 {
		remade = make(map[string]bool, len(remakes)+len(goneNodes))
		for id := range remakes {
			remade[id] = true
		}
		for _, ni := range goneNodes {
			remade[snap.Nodes[ni].ID] = true
		}
	}
	// the entries whose generic tests called a macro that changed
	// (patchtestmacros.go)
	if len(testMacros) > 0 {
		more, why := load.macroTestEdits(testMacros, propTexts, testEdits, remade)
		if why != "" {
			return nil, why
		}
		testEdits = append(testEdits, more...)
	}
	// and those whose generic tests may read a var, an env var or the
	// option that changed (patchtestvars.go)
	if len(vr.tests) > 0 {
		more, why := load.varTestEdits(vr.tests, propTexts, testEdits, remade)
		if why != "" {
			return nil, why
		}
		testEdits = append(testEdits, more...)
	}
	if len(testEdits)+len(remakes)+len(unitFiles) > 0 {
		if why := snap.canEditGraph(); why != "" {
			return nil, "YAML changed tests or sources and " + why
		}
	}
	var news []*newModel
	var gone []goneModel
	if len(added)+len(newSeeds)+len(goneNodes)+len(reshaped)+len(testEdits)+len(remakes)+len(unitFiles)+len(seedRemakes) > 0 {
		// the source tables first: source() finds them as they are now
		snews, sgone, made, why := load.remakeSources(proj, remakes)
		if why != "" {
			return nil, why
		}
		// a removed model whose name an added file has is moved: its entry,
		// which the edit left as it was, stays its (removeModels)
		mv := moves{names: make(map[string]bool, len(added)), texts: propTexts, described: descs}
		for _, a := range added {
			if snap.likeFile(a.like).Kind != "snapshots" { // (named by its block: below)
				mv.names[a.modelName()] = true
			}
		}
		for _, ni := range goneNodes { // (a snapshot is named by its block: made again where it is)
			if id := snap.Nodes[ni].ID; strings.HasPrefix(id, TypeSnapshot+".") {
				mv.names[id[strings.LastIndexByte(id, '.')+1:]] = true
			}
		}
		if entries == nil {
			entries = map[string]*descEdit{}
		}
		// a disabled model its render enabled takes its YAML entry back,
		// as a model added with its entry (addModels: its tests with it)
		for _, d := range enabledEntries {
			name := d.name()
			if e := entries[name]; e != nil {
				// its entry edited (remadeModels): the edit's, which
				// addModels applies
				if !e.entryRemoved || e.removedFrom != d.YAML || e.usedRemoved || e.snapshot {
					return nil, d.Path + " is made again and its YAML entry changed otherwise"
				}
				e.usedRemoved = true
				continue
			}
			entry, w := load.keptEntry(propTexts, d.YAML, name)
			if w != "" {
				return nil, d.Path + " is enabled now and " + w
			}
			entries[name] = &descEdit{entryAdded: true, entry: entry, file: d.YAML}
		}
		if gone, why = load.removeModels(goneNodes, read, entries, mv); why != "" {
			return nil, why
		}
		// the seeds first: a model added with one may ref it
		seeds, why := load.addSeeds(proj, newSeeds, gone, sourceDescs)
		if why != "" {
			return nil, why
		}
		if news, why = load.addModels(proj, added, gone, entries); why != "" {
			return nil, why
		}
		news = append(news, seeds...)
		// each checks its nodes' relations against the snapshot's and those
		// a removal frees (relationTaken); one relation two nodes added
		// build, seeds or models, is a compile error (found by review)
		claimed := map[uint64]bool{}
		for _, m := range news {
			if m.builds && m.replace == nil {
				if claimed[m.rel] {
					return nil, m.n.Path + " is new and builds a relation another node added builds"
				}
				claimed[m.rel] = true
			}
		}
		// after the models added: a model whose refs changed may ref one
		if why = load.reshapeModels(reshaped, gone); why != "" {
			return nil, why
		}
		for name, e := range entries {
			if e.entryAdded && !e.usedAdded || e.entryRemoved && !e.usedRemoved {
				return nil, e.file + " describes " + name + " anew or no more, and its model file is not added or removed"
			}
		}
		if len(testEdits) > 0 {
			tnews, tgone, why := load.remakeTests(proj, testEdits, gone)
			if why != "" {
				return nil, why
			}
			news, gone = append(news, tnews...), append(gone, tgone...)
		}
		if len(unitFiles) > 0 {
			texts := make(map[string][]byte, len(editedYAML))
			for _, ch := range editedYAML {
				texts[ch.path] = ch.data
			}
			for _, path := range unitFiles { // an added file's (a removed one has none)
				if data, ok := snap.propTexts[path]; ok {
					texts[path] = data
				}
			}
			// the models whose refs or sources change, and those removed,
			// moved or made again (a unit test of one would be made from
			// its old entry: found by review)
			reshapedIDs := make(map[string]bool, len(reshaped))
			for _, j := range reshaped {
				reshapedIDs[j.pn.ID] = true
			}
			for _, g := range gone {
				if g.ni >= 0 {
					reshapedIDs[g.n.UniqueID] = true
				}
			}
			unews, ugone, why := load.remakeUnitTests(proj, unitFiles, texts, reshapedIDs)
			if why != "" {
				return nil, why
			}
			news, gone = append(news, unews...), append(gone, ugone...)
		}
		if len(made) > 0 {
			stests, why := load.sourceRemakeTests(made, gone)
			if why != "" {
				return nil, why
			}
			news = append(news, stests...)
		}
		news, gone = append(news, snews...), append(gone, sgone...)
		if len(seedRemakes) > 0 {
			csvs := make(map[string]bool, len(editedSeeds))
			for _, ch := range editedSeeds {
				csvs[snap.Files[ch.index].Path] = true
			}
			seeds, was, why := load.remakeSeeds(proj, seedRemakes, csvs, propTexts)
			if why != "" {
				return nil, why
			}
			news, gone = append(news, seeds...), append(gone, was...)
		}
		// inserted at one place, they go in id order
		sort.Slice(news, func(i, j int) bool { return news[i].n.UniqueID < news[j].n.UniqueID })
		// (the disabled models rendered again in this patch: checked
		// against its nodes added and removed by stubsTouched already)
		if why := snap.disabledReadsKept(news, gone, load.goneDisabled); why != "" {
			return nil, why
		}
		if why := load.danglingKept(news, gone); why != "" {
			return nil, why
		}
		if why := snap.ephemeralsKept(news, gone, reshaped); why != "" {
			return nil, why
		}
		sp, why := load.graphSplices(news, gone, reshaped, read)
		if why != "" {
			return nil, why
		}
		splices = append(splices, sp...)
		for _, m := range news {
			if !m.test && !m.source && !m.seed { // no compiled file of a generic test (patchtests.go), a source nor a seed
				outputs = append(outputs, output{filepath.Join(tdir, filepath.FromSlash(compiledPath(m.n))), m.code})
			}
		}
	}
	// the disabled models added and removed: manifest.json's disabled
	// object (patchdisabled.go)
	if len(load.disabledNews)+len(goneDisabled) > 0 {
		if why := snap.disabledFilesKept(load.disabledNews, gone, goneDisabled, load.goneDisabled); why != "" {
			return nil, why
		}
		sp, why := load.disabledSplice(read, load.disabledNews, goneDisabled)
		if why != "" {
			return nil, why
		}
		splices = append(splices, sp)
	}
	for _, t := range tests {
		splices = append(splices, fileSplice{t.at[0], t.at[1], t.frag, nil})
	}
	// the generic tests that read an ephemeral model rendered again
	ts, why := load.ephTestSplices(ephJobs, gone, read)
	if why != "" {
		return nil, why
	}
	splices = append(splices, ts...)
	for _, j := range jobs {
		splices = append(splices, fileSplice{j.pn.From, j.pn.To, j.frag, nil})
		// nil: a description edit only, its compiled file as it was; a
		// run's patch writes no compiled file of a model that queries the
		// warehouse (the runner writes what it runs, as a run's whole
		// compile leaves the others' files as `mart compile` wrote them)
		if j.code != nil && !(j.warehouse && opt.PatchForRun) {
			outputs = append(outputs, output{filepath.Join(tdir, filepath.FromSlash(compiledPath(&j.fin))), j.code})
		}
		snap.readsVars(j.ni, useKeys(j.varNames, j.envNames, j.flags))
		if j.reshape {
			snap.reshaped(j, c)
		}
		if j.pc.Key != j.newKey || j.reshape || j.moved || j.ephUser {
			j.pc.Key = j.newKey
			snap.Nodes[j.ni].Blob, snap.Nodes[j.ni].capture = j.pc.appendJSON(nil), nil
		}
	}
	rendered := len(order)
	for _, only := range descOnly {
		if only {
			rendered--
		}
	}
	phase.Mark(fmt.Sprintf("render (%d, %d entries)", rendered, len(order)))
	const head = `{"metadata":`
	if b, ok := read(0, int64(len(head))); !ok || string(b) != head {
		return nil, "manifest.json has another shape"
	}
	if b, ok := read(snap.MetaEnd, 1); !ok || b[0] != ',' {
		return nil, "manifest.json has another shape"
	}
	mb, err := compactJSON(meta)
	if err != nil {
		return nil, err.Error()
	}
	splices = append(splices, fileSplice{int64(len(head)), snap.MetaEnd, mb, nil})
	if macroEdited {
		open, ok1 := read(snap.Macros[0], 1)
		closing, ok2 := read(snap.Macros[1]-1, 1)
		if !ok1 || !ok2 || open[0] != '{' || closing[0] != '}' {
			return nil, "manifest.json's macros are not where the snapshot says"
		}
		b, err := compactJSON(c.macroRefs()) // as encodeManifest writes them
		if err != nil {
			return nil, err.Error()
		}
		splices = append(splices, fileSplice{snap.Macros[0], snap.Macros[1], b, nil})
	}
	if len(sourceDescs) > 0 {
		sp, why := load.sourceSplices(sourceDescs)
		if why != "" {
			return nil, why
		}
		splices = append(splices, sp...)
	}
	if docs != nil && docs.json != nil {
		splices = append(splices, fileSplice{docs.at[0], docs.at[1], docs.json, nil})
	}
	if len(editedSeeds) > 0 {
		ix, err := load.readIndex()
		if err != nil {
			return nil, "seeds changed and the node index is unreadable"
		}
		for _, ch := range editedSeeds {
			sp, why := seedSplice(snap, ix, projects, ch, read)
			if why != "" {
				return nil, why
			}
			splices = append(splices, sp)
		}
	}
	// an insertion where a cut starts goes first (an entry added after
	// the last one that stays, the one after it cut)
	sort.Slice(splices, func(i, j int) bool {
		a, b := splices[i], splices[j]
		return a.from < b.from || a.from == b.from && a.to < b.to
	})
	for i := 1; i < len(splices); i++ {
		prev := splices[i-1]
		if splices[i].from < prev.to || splices[i].from == prev.from && prev.to != prev.from {
			return nil, "overlapping manifest entries"
		}
	}
	placeValues(splices)
	if opt.WarningsAreErrors && snap.Diags.HasWarnings() {
		return nil, "a warning is an error (--warn-error)"
	}
	if opt.BeforeWrite != nil {
		if why := opt.BeforeWrite(tdir); why != "" {
			return nil, why
		}
	}
	// write: the snapshot goes first, then the compiled files, the
	// manifest and a new snapshot: a patch killed in between leaves no
	// snapshot, and the next compile compiles the whole project. The
	// snapshot's lock is held meanwhile: a command that read it before
	// does not put it back (writeIfInPlace)
	if patchWriteHook != nil {
		patchWriteHook()
	}
	if unlock, ok := lockSnapshot(file); ok {
		defer unlock()
	}
	// another mart may have written target/ since this one read the
	// snapshot (a patch of an edit made meanwhile, whose compiled files
	// this one's snapshot would not know of): then it is not this one's
	// to replace (found by review). Under the lock, a patch that wrote
	// after it replaced the snapshot; a whole compile replaces
	// manifest.json.
	if !snap.inPlace(file) {
		return nil, "another mart wrote target/ meanwhile"
	}
	if st, err := statOf(manifestFile); err != nil || !st.same(snap.Manifest) {
		return nil, "another mart wrote target/ meanwhile"
	}
	if err := os.Remove(file); err != nil {
		return nil, "cannot replace the snapshot: " + err.Error()
	}
	// what the writes change in their directories' sums (outputsum.go)
	var written sumChanges
	var tracked []fileStat             // compiled directories the snapshot checks from now on
	if snap.Partial || len(news) > 0 { // a run's target/compiled, or an added model's, may not have the directory
		dirs := map[string]bool{}
		for _, o := range outputs {
			dirs[filepath.Dir(o.file)] = true
		}
		known := make(map[string]bool, len(snap.Compiled))
		for _, c := range snap.Compiled {
			known[c.Path] = true
		}
		for _, d := range sortedKeys(dirs) {
			_, err := os.Stat(d)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				// made: it holds what is written in it
				written.made(d)
				tracked = append(tracked, fileStat{Path: d, Sum: string(make([]byte, 8))})
			case err == nil && !known[d]:
				// there, but not the snapshot's (left by an older compile):
				// summed as it is before the writes
				sum, err := dirSum(d, nil)
				if err != nil {
					return nil, "reading compiled SQL: " + err.Error()
				}
				tracked = append(tracked, fileStat{Path: d, Sum: sum})
			}
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, "writing compiled SQL: " + err.Error()
			}
		}
	}
	errs := make([]error, len(outputs))
	changes := make([]sumChanges, len(outputs))
	parallelN(len(outputs), ioWorkers, func(i int) {
		dir, name := filepath.Dir(outputs[i].file), filepath.Base(outputs[i].file)
		old, err := readFile(outputs[i].file)
		changes[i].wrote(dir, name, old, outputs[i].data, err)
		errs[i] = writeFile(outputs[i].file, outputs[i].data)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, "writing compiled SQL: " + err.Error()
	}
	// a patch that changes the metadata alone (nothing changed: this
	// run's invocation id) leaves a spare that holds the new version but
	// for its metadata (SpareMeta); the next such patch writes that alone
	// over it, not 49 MB on the 10k bench project
	metaOnly := len(splices) == 1 && splices[0].from == int64(len(head)) && splices[0].to == snap.MetaEnd &&
		int64(len(splices[0].with)) == snap.MetaEnd-int64(len(head))
	var tail fileStat
	if metaOnly {
		tail = snap.SpareMeta
	}
	replaced, statErr := statOfFile(old)
	newManifest, err := spliceFile(old, manifestFile, snap.Manifest.Size, splices, tail)
	if err != nil {
		os.Remove(file)
		return nil, "writing manifest.json: " + err.Error()
	}
	snap.SpareMeta = fileStat{}
	if metaOnly && statErr == nil {
		snap.SpareMeta = fileStat{Size: replaced.Size, MTime: replaced.MTime, Ino: replaced.Ino}
	}
	if manifestFile != filepath.Join(tdir, "manifest.json") {
		// written where a --defer run kept it: that run's stays in place
		// until the command writes target/ (patchdefer.go); `mart
		// compile`'s write is this one
		if err := patchedKept(tdir, newManifest); err != nil {
			os.Remove(file)
			return nil, "writing manifest.json: " + err.Error()
		}
		if !opt.PatchForRun {
			load.putBackLocked()
		}
	}
	// the new manifest.json's sums: those of the segments the splices
	// fall in, from the old file's bytes and theirs (outputsum.go)
	var summed bool
	readAt := func(b []byte, off int64) bool {
		if off < 0 || off+int64(len(b)) > snap.Manifest.Size {
			return false
		}
		_, err := old.ReadAt(b, off)
		return err == nil
	}
	// the metadata, which every patch splices, stays a segment of its own
	if snap.ManifestSegs, summed = resegment(snap.ManifestSegs, snap.Manifest.Size, splices, []int64{snap.MetaEnd}, readAt); !summed {
		// the snapshot still serves by stats; a check by content (after a
		// restore, a restart) fails, and that compile is whole
		phase.Mark("manifest.json's sums lost: it will not be checked by content")
	}
	moved := mover(splices)
	for i := range snap.Nodes {
		snap.Nodes[i].From, snap.Nodes[i].To = moved(snap.Nodes[i].From, snap.Nodes[i].To)
	}
	for i, e := range snap.Entries {
		snap.Entries[i][0], snap.Entries[i][1] = moved(e[0], e[1])
	}
	_, snap.MetaEnd = moved(int64(len(head)), snap.MetaEnd)
	for _, m := range news {
		if m.replace != nil {
			m.at[0], m.at[1] = moved(m.replace[0], m.replace[1])
		}
	}
	// a reshaped model whose config changed has a new index entry (its
	// entry where the patch wrote it: Nodes moved above)
	for _, j := range reshaped {
		if j.reindex != nil {
			snap.IndexDrops = append(snap.IndexDrops, j.ixPos)
			snap.IndexAdds = append(snap.IndexAdds, *j.reindex)
			snap.Entries = append(snap.Entries, [2]int64{snap.Nodes[j.ni].From, snap.Nodes[j.ni].To})
		}
	}
	snap.Macros[0], snap.Macros[1] = moved(snap.Macros[0], snap.Macros[1])
	phase.Mark("write")
	for _, ch := range changed {
		f := &snap.Files[ch.index]
		f.Size, f.MTime, f.Ino, f.At, f.Sum = ch.stat.Size, ch.stat.MTime, ch.stat.Ino, ch.stat.At, ch.sum
	}
	if docs != nil {
		if snap.DocFiles == nil {
			snap.DocFiles = map[string][]string{} // the project's first .md file
		}
		for path, names := range docs.names {
			snap.DocFiles[path] = names
		}
		for _, path := range goneDocs {
			delete(snap.DocFiles, path)
		}
	}
	var newEnv []string
	if len(news)+len(gone)+len(newProps)+len(goneProps)+len(load.disabledNews)+len(goneDisabled) > 0 {
		// (a properties file of no entries, added or removed, changes the
		// snapshot's files alone; so does a disabled model's)
		newEnv = snap.editModels(news, gone, c, newProps, propsFiles, goneProps, load.disabledNews, goneDisabled)
		snap.forgetProps(goneProps)
	}
	if len(newMacros) > 0 {
		snap.insertFiles(newMacroBeside, newMacroStats)
	}
	if len(goneMacroFiles) > 0 { // (after editModels, which reads snap.Files by index)
		snap.Files = slices.DeleteFunc(snap.Files, func(f fileStat) bool { return goneMacroFiles[f.Path] })
	}
	if len(newDocs) > 0 {
		snap.insertFiles(newDocBeside, newDocStats)
	}
	if len(goneDocs) > 0 {
		snap.Files = slices.DeleteFunc(snap.Files, func(f fileStat) bool { return slices.Contains(goneDocs, f.Path) })
	}
	if len(news)+len(gone)+len(reshaped) > 0 {
		load.ix, load.sources, load.also, load.alsoEarly = nil, nil, nil, nil // read again, as edited
	}
	// the next YAML edit is compared with the text as it is now
	for _, y := range editedYAML {
		if snap.propTexts == nil {
			snap.propTexts = map[string][]byte{}
		}
		snap.propTexts[y.path] = y.data
	}
	// env vars the renders just read (an edit may read a new one) are
	// checked from now on too
	names := make([]string, 0, len(snap.Env)+len(newEnv))
	for _, e := range snap.Env {
		names = append(names, e[0])
	}
	names = append(names, newEnv...)
	for _, j := range jobs {
		names = append(names, j.envNames...)
	}
	for _, j := range djobs {
		names = append(names, j.envNames...)
	}
	for _, dn := range load.disabledNews {
		names = append(names, dn.env...)
	}
	snap.watchEnv(names)
	if len(djobs)+len(load.disabledNews)+len(goneDisabled) > 0 {
		fileOf, _ := c.macroPlaces()
		snap.keepDisabled(djobs, fileOf)
		snap.keepDisabledFiles(load.disabledNews, goneDisabled, fileOf)
	}
	snap.watchNaming(c)
	snap.Misses = unionSorted(snap.Misses, c.engine.Misses())
	snap.Found = unionSorted(snap.Found, c.engine.Found())
	for _, c := range changes {
		written.merge(c)
	}
	// the compiled directories written in that the snapshot did not check:
	// checked from now on, their sums moved by the writes (restatCompiled)
	if len(tracked) > 0 {
		snap.Compiled = append(snap.Compiled, tracked...)
		sort.Slice(snap.Compiled, func(i, j int) bool { return snap.Compiled[i].Path < snap.Compiled[j].Path })
	}
	kept := restatCompiled(snap, written) == nil
	snap.Manifest = newManifest // its own version's: another mart may have replaced it since
	if !kept || writePatchSnapshot(file, snap) != nil {
		os.Remove(file)
		kept = false
	}
	phase.Mark("patch snapshot")
	p := &Patched{Diags: snap.Diags, Counts: snap.Counts, Selected: snap.Selected, TargetPath: proj.TargetPath, Rendered: rendered,
		Target: tgt, WarehouseDiags: warehouseDiags}
	if openWarehouse != nil {
		p.WarehouseRendered = len(snap.Warehouse) + len(snap.WarehouseTests)
	}
	if kept {
		p.load = load
	}
	return p, ""
}

// seedSplice is the splice of manifest.json an edit of a seed's CSV makes:
// the compile reads no seed but to hash it (readFile), so the edit
// changes the checksum in the seed's entry and nothing else (the build
// loads the file as it is then).
func seedSplice(snap *patchSnapshot, ix *nodeIndex, projects []*Project, ch changedFile, read func(off, n int64) ([]byte, bool)) (fileSplice, string) {
	f := snap.Files[ch.index]
	if f.Proj >= len(projects) {
		return fileSplice{}, f.Path + " is of no project"
	}
	id := TypeSeed + "." + projects[f.Proj].Name + "." + strings.TrimSuffix(path.Base(f.Path), ".csv")
	i, ok := ix.pos[id]
	if !ok || i >= len(snap.Entries) || ix.nodes[i].sel.Path != f.Path {
		return fileSplice{}, f.Path + " changed and is no enabled seed's"
	}
	at := snap.Entries[i]
	entry, ok := read(at[0], at[1]-at[0])
	if !ok {
		return fileSplice{}, "manifest.json has another shape"
	}
	old := seedChecksumJSON(hex.EncodeToString([]byte(f.Sum)))
	if bytes.Count(entry, old) != 1 {
		return fileSplice{}, id + "'s checksum in manifest.json is not its file's"
	}
	with := bytes.Replace(entry, old, seedChecksumJSON(hex.EncodeToString([]byte(ch.sum))), 1)
	return fileSplice{at[0], at[1], with, nil}, ""
}

// sourceSplices are the splices of manifest.json an edit of sources'
// (and seeds') descriptions and columns makes (propsEdits): each table's
// or seed's entry, found through the node index and decoded as a run
// loads it, with its description and its columns' as the edit made them.
// An entry that does not encode back to its own bytes is left to the
// whole compile. No render reads their descriptions (a snapshot is kept
// only when none reads graph).
func (l *patchLoad) sourceSplices(edits map[string]*descEdit) ([]fileSplice, string) {
	if why := l.index(); why != "" {
		return nil, "sources' descriptions changed and " + why
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.close()
	var out []fileSplice
	for _, id := range slices.Sorted(maps.Keys(edits)) {
		e := edits[id]
		if e.desc == nil && len(e.cols) == 0 && !e.columnsChanged() || e.remade {
			continue // its tests alone changed (remakeTests), or a seed made again (remakeSeeds)
		}
		i, ok := l.ix.pos[id]
		if !ok && l.snap.disabledID(id) && !e.columnsChanged() && !e.tests {
			continue // disabled: manifest.json holds its path alone (a block its description calls edited)
		}
		if !ok || i >= len(l.snap.Entries) || !slices.Contains([]string{TypeSource, TypeSeed, TypeSnapshot, TypeModel}, l.ix.nodes[i].sel.ResourceType) {
			return nil, e.file + " changed the descriptions of " + id + ", which the node index lacks"
		}
		at := l.snap.Entries[i]
		was, err := dec.entry(i)
		if err != nil {
			return nil, err.Error()
		}
		n, err := dec.decodeFrom(i, was)
		if err != nil {
			return nil, err.Error()
		}
		if b, err := appendNode(nil, n); err != nil || !bytes.Equal(b, was) {
			return nil, id + "'s manifest entry does not encode back as it was"
		}
		if w := e.apply(n); w != "" {
			return nil, id + w
		}
		b, err := appendNode(nil, n)
		if err != nil {
			return nil, id + ": " + err.Error()
		}
		out = append(out, fileSplice{at[0], at[1], b, nil})
	}
	return out, ""
}

// nodeIndex is where each of the snapshot's patchable nodes is in its
// Nodes, by id.
func (snap *patchSnapshot) nodeIndex() map[string]int {
	out := make(map[string]int, len(snap.Nodes))
	for i, n := range snap.Nodes {
		out[n.ID] = i
	}
	return out
}

// fileIndex is where each of the snapshot's files is in its Files, by path.
func (snap *patchSnapshot) fileIndex() map[string]int {
	out := make(map[string]int, len(snap.Files))
	for i, f := range snap.Files {
		out[f.Path] = i
	}
	return out
}

// seedChecksumJSON is a seed's checksum as its manifest entry has it
// (appendNode; fileChecksum).
func seedChecksumJSON(sum string) []byte {
	return []byte(`"checksum":{"name":"sha256","checksum":"` + sum + `"}`)
}

// mover returns where a range of a file [from, to) is once the splices
// (sorted, not overlapping) are made: what comes after a splice moved, a
// spliced range grew or shrank.
func mover(splices []fileSplice) func(from, to int64) (int64, int64) {
	shift := make([]int64, len(splices)+1) // shift[i]: what splices[:i] add
	for i, sp := range splices {
		shift[i+1] = shift[i] + int64(len(sp.with)) - (sp.to - sp.from)
	}
	return func(from, to int64) (int64, int64) {
		i := sort.Search(len(splices), func(i int) bool { return splices[i].to > from })
		if i < len(splices) && splices[i].from == from && splices[i].to == to {
			return from + shift[i], from + shift[i] + int64(len(splices[i].with))
		}
		return from + shift[i], to + shift[i]
	}
}

// patchJob is one model a patch renders again.
type patchJob struct {
	ni          int // its index in the snapshot's Nodes
	pn          patchNode
	pc          patchCapture
	fin, n      Node // its manifest entry; the node as it was before rendering, with its new text
	newKey, why string
	frag, code  []byte    // its new manifest entry and compiled file
	varNames    []string  // the vars its render may read (its Fingerprint's)
	envNames    []string  // and the env vars (watched as a whole compile watches them)
	flags       bool      // and whether it may read --full-refresh (readsFullRefresh)
	desc        *descEdit // what an edit of YAML changed of its descriptions
	descOnly    bool      // nothing else: written without a render
	everyTime   bool      // a volatile model, rendered again every time
	moved       bool      // its config() calls moved, nothing else of its render (movedConfigCalls)
	warehouse   bool      // one that queries the warehouse while it renders
	unitTested  bool      // one a unit test tests (its refs and sources are the test's inputs)
	ephemeral   bool      // a patchable ephemeral model (EphUsers)
	ephUser     bool      // it reads an ephemeral model rendered again (its CTE is the new one)
	out         Node      // its manifest entry as written (frag)
	// reshape: its render changed its refs, sources or macro calls, not its
	// config (patchreshape.go); pre is the node before that render
	reshape bool
	pre     Node
	toggle  bool      // its render disabled it (CompileByPatch)
	block   bool      // a block of a snapshot file of several (blockFiles)
	ephs    []string  // the patchable ephemeral models whose CTEs its new render puts in front (EphUsers)
	macros  []string  // the macros its new render called
	ixPos   int       // its place in the node index
	reindex *indexAdd // its new node index entry (its config changed), nil: its parents only (IndexDeps)
}

// canReshape says the job's model may be rendered again as one whose
// refs, sources or macro calls changed: not a volatile one, nor one that
// queries the warehouse, nor one a unit test tests (which a compile checks
// against its refs and sources).
func (j *patchJob) canReshape() bool {
	return !j.everyTime && !j.warehouse && !j.descOnly && !j.unitTested && !j.ephemeral && !j.ephUser
}

// cteOf is the name of an ephemeral CTE (ephemeralCTEs): "__mart__cte__x as (...".
func cteOf(cte string) string {
	name, _, _ := strings.Cut(cte, " as (\n")
	return name
}

// remadeWhole says what a patchable model is when a patch must not remove
// it (its file moved or removed), "" when it may: one a unit test tests
// (moved, its unit tests' fqn, their model's, would be another). Made
// again where its file is, as an edit of its YAML config or folder
// config makes it (remake), it may be, while it reads what it read
// (inPlaceInputs: the givens are checked against its refs and sources).
// An ephemeral model may be removed, moved or made again: its readers
// stay only when they see it as they did (movedFace).
func (snap *patchSnapshot) remadeWhole(id string) string {
	if snap.unitTested(id) {
		return "a model a unit test tests"
	}
	return ""
}

// unitTested says whether a unit test tests the model id.
func (snap *patchSnapshot) unitTested(id string) bool {
	_, found := slices.BinarySearch(snap.UnitTested, id)
	return found
}

// prepareJob reads a model's snapshot entry and manifest entry and makes
// the node to render: as it was before rendering, with data as its text
// when it changed (nil: unchanged). It says why it cannot ("" when it can).
// blobsName names the blobs file in a note.
func prepareJob(j *patchJob, snap *patchSnapshot, blobs *os.File, blobsName string, read func(off, n int64) ([]byte, bool), fileIndex map[string]int, data []byte) string {
	pn := j.pn
	fi, ok := fileIndex[pn.Path]
	if !ok {
		return pn.Path + " is not in the snapshot"
	}
	blob, err := readBlobAt(blobs, pn)
	if err == nil {
		err = json.Unmarshal(blob, &j.pc)
	}
	if err != nil {
		return unreadableSnapshot + blobsName + "\x00" + err.Error()
	}
	key := append(appendString(nil, pn.ID), ':')
	entry, ok := read(pn.From-int64(len(key)), pn.To-pn.From+int64(len(key)))
	if !ok || !bytes.HasPrefix(entry, key) {
		return pn.ID + " not found in manifest.json"
	}
	entry = entry[len(key):]
	if err := json.Unmarshal(entry, &j.fin); err != nil || j.fin.UniqueID != pn.ID {
		return pn.ID + "'s manifest entry unreadable"
	}
	if again, err := appendNode(nil, &j.fin); err != nil || !bytes.Equal(again, entry) {
		return pn.ID + "'s manifest entry does not read back exactly"
	}
	if j.fin.Checksum.Checksum != hex.EncodeToString([]byte(snap.Files[fi].Sum)) || j.fin.CompiledCode == "" {
		return pn.ID + "'s manifest entry is not the snapshot's"
	}
	n := &j.n
	*n = j.fin
	conf, err := fromTypedJSON(j.pc.Config)
	if err != nil {
		return "snapshot config unreadable"
	}
	cm, _ := conf.(map[string]any)
	n.Config = Config(cm)
	n.Database, n.Schema, n.Alias, n.Relation = j.pc.Database, j.pc.Schema, j.pc.Alias, j.pc.Relation
	n.Fingerprint, n.CompiledCode, n.CompiledPath = nil, "", ""
	if key, ok := nodeRenderKey(n); !ok || key != j.pc.Key {
		return pn.ID + "'s render inputs do not match the snapshot"
	}
	if data != nil {
		n.RawCode = string(data)
		n.Checksum = checksum(data)
	}
	if j.block {
		// its block of the file's text, at its line (snapshotNodes)
		blocks := snapshotBlocks(n.RawCode, snapshotTags(n.RawCode))
		i := slices.IndexFunc(blocks, func(b snapshotBlock) bool { return b.name == n.Name })
		if i < 0 {
			return pn.ID + "'s block is not in its file"
		}
		n.placeBlock(blocks[i])
		j.fin.blockLine = n.blockLine // (its compiled file's path)
	}
	if volatileText(n.RawCode) && !j.everyTime {
		return pn.ID + " now reads a volatile value"
	}
	j.newKey, _ = nodeRenderKey(n)
	return ""
}

// changedFile is an input file whose stat or content changed.
type changedFile struct {
	index int
	stat  fileStat
	data  []byte
	sum   string
}

// rootLike marks a directory of checkInputs' fileIn that the template of
// a root stands for: rootLike-i for snap.Roots[i] (values a file's place,
// -1-place, never take).
const rootLike = math.MinInt32

// dirRun is a run of consecutive snapshot files in one directory: rel is
// the directory's slash path from the project dir with its trailing
// slash ("" for the project dir itself), dir the OS path.
type dirRun struct {
	from, to int
	rel, dir string
}

// dirRuns splits files into runs of one directory each.
func dirRuns(files []fileStat) []dirRun {
	var runs []dirRun
	for i, f := range files {
		rel := f.Path[:strings.LastIndexByte(f.Path, '/')+1]
		if len(runs) > 0 && runs[len(runs)-1].rel == rel {
			runs[len(runs)-1].to = i + 1
			continue
		}
		runs = append(runs, dirRun{from: i, to: i + 1, rel: rel})
	}
	return runs
}

// checkInputs stats every input and returns the files whose content
// changed, or why the snapshot cannot be used (a file or directory added,
// removed or unreadable).
func checkInputs(proj *Project, snap *patchSnapshot, all bool) (changed []changedFile, added []addedFile, removed []int, adopted bool, why string) {
	var mu sync.Mutex
	var relisted atomic.Bool // a directory listed again is kept with its new stat
	fail := func(s string) {
		mu.Lock()
		if why == "" {
			why = s
		}
		mu.Unlock()
	}
	// the files are stat'ed a directory at a time (statNames): runs of
	// consecutive files in one directory (the snapshot keeps them sorted
	// by path, so a directory's files are one run or a few)
	runs := dirRuns(snap.Files)
	for i := range runs {
		runs[i].dir = filepath.Join(proj.Dir, filepath.FromSlash(runs[i].rel))
	}
	goneIn := map[string]int{} // by directory, how many of its files are gone
	var newDirs []fileStat     // directories new in a directory the snapshot has
	parallel(len(runs), func(r int) {
		run := runs[r]
		files := snap.Files[run.from:run.to]
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Path[len(run.rel):]
		}
		stats := make([]fileStat, len(files))
		errs := statNames(run.dir, names, stats)
		for i, f := range files {
			if errs != nil && errs[i] != nil {
				if errors.Is(errs[i], fs.ErrNotExist) {
					switch _, lerr := os.Lstat(filepath.Join(run.dir, names[i])); {
					case lerr == nil:
						// a symlink to nothing: the whole compile's walk
						// lists it and cannot read it (found by review)
						fail(f.Path + " is a symlink to nothing")
						return
					case f.Path == f.Root:
						// a path root that is a file: a whole compile
						// records it missing, to see it come back (a
						// patch has no entry to watch it by; review)
						fail(f.Path + " (a path root) is gone")
						return
					}
					// a removed model may be patched out (patchadd.go)
					mu.Lock()
					removed = append(removed, run.from+i)
					goneIn[run.dir]++
					mu.Unlock()
					continue
				}
				fail(f.Path + " is gone")
				return
			}
			st := stats[i]
			if st.same(f) && !f.racy() && !all {
				continue
			}
			data, err := readFile(filepath.Join(run.dir, names[i]))
			if err != nil {
				fail(f.Path + " is unreadable")
				return
			}
			sum := rawSum(data)
			// the same content with a new stat is kept below, not patched
			mu.Lock()
			changed = append(changed, changedFile{index: run.from + i, stat: st, data: data, sum: sum})
			mu.Unlock()
		}
	})
	if why != "" {
		return nil, nil, nil, false, why
	}
	// directories gone (a folder removed or renamed): their files are
	// removed ones above, each of which the patch must take (patchadd.go);
	// their parents' listings lack them
	goneDirs := map[string]bool{}
	goneSub := map[string]int{} // by directory, how many of its directories are gone
	listedDirs := make(map[string]bool, len(snap.Dirs))
	for _, d := range snap.Dirs {
		if d.Dir && !d.Missing {
			listedDirs[d.Path] = true
		}
	}
	// every entry's Lstat, taken at once, which the checks below read: a
	// compile walks no symlink to a directory (its walk reports one), so
	// the snapshot's directories were directories, whose stat is their
	// Lstat; a symlink put in one's place, even to the directory moved
	// elsewhere, has a stat of its own (found by review), and a symlink
	// to nothing where a root was missing is seen to appear
	type dirStat struct {
		st    fileStat
		isDir bool
		err   error
	}
	dirStats := make([]dirStat, len(snap.Dirs))
	parallel(len(snap.Dirs), func(i int) {
		at := time.Now().UnixNano()
		fi, err := os.Lstat(snap.Dirs[i].Path)
		if err != nil {
			dirStats[i].err = err
			return
		}
		dirStats[i] = dirStat{st: fileStatOf(fi, at), isDir: fi.IsDir()}
	})
	for i, d := range snap.Dirs {
		if d.Dir && !d.Missing {
			if err := dirStats[i].err; errors.Is(err, fs.ErrNotExist) {
				if !listedDirs[filepath.Dir(d.Path)] {
					// a path root: a whole compile records it missing
					return nil, nil, nil, false, d.Path + " is gone"
				}
				goneDirs[d.Path] = true
				goneSub[filepath.Dir(d.Path)]++
			}
		}
	}
	// directories: one whose listing may have changed is listed again,
	// against the files and directories the snapshot has in it
	var children map[string]map[string]bool
	var fileIn map[string]int // a snapshot file of each directory that has one
	var childrenOnce sync.Once
	listed := func() map[string]map[string]bool {
		childrenOnce.Do(func() {
			children = map[string]map[string]bool{}
			fileIn = map[string]int{}
			add := func(d, b string) {
				if children[d] == nil {
					children[d] = map[string]bool{}
				}
				children[d][b] = true
			}
			for _, run := range runs {
				fileIn[run.dir] = run.from
				for _, f := range snap.Files[run.from:run.to] {
					add(run.dir, f.Path[len(run.rel):])
				}
			}
			// a directory of directories only (models/ of models/marts/...):
			// a file under it, of the same root, stands for its kind
			for _, run := range runs {
				root := filepath.Join(proj.Dir, filepath.FromSlash(snap.Files[run.from].Root))
				for d := filepath.Dir(run.dir); strings.HasPrefix(d, root) && d != filepath.Dir(d); d = filepath.Dir(d) {
					if _, ok := fileIn[d]; !ok {
						fileIn[d] = -1 - run.from
					}
					if d == root {
						break
					}
				}
			}
			// an empty directory under a root (its files moved out, or made
			// so): a file of that root stands for its kind too
			for _, d := range snap.Dirs {
				if _, ok := fileIn[d.Path]; ok || !d.Dir || d.Missing {
					continue
				}
				for _, run := range runs {
					root := filepath.Join(proj.Dir, filepath.FromSlash(snap.Files[run.from].Root))
					if strings.HasPrefix(d.Path, root+string(filepath.Separator)) {
						fileIn[d.Path] = -1 - run.from
						break
					}
				}
			}
			for _, d := range snap.Dirs {
				if d.Dir {
					add(filepath.Dir(d.Path), filepath.Base(d.Path))
				}
			}
			// a root with no file of the snapshot in it or under it (its
			// directories alike): its template stands for its kind
			for i, r := range snap.Roots {
				for _, d := range snap.Dirs {
					if _, ok := fileIn[d.Path]; !ok && d.Dir && !d.Missing &&
						(d.Path == r.Path || strings.HasPrefix(d.Path, r.Path+string(filepath.Separator))) {
						fileIn[d.Path] = rootLike - i
					}
				}
			}
		})
		return children
	}
	// rootOf is the template of a root missing from the snapshot (-1 when
	// it has none)
	rootOf := func(dir string) int {
		for i, r := range snap.Roots {
			if r.Path == dir {
				return i
			}
		}
		return -1
	}
	parallel(len(snap.Dirs), func(i int) {
		d := snap.Dirs[i]
		st, isDir, err := dirStats[i].st, dirStats[i].isDir, dirStats[i].err
		if !d.Dir && !d.Missing {
			// a root that is a file the compile does not read: any
			// change of it (a directory in its place) compiles whole
			if err != nil || isDir || !st.same(d) {
				fail(d.Path + " changed")
			}
			return
		}
		if d.Missing {
			if err == nil {
				// a root that appeared: its files are added, as the
				// files of a new directory are (below)
				listed() // (before snap.Dirs[i] changes: it reads them)
				r := rootOf(d.Path)
				if r < 0 || !isDir {
					fail(d.Path + " appeared")
					return
				}
				rel, rerr := filepath.Rel(proj.Dir, d.Path)
				files, dirs, ok := listNewDir(d.Path)
				if rerr != nil || !ok {
					fail(d.Path + " appeared")
					return
				}
				mu.Lock()
				for _, f := range files {
					added = append(added, addedFile{path: filepath.ToSlash(rel) + "/" + f, like: -1 - r})
				}
				newDirs = append(newDirs, dirs[1:]...)
				mu.Unlock()
				snap.Dirs[i] = dirs[0] // a directory walked now
				relisted.Store(true)
			}
			return
		}
		if err != nil {
			if !goneDirs[d.Path] {
				fail(d.Path + " is gone")
			}
			return
		}
		if st.same(d) && !d.racy() && !all {
			return
		}
		// the directory itself, not what a symlink put in its place
		// points to (a compile's walk refuses a symlink to a directory)
		if d.Dir && !isDir {
			fail(d.Path + " is no directory now")
			return
		}
		entries, err := os.ReadDir(d.Path)
		if err != nil {
			fail(d.Path + " is unreadable")
			return
		}
		names := listed()[d.Path]
		n := 0
		for _, e := range entries {
			if e.IsDir() && strings.HasPrefix(e.Name(), ".") || !e.IsDir() && !compileReads(e.Name(), e.Type()) {
				continue // not scanned (scanProject)
			}
			if !names[e.Name()] {
				// a new file in a directory of the snapshot's files, or a
				// new directory of files there, may be models to add
				// (patchadd.go)
				like, ok := fileIn[d.Path]
				if !ok {
					fail(filepath.Join(d.Path, e.Name()) + " is new")
					return
				}
				var rel string
				if like < 0 { // a file under it, or a root's template: d's own slash path
					if like <= rootLike {
						like = -1 - (rootLike - like) // (addedFile.like's template)
					} else {
						like = -1 - like
					}
					r, err := filepath.Rel(proj.Dir, d.Path)
					if err != nil {
						fail(filepath.Join(d.Path, e.Name()) + " is new")
						return
					}
					rel = filepath.ToSlash(r) + "/" + e.Name()
				} else {
					rel = fileDir(snap.Files[like].Path) + e.Name()
				}
				if !e.IsDir() {
					mu.Lock()
					added = append(added, addedFile{path: rel, like: like})
					mu.Unlock()
					continue
				}
				files, dirs, ok := listNewDir(filepath.Join(d.Path, e.Name()))
				if !ok {
					fail(filepath.Join(d.Path, e.Name()) + " is new")
					return
				}
				mu.Lock()
				for _, f := range files {
					added = append(added, addedFile{path: rel + "/" + f, like: like})
				}
				newDirs = append(newDirs, dirs...)
				mu.Unlock()
				continue
			}
			n++
		}
		if n+goneIn[d.Path]+goneSub[d.Path] != len(names) {
			fail("a file of " + d.Path + " is gone")
			return
		}
		// the same listing with a new stat (a file replaced by a rename,
		// or a stat taken too soon after a change): keep the new stat, so
		// the next compile does not list it again
		st.Path, st.Dir = d.Path, d.Dir
		if !st.same(d) || d.racy() && !st.racy() {
			relisted.Store(true)
		}
		snap.Dirs[i] = st
	})
	if why != "" {
		return nil, nil, nil, false, why
	}
	// a new directory is an input from now on (the snapshot is written
	// only if the patch succeeds, or a read-only command finds nothing
	// to add in it)
	if len(newDirs) > 0 {
		snap.Dirs = append(snap.Dirs, newDirs...)
		relisted.Store(true)
	}
	if len(goneDirs) > 0 {
		snap.Dirs = slices.DeleteFunc(snap.Dirs, func(d fileStat) bool { return goneDirs[d.Path] })
		relisted.Store(true)
	}
	// an unchanged content with a new stat is not a change to patch
	var real []changedFile
	for _, ch := range changed {
		if ch.sum != snap.Files[ch.index].Sum {
			real = append(real, ch)
		} else {
			f := &snap.Files[ch.index]
			// a new stat, or one read because it was racy and is not now
			// (kept, it is not read again)
			adopted = adopted || !ch.stat.same(*f) || f.racy() && !ch.stat.racy()
			f.Size, f.MTime, f.Ino, f.At = ch.stat.Size, ch.stat.MTime, ch.stat.Ino, ch.stat.At
		}
	}
	sort.Slice(real, func(i, j int) bool { return real[i].index < real[j].index })
	sort.Slice(added, func(i, j int) bool { return added[i].path < added[j].path })
	slices.Sort(removed)
	return real, added, removed, adopted || relisted.Load(), ""
}

// checkOutputs says why target/ is not as the snapshot left it ("" when
// it is); file is the project's manifest.json (keptManifest). An output
// whose stat changed, or any after the machine restarted, is checked by
// content (outputsum.go); one that holds what the snapshot says is taken
// with its new stat.
func checkOutputs(tdir, file string, snap *patchSnapshot, restarted bool) (adopted bool, why string) {
	st, err := statOf(file)
	if err != nil {
		return false, "manifest.json changed"
	}
	if restarted || !st.same(snap.Manifest) {
		if !fileHolds(file, st.Size, snap.ManifestSegs) {
			return false, "manifest.json changed"
		}
		adopted = adopted || !st.same(snap.Manifest)
		snap.Manifest = st
	}
	var bad sync.Once
	var moved atomic.Bool
	// a compiled file removed, added or replaced changes its directory; one
	// edited in place is not noticed (docs/architecture.md) unless the
	// directory is checked by content
	parallel(len(snap.Compiled), func(i int) {
		c := &snap.Compiled[i]
		st, err := statOf(c.Path)
		if err == nil && (restarted || !st.same(*c)) {
			var sum string
			if sum, err = dirSum(c.Path, nil); err == nil && sum != c.Sum {
				err = errors.New("changed")
			}
			if err == nil && !st.same(*c) {
				moved.Store(true)
			}
			st.Path, st.Sum = c.Path, c.Sum
			if err == nil {
				*c = st
			}
		}
		if err != nil {
			bad.Do(func() { why = c.Path + " changed" })
		}
	})
	return adopted || moved.Load(), why
}

// fileHolds tells whether the file holds the segments segs.
func fileHolds(file string, size int64, segs []crcSeg) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	return segsMatch(f, size, segs)
}

// fileSplice replaces bytes [from, to) of a file with with.
type fileSplice struct {
	from, to int64
	with     []byte
	values   []placedValue // entries it inserts (patchadd.go)
}

// spliceFile writes dst as src (size bytes) with the splices (sorted,
// not overlapping) made, through another file put in its place (spare.go).
// The unchanged ranges are copied by the kernel (copy_file_range on Linux):
// no 45 MB pass through memory. When the file written over is tail (the
// spare, as stat'ed when it was src's version before a patch of the
// metadata alone) and no splice changes a length, it holds src's bytes
// after the splices already: only src's bytes up to the last splice's end
// and the splices are written (patchHead.SpareMeta).
func spliceFile(src *os.File, dst string, size int64, splices []fileSplice, tail fileStat) (fileStat, error) {
	out, err := stageFile(dst)
	if err != nil {
		return fileStat{}, err
	}
	tmp := out.File()
	held := len(splices) > 0 && out.holds(tail, size) && !slices.ContainsFunc(splices, func(sp fileSplice) bool { return int64(len(sp.with)) != sp.to-sp.from })
	if held {
		phase.Mark("manifest.json: its metadata written over its spare")
	}
	at, written := int64(0), int64(0)
	for _, sp := range splices {
		if err == nil {
			err = copyRange(tmp, src, at, sp.from-at)
			written += sp.from - at
		}
		if err == nil {
			_, err = tmp.Write(sp.with)
			written += int64(len(sp.with))
		}
		at = sp.to
	}
	if err == nil {
		if !held { // (held: the file has src's bytes from at on)
			err = copyRange(tmp, src, at, size-at)
		}
		written += size - at
	}
	if err != nil {
		out.abort()
		return fileStat{}, err
	}
	err = out.commit(written)
	return out.stat, err
}

// copyRange copies n bytes of src from off to dst's end.
func copyRange(dst, src *os.File, off, n int64) error {
	if _, err := src.Seek(off, io.SeekStart); err != nil {
		return err
	}
	_, err := io.CopyN(dst, src, n)
	return err
}

// rawSum is data's sha256, as a string of its 32 bytes.
func rawSum(data []byte) string {
	sum := sha256.Sum256(data)
	return string(sum[:])
}

// loadDiagLines are diagnostics as text, sorted (the compile sorts its own).
func loadDiagLines(ds Diagnostics) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.String()+"\x00"+d.Detail)
	}
	sort.Strings(out)
	return out
}

// relTo is file's slash path from dir when it is inside it, else file.
func relTo(dir, file string) string {
	if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return file
}

// mergeKeys is the union of two maps' keys, as a set.
func mergeKeys(a, b map[string]string) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// varReaders are who reads the vars, env vars or option that changed:
// patchable models (indexes in Nodes), disabled ones (places in
// DisabledModels) and generic tests (unique ids, each with the first key
// it reads that changed, for a whole compile's reason).
type varReaders struct {
	nodes, disabled []int
	tests           map[string]string
}

// changedVars compares the project's vars with the snapshot's, which it
// then holds: who reads one that changed joins r, or why a change
// cannot be patched.
func (snap *patchSnapshot) changedVars(proj *Project, r *varReaders) (why string) {
	sums, ok := projectVarSums(proj)
	if !ok {
		return "the vars cannot be hashed"
	}
	for _, name := range sortedKeys(mergeKeys(snap.Vars, sums)) {
		if snap.Vars[name] == sums[name] {
			continue
		}
		use := snap.VarUse[name]
		switch {
		case name == proj.Name || proj.Package(name) != nil:
			return "var " + name + " (a package's vars) changed"
		case use.Blocked != "":
			return "var " + name + " changed and " + use.Blocked
		}
		snap.addReaders(use, "var "+name, r)
	}
	snap.Vars = sums
	return ""
}

// addReaders adds a var's (or an env var's, or --full-refresh's: what,
// as a reason names it) readers that are in the snapshot to r.
func (snap *patchSnapshot) addReaders(use varUse, what string, r *varReaders) {
	for _, ni := range use.Callers {
		if ni >= 0 && ni < len(snap.Nodes) {
			r.nodes = append(r.nodes, ni)
		}
	}
	for _, di := range use.Disabled {
		if di >= 0 && di < len(snap.DisabledModels) {
			r.disabled = append(r.disabled, di)
		}
	}
	for _, id := range use.Tests {
		if r.tests == nil {
			r.tests = map[string]string{}
		}
		if _, ok := r.tests[id]; !ok {
			r.tests[id] = what
		}
	}
}

// changedEnv says who reads the env vars that changed (VarUse, under
// envKey): the patchable models (indexes in Nodes) and the disabled ones
// (places in DisabledModels), or why a change cannot be patched (one read
// outside the renders, or by a node that is not patchable; a snapshot that
// does not know who reads it).
func (snap *patchSnapshot) changedEnv(names []string, r *varReaders) (why string) {
	for _, name := range names {
		use, ok := snap.VarUse[envKey+name]
		switch {
		case !ok:
			return "env var " + name + " changed"
		case use.Blocked != "":
			return "env var " + name + " changed and " + use.Blocked
		}
		snap.addReaders(use, "env var "+name, r)
	}
	return ""
}

// macroAdded says why a macro added under a qualified name ("name" or
// "package.name") cannot be patched ("" when it can): a lookup made so far
// missed that name, or listed its namespace (macroNamespace), and would
// find it now; or macroChangeBlocked.
func (snap *patchSnapshot) macroAdded(name string) string {
	misses := []string{name, "*"}
	if pkg, _, ok := strings.Cut(name, "."); ok {
		// its namespace read, or looked for while the package had no
		// macros (and so no namespace: the name missed as any other)
		misses = []string{name, pkg + ".*", pkg}
	}
	for _, miss := range misses {
		if _, found := slices.BinarySearch(snap.Misses, miss); found {
			return "a render looked for it"
		}
	}
	return snap.macroChangeBlocked(name)
}

// macroRemoved says why a macro (by qualified name) no longer defined
// where it was cannot be patched ("" when it can): a render found it other
// than by calling it, or read its namespace, so that the renders that
// called it (which render again) are not all whose output it changes;
// without it a lookup of its name finds one of mart's (it overrode a
// builtin, which macros and settings are keyed by: globalParseKey); or
// macroChangeBlocked.
func (snap *patchSnapshot) macroRemoved(name string, engine *jinja.Engine) string {
	if _, found := slices.BinarySearch(snap.Found, name); found {
		return "a render found it without calling it"
	}
	ns := "*"
	if pkg, _, ok := strings.Cut(name, "."); ok {
		ns = pkg + ".*"
	}
	if _, found := slices.BinarySearch(snap.Misses, ns); found {
		return "a render read its namespace"
	}
	if !strings.Contains(name, ".") {
		if _, builtin := slices.BinarySearch(engine.MacroNames(), name); builtin && engine.Macro(name).Builtin() {
			return "it overrode mart's"
		}
	}
	return snap.macroChangeBlocked(name)
}

// macroChangeBlocked says why a macro added or removed (by qualified
// name) compiles the whole project whether or not renders looked for it:
// it is named as naming macros are, whose files a compile blocks; the
// compile failed (an unknown name's suggestions list the macros) or said
// something that names it; or a model reads graph, whose macros it
// changes. "" when none is so.
func (snap *patchSnapshot) macroChangeBlocked(name string) string {
	short := name[strings.IndexByte(name, '.')+1:]
	if namingMacroName(short) {
		return "it is a naming macro (macroFiles)"
	}
	for _, d := range snap.Diags {
		if d.Severity == SevError || strings.Contains(d.Summary, short) || strings.Contains(d.Detail, short) {
			return "the compile said something of it, or failed"
		}
	}
	if len(snap.Warehouse) > 0 {
		return "models read graph or query the warehouse while they render"
	}
	return ""
}

// saidIn says whether the compile said something located in file.
func (snap *patchSnapshot) saidIn(file string) bool {
	for _, d := range snap.Diags {
		if d.File == file {
			return true
		}
	}
	return false
}

// namingMacroName says whether a macro is named as naming macros are
// (generate_schema_name, generate_alias_name...), whose files a snapshot
// blocks.
func namingMacroName(name string) bool {
	return strings.HasPrefix(name, "generate_") && strings.HasSuffix(name, "_name")
}

// insertFiles adds files to the snapshot's, each after the file whose path
// beside gives (one of its directory: the files stay in runs of one
// directory, dirRuns), in path order.
// A file whose beside path is gone (the same save removed it, and
// editModels took it out) goes after the last file of its directory
// before it in path order, or before the first, or last of all when its
// directory has none (found by review: it was dropped, and an edit of it
// in place then went unseen).
func (snap *patchSnapshot) insertFiles(beside []string, files []fileStat) {
	present := make(map[string]bool, len(snap.Files))
	for _, f := range snap.Files {
		present[f.Path] = true
	}
	after := map[string][]fileStat{}
	var orphans []fileStat
	for i, f := range files {
		if present[beside[i]] {
			after[beside[i]] = append(after[beside[i]], f)
		} else {
			orphans = append(orphans, f)
		}
	}
	out := make([]fileStat, 0, len(snap.Files)+len(files))
	for _, f := range snap.Files {
		out = append(out, f)
		add := after[f.Path]
		sort.Slice(add, func(a, b int) bool { return add[a].Path < add[b].Path })
		out = append(out, add...)
	}
	for _, o := range orphans {
		dir := fileDir(o.Path)
		at, first := -1, -1
		for i, f := range out {
			if fileDir(f.Path) != dir {
				continue
			}
			if first < 0 {
				first = i
			}
			if f.Path < o.Path {
				at = i + 1
			}
		}
		switch {
		case at >= 0:
		case first >= 0:
			at = first
		default:
			at = len(out)
		}
		out = slices.Insert(out, at, o)
	}
	snap.Files = out
}

// addedPaths are the paths of added files.
func addedPaths(files []addedFile) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.path
	}
	return out
}

// unionSorted merges two sorted lists of strings, without duplicates.
func unionSorted(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}

// readOutsideRenders is why a change of a var read outside renders
// (varRead) is not patched.
const readOutsideRenders = "a YAML, project or profiles file, or a naming macro, reads it"

// saidOf says whether the compile said something in a node's file or in a
// macro file (where a config() call in a macro puts its warnings), or, with
// named, anything that names the node.
func (snap *patchSnapshot) saidOf(n *Node, named bool) bool {
	for _, d := range snap.Diags {
		if d.File == n.Path || snap.isMacroFile(d.File) ||
			named && (strings.Contains(d.Summary, strconv.Quote(n.Name)) || strings.Contains(d.Detail, n.Name)) {
			return true
		}
	}
	return false
}

// watchNaming blocks what the patch's compile reached outside renders as
// the whole compile's snapshot blocks it (macroFiles, varUses): a naming
// macro that set a relation of a model added or reconfigured may have
// taken a branch the whole compile never took, calling macros and reading
// vars that no render reads; an edit of those changes that relation, so
// it compiles the whole project from now on.
func (snap *patchSnapshot) watchNaming(c *compilation) {
	var used []string
	c.namingUsed.Range(func(k, _ any) bool { used = append(used, k.(string)); return true })
	if len(used) > 0 {
		slices.Sort(used) // (the reason names the first of a file's)
		fileOf, _ := c.macroPlaces()
		for _, name := range used {
			file, ok := fileOf[name]
			if mf, known := snap.MacroFiles[file]; ok && known && mf.Blocked == "" {
				mf.Blocked, mf.Macros = "a naming macro calls "+name, nil
				snap.MacroFiles[file] = mf
			}
		}
	}
	block := func(k, _ any) bool {
		name := k.(string)
		if u := snap.VarUse[name]; u.Blocked == "" {
			if snap.VarUse == nil {
				snap.VarUse = map[string]varUse{}
			}
			snap.VarUse[name] = varUse{Blocked: readOutsideRenders}
		}
		return true
	}
	varRead.Range(block)
	envReadOutside.Range(func(k, v any) bool { return block(envKey+k.(string), v) })
}

// readsVars records that patchable model ni's render may read vars (its
// text or macros changed: it may read one it did not).
func (snap *patchSnapshot) readsVars(ni int, vars []string) {
	for _, v := range vars {
		use := snap.VarUse[v]
		if use.Blocked == "" && !slices.Contains(use.Callers, ni) {
			use.Callers = append(use.Callers, ni)
			if snap.VarUse == nil {
				snap.VarUse = map[string]varUse{}
			}
			snap.VarUse[v] = use
		}
	}
}
