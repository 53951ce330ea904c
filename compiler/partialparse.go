package compiler

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler/jinja"
)

// Partial parsing: target/partial_parse.gob keeps what each template's
// render recorded (its compiled text with ref() placeholders, config,
// refs, sources, macros called, warnings), with the facts that render
// depended on. A later compile re-renders only the templates whose facts
// changed; every other step (relation names, generic tests, ref
// resolution, ephemeral inlining, the manifest) runs as in a cold compile,
// from the same values, so the output is the same bytes.
//
// A cached render is used only when all of these hold:
//   - the cache's global key matches: its format, the mart binary, the
//     project's settings (mart.yml without its vars, packages), the
//     target, --full-refresh, and the names of every macro (which macro a
//     call or adapter.dispatch finds);
//   - the node's own key matches: its file's checksum, path, unique id,
//     version, the config it has before rendering (folder and YAML
//     config) and the relation `this` names;
//   - its Fingerprint (the macros it called, transitively, by checksum;
//     the vars and env vars their text and its own read, by value) is the
//     one it had, and each macro is still where it was (file, line);
//   - every ref() and source() it called finds the same relation.
//
// A render that may read something else is never kept: one that needs
// the warehouse or `graph` (RunTimeRender), one whose text or macros name
// run_started_at, invocation_id or modules, call var() or env_var() with
// a computed name (or use them as values), or read a secret-looking env
// var (its value is not fingerprinted), or a config value of a type the
// cache cannot carry exactly. Generic tests are not cached (they are
// rendered from YAML without a template, mostly as SQL text already).

// partialParseNote starts the warning on a cache that is not used.
const partialParseNote = "partial-parse cache ignored"

// ParseCacheFile is the partial-parse cache's name in the target directory.
const ParseCacheFile = "partial_parse.gob"

// parseCacheMagic starts the file; the format version follows it. Bump
// parseCacheFormat whenever what is cached, or how, changes.
const (
	parseCacheMagic  = "mart partial-parse cache\n"
	parseCacheFormat = 5 // 5: a CRC-32C ends it, not a sha256
)

// parseCache is the file's content.
type parseCache struct {
	Build   string // the mart binary that wrote it (buildIdentity)
	Project string // the project's directory
	Global  string // globalParseKey
	Entries map[string]*cachedRender
	// Misses: the macro names lookups missed (jinja.Engine.Misses) in the
	// compiles that rendered the entries, which a compile reusing them
	// records as its own: a snapshot must know every lookup of the
	// renders it holds (patchSnapshot's Misses)
	Misses []string
	// Found: the macros they found other than in a call
	// (jinja.Engine.Found), kept as Misses are (patchSnapshot's Found)
	Found []string
}

// cachedRender is one node's render and the facts it depended on.
type cachedRender struct {
	Key         string // nodeRenderKey
	Observed    string // observedKey: the relations its ref() and source() found
	Extra       string // depsExtra: macro positions, var values in its package
	Fingerprint Fingerprint
	HasPrint    bool // Fingerprint was not nil
	Macros      []string

	Code     string
	Config   map[string]any
	Refs     []RefCall
	Sources  [][]string
	Targets  []string
	Warnings Diagnostics
	CallPos  []cachedPos
	ConfigAt map[string]configCall
}

type cachedPos struct {
	Key string
	At  jinja.Pos
}

func init() {
	gob.Register([]any{})
	gob.Register(map[string]any{})
	gob.Register([]string{})
	gob.Register(time.Time{})
}

// partialParse is one compile's use of the cache.
type partialParse struct {
	file    string
	loaded  chan struct{} // closed when old (or note) is set
	old     *parseCache
	note    string // why the cache on disk is ignored ("" when it is not, or when there is none)
	global  string
	entries map[string]*cachedRender // what this compile keeps, by unique id
	hits    int
	mu      sync.Mutex
	// globalParts: global's parts (the patch snapshot's, to say what
	// changed when a patch finds another key)
	globalParts globalParts
	// fresh: there was no cache this compile could use; a run's compile
	// that keeps a patch snapshot then writes one all the same (keepRender,
	// Compile)
	fresh bool
	// everyTime: the models a compile that keeps a patch snapshot found
	// volatile (their text or a macro they call reads run_started_at,
	// invocation_id, modules, or var()/env_var() with a computed name),
	// which a patch renders again every time (patch.go); never cached
	everyTime map[string]bool
	// warehouse: those of everyTime that query the warehouse while they
	// render (RunTimeRender), which a patch renders against it
	warehouse map[string]bool
	// variantsKnown: the variants of shared names (by variantID) whose
	// renders could be cached, were they not variants (keepRender)
	variantsKnown map[string]bool
}

// startPartialParse starts reading the cache of the project's target
// directory, in the background.
func (c *compilation) startPartialParse() {
	pp := &partialParse{file: filepath.Join(c.project.targetDir(), ParseCacheFile), loaded: make(chan struct{}), entries: map[string]*cachedRender{}}
	c.pp = pp
	go func() {
		defer close(pp.loaded)
		pc, err := readParseCache(pp.file)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			pp.note = err.Error()
		case pc.Build != buildIdentity():
			pp.note = "it was written by another mart binary"
		case pc.Project != c.project.Dir:
			pp.note = "it was written for another project (" + pc.Project + ")"
		default:
			pp.old = pc
		}
	}()
}

// usePartialParse waits for the cache and keeps its entries when its
// global key is this compile's. Called once the macros are known.
func (c *compilation) usePartialParse() {
	pp := c.pp
	<-pp.loaded
	pp.global, pp.globalParts = c.globalParse(nil, nil)
	if pp.note != "" {
		rel, err := filepath.Rel(c.project.Dir, pp.file)
		if err != nil {
			rel = pp.file
		}
		c.addDiag(warnf(filepath.ToSlash(rel), 0, 0, "%s: %s; every template is rendered", partialParseNote, pp.note))
	}
	if pp.global == "" {
		c.pp = nil // the settings cannot be hashed: no cache this time
		return
	}
	if pp.old != nil && pp.old.Global != pp.global {
		pp.old = nil
	}
	if pp.old != nil {
		c.engine.NoteMisses(pp.old.Misses)
		c.engine.NoteFounds(pp.old.Found)
	}
	pp.fresh = pp.old == nil
}

// readParseCache reads and decodes a cache file.
func readParseCache(file string) (*parseCache, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	head := parseCacheMagic + strconv.Itoa(parseCacheFormat) + "\n"
	if !bytes.HasPrefix(data, []byte(head)) {
		if bytes.HasPrefix(data, []byte(parseCacheMagic)) {
			return nil, fmt.Errorf("it has another format version")
		}
		return nil, fmt.Errorf("it is not a mart partial-parse cache")
	}
	body, err := checkSummed(data)
	if err != nil {
		return nil, err
	}
	var pc parseCache
	if err := gob.NewDecoder(bytes.NewReader(body[len(head):])).Decode(&pc); err != nil {
		return nil, fmt.Errorf("it is unreadable (%v)", err)
	}
	if pc.Entries == nil {
		pc.Entries = map[string]*cachedRender{}
	}
	return &pc, nil
}

// writeParseCache writes a cache file through a temporary file, renamed
// into place: a reader never sees half a file, and concurrent writers
// leave one whole file.
func writeParseCache(file string, pc *parseCache) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return replaceFile(file, 1<<20, true, func(w io.Writer) error {
		if _, err := io.WriteString(w, parseCacheMagic+strconv.Itoa(parseCacheFormat)+"\n"); err != nil {
			return err
		}
		return gob.NewEncoder(w).Encode(pc)
	})
}

// replaceFile writes a file through a temporary file beside it (0600),
// renamed over it once fill wrote it whole: a reader never sees half a
// file, and concurrent writers leave one whole file. With summed, the
// file ends with the CRC-32C of what fill wrote (checkSummed reads it).
//
// The sum finds damage (a disk's, or an edit by hand), as block checksums
// do in databases: the rename already keeps a crash from leaving half a
// file, and a file that is whole but another build's or project's is told
// by its content. CRC-32C runs in hardware at over 10 GB/s; sha256, used
// before, took about 3 ms of a 100 ms warm compile to check the 2 MB
// patch snapshot, and 1 ms to write it (read snapshot 9.8 -> 6.9 ms,
// patch snapshot 4.3 -> 3.1 ms, means of 10 runs).
func replaceFile(file string, bufSize int, summed bool, fill func(w io.Writer) error) error {
	return replaceFileStat(file, bufSize, summed, fill, nil)
}

// replaceFileStat is replaceFile that sets *st (when st is not nil) to the
// new file's stat: the file it put in place, whatever replaces it later.
func replaceFileStat(file string, bufSize int, summed bool, fill func(w io.Writer) error, st *fileStat) error {
	f, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, bufSize)
	var w io.Writer = bw
	h := crc32.New(crcTable)
	if summed {
		w = io.MultiWriter(bw, h)
	}
	err = fill(w)
	if err == nil && summed {
		_, err = bw.Write(h.Sum(nil)) // (big-endian)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && st != nil {
		*st, err = statOfFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// checkSummed returns what replaceFile wrote with summed, without its
// CRC-32C, or an error when the sum does not match (a damaged file).
func checkSummed(data []byte) ([]byte, error) {
	if len(data) < crc32.Size {
		return nil, fmt.Errorf("it is truncated")
	}
	body := data[:len(data)-crc32.Size]
	if crc32.Checksum(body, crcTable) != binary.BigEndian.Uint32(data[len(body):]) {
		return nil, fmt.Errorf("its checksum does not match (damaged)")
	}
	return body, nil
}

// buildIdentity names the running mart binary: its module version and VCS
// revision, and the Go build ID the linker put in it (a hash of its
// content, so `go run` builds of the same source share it), or else the
// executable's path, size and modification time. A rebuilt binary never
// trusts an older one's renders.
var buildIdentity = sync.OnceValue(func() string {
	var b strings.Builder
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.GoVersion + " " + bi.Main.Path + "@" + bi.Main.Version)
		for _, s := range bi.Settings {
			if strings.HasPrefix(s.Key, "vcs.") {
				b.WriteString(" " + s.Key + "=" + s.Value)
			}
		}
	}
	// the running executable: /proc/self/exe is it even once a new build
	// replaced its path
	exe := "/proc/self/exe"
	if _, err := os.Stat(exe); err != nil {
		if exe, err = os.Executable(); err != nil {
			return b.String()
		}
	}
	// a Go build ID is action/content hashes ("a/b" or "a/b/c/d"); one
	// set by hand (-ldflags=-buildid=x) may be the same for every build
	if id := goBuildID(exe); strings.Count(id, "/") == 1 || strings.Count(id, "/") == 3 {
		return b.String() + " go build id " + id
	}
	if fi, err := os.Stat(exe); err == nil {
		fmt.Fprintf(&b, " %s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String()
})

// goBuildID reads the Go build ID of an ELF executable (its
// .note.go.buildid note), "" when it has none.
func goBuildID(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	data, err := sec.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	// namesz, descsz, type, then the name "Go\0\0" and the ID
	namesz, descsz := f.ByteOrder.Uint32(data[0:]), f.ByteOrder.Uint32(data[4:])
	start := 12 + (namesz+3)&^3
	if namesz != 4 || string(data[12:14]) != "Go" || uint64(start)+uint64(descsz) > uint64(len(data)) {
		return ""
	}
	return string(data[start : start+descsz])
}

// globalParseKey hashes what every render may read besides its own
// inputs: the project's settings without its vars (those are compared per
// node), installed packages, the target, --full-refresh, the dialect and
// the names of every macro; added names macros to leave out and removed
// macros to count in, as the project's (qualified names: a patch compares
// the key with the snapshot's without the macros it adds, and with those
// it removes).
func (c *compilation) globalParseKey(added, removed map[string]string) string {
	key, _ := c.globalParse(added, removed)
	return key
}

// globalParts are what the global parse key hashes, each part hashed
// alone, with the target's name and the run's options as they are: a
// patch whose key differs from its snapshot's says which changed
// (whyGlobal).
type globalParts struct {
	Settings, Target, Run, Macros, Zone string
	TargetName                          string
	FullRefresh, Empty                  bool
}

// globalParse is globalParseKey and its parts ("" and no parts when the
// settings cannot be hashed).
func (c *compilation) globalParse(added, removed map[string]string) (string, globalParts) {
	return c.globalParseAs(c.opt.FullRefresh, added, removed)
}

// globalParseAs is globalParse with fullRefresh as --full-refresh: a
// patch compares its snapshot's key as of the snapshot's option, whose
// change it follows (changedFullRefresh).
func (c *compilation) globalParseAs(fullRefresh bool, added, removed map[string]string) (string, globalParts) {
	h := sha256.New()
	var parts globalParts
	// each part goes into the key and into a hash of its own
	var ph hash.Hash
	start := func() { ph = sha256.New() }
	end := func(to *string) { *to = hex.EncodeToString(ph.Sum(nil)[:8]) }
	write := func(b []byte) { h.Write(b); ph.Write(b) }
	proj := withoutVars(c.project)
	t := c.target
	parts.TargetName, parts.FullRefresh, parts.Empty = t.Name, fullRefresh, c.opt.Empty
	// secrets masked: no hash of a password in target/ (they never reach
	// compiled SQL, so a changed one changes no render)
	for i, v := range []any{proj, []any{t.Name, t.Profile, t.Type, t.Threads, MaskSecrets(t.Settings, "<secret>"), t.File, t.Target, c.targetValue},
		[]any{fullRefresh, c.dialect.Name(), c.opt.Empty}} {
		b, err := json.Marshal(v)
		if err != nil {
			return "", globalParts{} // cannot be compared: no cache
		}
		start()
		write(fmt.Appendf(nil, "%d\n", len(b)))
		write(b)
		end([]*string{&parts.Settings, &parts.Target, &parts.Run}[i])
	}
	// the macros as they were before added ones (skipped) and removed
	// ones (written back, as the project's; one moved is both)
	start()
	names := c.engine.MacroNames()
	var pkgNames []string
	for _, pkg := range c.engine.Packages() {
		for _, name := range c.engine.PackageMacros(pkg) {
			pkgNames = append(pkgNames, pkg+"."+name)
		}
	}
	for name := range removed {
		list := &names
		if strings.Contains(name, ".") {
			list = &pkgNames
		}
		if i, found := slices.BinarySearchFunc(*list, name, compareQualified); !found {
			*list = slices.Insert(*list, i, name)
		}
	}
	for _, name := range names {
		if _, gone := removed[name]; gone {
			write(fmt.Appendf(nil, "macro %s %v\n", name, false))
		} else if _, skip := added[name]; !skip {
			write(fmt.Appendf(nil, "macro %s %v\n", name, c.engine.Macro(name).Builtin()))
		}
	}
	for _, name := range pkgNames {
		_, gone := removed[name]
		if _, skip := added[name]; gone || !skip {
			write(fmt.Appendf(nil, "macro %s\n", name))
		}
	}
	end(&parts.Macros)
	// the local time zone: a deprecation_date without an offset is a
	// time of it (found by review: a patch kept the old offset)
	start()
	write(fmt.Appendf(nil, "zone %s\n", localZone()))
	end(&parts.Zone)
	return hex.EncodeToString(h.Sum(nil)), parts
}

// whyGlobal says what changed between the global parts a snapshot was
// made with (was) and a patch's (now), for a user (--debug).
func whyGlobal(was, now globalParts) string {
	switch {
	case was.Settings == "": // (not known)
	case was.TargetName != now.TargetName:
		return fmt.Sprintf("the target changed (%s, then %s)", was.TargetName, now.TargetName)
	case was.Target != now.Target:
		return "target " + now.TargetName + "'s profile changed"
	case was.FullRefresh != now.FullRefresh:
		return fmt.Sprintf("--full-refresh changed (%v, then %v)", was.FullRefresh, now.FullRefresh)
	case was.Empty != now.Empty:
		return fmt.Sprintf("--empty changed (%v, then %v)", was.Empty, now.Empty)
	case was.Run != now.Run:
		return "the target's SQL dialect changed"
	case was.Settings != now.Settings:
		return "the settings of the project file, or of a package's, changed (not its vars, folder configs or hooks)"
	case was.Macros != now.Macros:
		return "the macros changed in a way a patch does not follow (a package's, or one that overrides a built-in macro)"
	case was.Zone != now.Zone:
		return "the local time zone changed"
	}
	return "macros or settings changed"
}

// localZone identifies the time zone Go takes as the local one, with its
// rules: $TZ as set and the zone file it names, else /etc/localtime
// (time.Local's sources on Unix), by their bytes' hash (a tzdata update
// changes a zone's rules under its name).
var localZone = sync.OnceValue(func() string {
	file, id := "/etc/localtime", ""
	if tz, ok := os.LookupEnv("TZ"); ok {
		id = "TZ=" + tz + " "
		file = strings.TrimPrefix(tz, ":")
		if !filepath.IsAbs(file) {
			file = filepath.Join("/usr/share/zoneinfo", file)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return id + "no zone file"
	}
	sum := sha256.Sum256(b)
	return id + hex.EncodeToString(sum[:8])
})

// compareQualified orders macros' qualified names as the engine lists
// them: by package, then by name.
func compareQualified(a, b string) int {
	pa, na, _ := strings.Cut(a, ".")
	pb, nb, _ := strings.Cut(b, ".")
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	return strings.Compare(na, nb)
}

// withoutVars is a copy of a project, and of its packages, without their
// vars: a render's var reads are compared per node (depsExtra, with the
// values its package sees), and a var JSON cannot encode (.nan, .inf)
// would leave the project without a key. Its on-run-start and on-run-end
// hooks and airflow: settings go too: no render reads them (settingsSum).
func withoutVars(p *Project) Project {
	q := *p
	q.Vars = nil
	q.OnRunStart, q.OnRunEnd, q.Airflow = nil, nil, nil
	q.Packages = make([]*Project, len(p.Packages))
	for i, pkg := range p.Packages {
		stripped := withoutVars(pkg)
		q.Packages[i] = &stripped
	}
	return q
}

// renderKey is nodeRenderKey when the node's render may be cached ("" when
// not: no cache, or a generic test, which has no template).
func (c *compilation) renderKey(n *Node) string {
	if c.pp == nil || n.testCall != nil || c.sharesName(n) {
		return "" // (nodes that share a name share an id: none is cached)
	}
	key, _ := nodeRenderKey(n)
	return key
}

// nodeRenderKey hashes a node's own render inputs: its text (checksum),
// identity, path, version, config before rendering, and the relation
// `this` names.
func nodeRenderKey(n *Node) (string, bool) {
	bp := keyBufs.Get().(*[]byte)
	b, key, ok := appendRenderKey((*bp)[:0], n)
	*bp = b[:0]
	keyBufs.Put(bp)
	return key, ok
}

func appendRenderKey(b []byte, n *Node) ([]byte, string, bool) {
	for _, s := range [...]string{n.UniqueID, n.ResourceType, n.Name, n.Package, n.Path, n.Version, n.LatestVersion,
		n.Checksum.Name, n.Checksum.Checksum, n.Database, n.Schema, n.Alias, n.Relation} {
		b = appendString(b, s)
		b = append(b, ',')
	}
	b = appendStrings(b, n.FQN)
	b = fmt.Appendf(b, ",%d,%d,", n.relationAt[0], n.relationAt[1])
	var err error
	if b, err = appendAny(b, map[string]any(n.Config)); err != nil {
		return b, "", false
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), true
}

// keyBufs are nodeRenderKey's buffers: 10,000 keys made in parallel
// allocate a few.
var keyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// observedKey hashes what the node's ref() and source() calls found: the
// relation each target names while templates render (before final
// configs), as ref('x').identifier and friends read it.
func (c *compilation) observedKey(targets []string) string {
	h := sha256.New()
	for _, key := range targets {
		switch {
		case key == "this":
			continue // in the node's key
		case strings.HasPrefix(key, "ref:"):
			if t := c.refTarget(strings.TrimPrefix(key, "ref:")); t != nil {
				fmt.Fprintf(h, "%q=%q %q %q %q\n", key, t.UniqueID, t.Database, t.Schema, t.Alias)
				continue
			}
		case strings.HasPrefix(key, "source:"):
			if s := c.sources[strings.TrimPrefix(key, "source:")]; s != nil {
				fmt.Fprintf(h, "%q=%q %q %q %q\n", key, s.UniqueID, s.Database, s.Schema, s.Identifier)
				continue
			}
		}
		fmt.Fprintf(h, "%q=<none>\n", key)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// depsExtra hashes what the Fingerprint leaves out: where each macro the
// render called is (a warning inside one names its file and line), and
// the values of the vars it reads as the node's package sees them.
func (c *compilation) depsExtra(n *Node, macros []string, f *Fingerprint) (string, bool) {
	h := sha256.New()
	for _, name := range macros {
		m := c.macroByQualifiedName(name)
		if m == nil {
			return "", false
		}
		fmt.Fprintf(h, "macro %q %q %d\n", name, m.File, m.Line)
	}
	if f != nil && len(f.VarNames) > 0 {
		vars := c.project.varsOfPackage(n.Package)
		for _, v := range f.VarNames {
			val, ok := vars[v]
			if !ok {
				fmt.Fprintf(h, "var %q unset\n", v)
				continue
			}
			b, ok := typedAny(nil, val) // with its type: 1 and 1.0 render differently
			if !ok {
				return "", false
			}
			fmt.Fprintf(h, "var %q=%s\n", v, b)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// cachedState returns the node's render from the cache when every fact it
// depended on is unchanged, else nil.
// key is nodeRenderKey(n), taken before anything renders n.
func (c *compilation) cachedState(n *Node, key string) *renderState {
	pp := c.pp
	if pp == nil || pp.old == nil || key == "" {
		return nil
	}
	e := pp.old.Entries[n.UniqueID]
	if e == nil || e.Key != key {
		return nil
	}
	if c.observedKey(e.Targets) != e.Observed {
		return nil
	}
	f := c.fingerprint(n, e.Macros)
	if (f != nil) != e.HasPrint || f != nil && !sameFingerprint(*f, e.Fingerprint) {
		return nil
	}
	if extra, ok := c.depsExtra(n, e.Macros, f); !ok || extra != e.Extra {
		return nil
	}
	st := &renderState{node: n, config: restoredMap(e.Config), refs: append([]RefCall(nil), e.Refs...),
		targets: append([]string(nil), e.Targets...), warnings: append(Diagnostics(nil), e.Warnings...),
		macros: append([]string(nil), e.Macros...), fingerprint: f, fingerprinted: true}
	for _, s := range e.Sources {
		st.sources = append(st.sources, append([]string(nil), s...))
	}
	for _, p := range e.CallPos {
		st.callPos = append(st.callPos, callPos{key: p.Key, at: p.At})
	}
	if e.ConfigAt != nil {
		st.configAt = make(map[string]configCall, len(e.ConfigAt))
		for k, v := range e.ConfigAt {
			st.configAt[k] = configCall{At: v.At, Set: restoredValue(v.Set)}
		}
	}
	n.CompiledCode = e.Code
	n.Config = Config(st.config)
	n.rerender = true
	pp.mu.Lock()
	pp.entries[n.UniqueID] = e
	pp.hits++
	pp.mu.Unlock()
	return st
}

func sameFingerprint(a, b Fingerprint) bool {
	return a.Macros == b.Macros && a.Vars == b.Vars && strings.Join(a.VarNames, "\x00") == strings.Join(b.VarNames, "\x00") &&
		strings.Join(a.EnvVarNames, "\x00") == strings.Join(b.EnvVarNames, "\x00")
}

// keepRender records a fresh render in the cache, unless it may depend on
// something the cache's keys do not cover. Called right after the render,
// while ref() targets still name what the render saw; key is the node's
// nodeRenderKey from before the render (which changes its config).
func (c *compilation) keepRender(n *Node, key string, st *renderState) {
	pp := c.pp
	if pp == nil {
		return
	}
	// a variant of a shared name is never cached (variants share an id):
	// a compile that keeps a patch snapshot notes whether its render could
	// be, not volatile, as the snapshot must know every render's inputs
	// (patchSnapshot; no patch renders a variant again)
	variant := key == "" && c.inv != nil && c.sharesName(n)
	if key == "" && !variant {
		return
	}
	// a model that queries the warehouse while it renders is never cached
	// either: a patch renders it again every time, against the warehouse,
	// as the whole compile does (CompileByPatch), unless it may read graph
	introspective := st.needsWarehouse || n.RunTimeRender
	volatile := introspective || volatileText(n.RawCode)
	for _, name := range st.macros {
		volatile = volatile || c.macroFacts[name].volatile
	}
	// a volatile model's render is never cached; a patch can render it
	// again every time, unless it may read graph (a patch has no graph)
	if volatile && (c.inv == nil || variant || !c.everyTimeOK(n, st)) {
		return
	}
	if !cacheableValue(st.config) {
		return
	}
	for _, call := range st.configAt {
		if !cacheableValue(call.Set) {
			return
		}
	}
	f := c.fingerprint(n, st.macros)
	st.fingerprint, st.fingerprinted = f, true
	if f != nil {
		for _, e := range f.EnvVarNames {
			if IsSecretKey(e) {
				return // its value is not in the fingerprint
			}
		}
	}
	if variant {
		pp.mu.Lock()
		if pp.variantsKnown == nil {
			pp.variantsKnown = map[string]bool{}
		}
		pp.variantsKnown[variantID(n)] = true
		pp.mu.Unlock()
		return
	}
	if volatile {
		pp.mu.Lock()
		if pp.everyTime == nil {
			pp.everyTime = map[string]bool{}
		}
		pp.everyTime[n.UniqueID] = true
		if introspective {
			if pp.warehouse == nil {
				pp.warehouse = map[string]bool{}
			}
			pp.warehouse[n.UniqueID] = true
		}
		pp.mu.Unlock()
		return
	}
	if c.inv != nil && !(pp.fresh && c.opt.PatchForRun) {
		// a compile that keeps a patch snapshot writes no render cache
		// (Compile) unless there was none: what it needs is that the
		// render could be cached
		pp.mu.Lock()
		pp.entries[n.UniqueID] = &cachedRender{Key: key}
		pp.mu.Unlock()
		return
	}
	extra, ok := c.depsExtra(n, st.macros, f)
	if !ok {
		return
	}
	e := &cachedRender{Key: key, Observed: c.observedKey(st.targets), Extra: extra, Macros: st.macros,
		Code: n.CompiledCode, Config: deepCopyMap(st.config), Refs: append([]RefCall(nil), st.refs...),
		Targets: append([]string(nil), st.targets...), Warnings: append(Diagnostics(nil), st.warnings...)}
	if f != nil {
		e.Fingerprint, e.HasPrint = *f, true
	}
	for _, s := range st.sources {
		e.Sources = append(e.Sources, append([]string(nil), s...))
	}
	for _, p := range st.callPos {
		e.CallPos = append(e.CallPos, cachedPos{Key: p.key, At: p.at})
	}
	if st.configAt != nil {
		e.ConfigAt = make(map[string]configCall, len(st.configAt))
		for k, v := range st.configAt {
			e.ConfigAt[k] = configCall{At: v.At, Set: deepCopy(v.Set)}
		}
	}
	pp.mu.Lock()
	pp.entries[n.UniqueID] = e
	pp.mu.Unlock()
}

// everyTimeOK tells whether a patch can render the volatile model n again
// every time: a model whose text and macros do not name graph. The
// snapshot's compile asks it (keepRender), and each patch again of the
// render it made.
func (c *compilation) everyTimeOK(n *Node, st *renderState) bool {
	if n.ResourceType != TypeModel || namesWord(n.RawCode, "graph") {
		return false
	}
	for _, name := range st.macros {
		if c.macroFacts[name].graph {
			return false
		}
	}
	return true
}

// pendingParseCache is the cache to write with target/ after a successful
// compile (nil when it would not change).
func (c *compilation) pendingParseCache() *pendingCache {
	pp := c.pp
	if pp == nil {
		return nil
	}
	if pp.old != nil && pp.hits == len(pp.entries) && len(pp.old.Entries) == pp.hits {
		return nil // every render reused, none gone: the file holds this already
	}
	return &pendingCache{file: pp.file, pc: &parseCache{Build: buildIdentity(), Project: c.project.Dir, Global: pp.global, Entries: pp.entries,
		Misses: c.engine.Misses(), Found: c.engine.Found()}}
}

// pendingCache is a cache a Result writes with target/ (WriteTarget): a
// command that fails or writes nothing leaves target/ as it was.
type pendingCache struct {
	file string
	pc   *parseCache
}

// cacheableValue reports whether v holds only types the cache carries
// exactly (gob keeps each concrete type: int stays int, int64 int64).
func cacheableValue(v any) bool {
	switch x := v.(type) {
	case nil, string, bool, int, int64, float64:
		return true
	case time.Time: // a YAML date or timestamp (microbatch begin:): UTC, as the YAML parser makes it
		return x.Location() == time.UTC && x == x.Round(0)
	case []string:
		return x != nil
	case []any:
		if x == nil {
			return false
		}
		for _, e := range x {
			if !cacheableValue(e) {
				return false
			}
		}
		return true
	case map[string]any:
		if x == nil {
			return false
		}
		for _, e := range x {
			if !cacheableValue(e) {
				return false
			}
		}
		return true
	}
	return false
}

// restoredMap is a deep copy of a config read from the cache, where gob
// turned empty lists and maps into nil ones: cacheableValue keeps nil ones
// out of the cache, so each nil was an empty one.
func restoredMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = restoredValue(v)
	}
	return out
}

func restoredValue(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = restoredValue(e)
		}
		return out
	case []string:
		return append([]string{}, x...)
	case map[string]any:
		return restoredMap(x)
	}
	return v
}

func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case []any:
		if x == nil {
			return x
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case []string:
		if x == nil {
			return x
		}
		return append([]string{}, x...)
	case map[string]any:
		return deepCopyMap(x)
	}
	return v
}

// volatileWords are names whose value may change between two compiles of
// the same files: a render that mentions one is never cached.
var volatileWords = []string{"run_started_at", "invocation_id", "modules", "graph"}

// volatileText reports whether a template or macro text may render
// differently with the same files, vars and env vars: it names a value
// that changes between runs, or calls var() or env_var() other than with
// a literal name (a computed name is not in the Fingerprint), or uses
// them as values.
func volatileText(text string) bool {
	for _, w := range volatileWords {
		if strings.Contains(text, w) {
			return true
		}
	}
	return nonLiteralCall(text, "var") || nonLiteralCall(text, "env_var")
}
