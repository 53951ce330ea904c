package compiler

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/mart-dev/mart/internal/gcpace"
	"github.com/mart-dev/mart/internal/phase"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

// Options configure one compilation.
type Options struct {
	ProjectDir  string
	ProfilesDir string
	Target      string
	// Profile names the profile of profiles.yml to use instead of the
	// project file's `profile:` (--profile)
	Profile string
	// TargetPath overrides the project file's target-path (--target-path,
	// DBT_TARGET_PATH): where target/ is written for this run
	TargetPath  string
	Vars        map[string]any
	FullRefresh bool
	// Empty: ref() and source() read no rows (dbt's --empty): a
	// model's SQL runs, and fails as it would, on empty inputs (a unit
	// test's mocked inputs are its own)
	Empty        bool
	RunStartedAt string
	InvocationID string
	// PartialParse reuses the renders kept in target/partial_parse.gob
	// whose inputs did not change, and keeps this compile's (partialparse.go).
	PartialParse bool
	// PatchSnapshot: this compile writes every node's output to target/
	// (`mart compile` without --select) and keeps what the next one needs
	// to patch it instead (Result.KeepPatch, patch.go). With PartialParse only.
	PatchSnapshot bool
	// PatchForRun: CompileByPatch patches for a run of a selection, which
	// a snapshot kept by a run (partial target/compiled) serves too; a
	// run's Compile that keeps a snapshot writes the render cache too when
	// there was none it could use (the next whole compile of a run reuses
	// its renders).
	PatchForRun bool
	// PatchReadOnly: CompileByPatch writes nothing: it serves a selection
	// from target/ as it is, and refuses when an input changed since it
	// was written, or when models render differently at every compile
	// (diff, verify and clone, which never write target/; `mart ls` with
	// PatchWritesChanges).
	PatchReadOnly bool
	// PatchWritesChanges: with PatchReadOnly, CompileByPatch writes
	// nothing while target/ serves as it is; when an input changed since
	// it was written it patches target/ as a run's compile does, instead
	// of refusing (`mart ls`: dbt ls writes manifest.json too), unless
	// nodes query the warehouse while they render (their renders would be
	// a run's, not a compile's)
	PatchWritesChanges bool
	// inspect: tests read the node index of a read-only patch as it is,
	// volatile models or not (requireDeclaredAsCold)
	inspect bool
	// OnTarget, when set, is called with the target as soon as it is
	// known, before the project is rendered: the CLI starts opening the
	// warehouse then, in parallel with the rest of the compile.
	OnTarget func(*Project, *Target)
	// BeforeWrite, when set, is called by CompileByPatch with the target
	// directory before it writes there; a why it returns gives up the
	// patch, nothing written (the CLI reads --state's files there first:
	// --state may be target/ itself, and files that do not read are
	// reported by the whole compile, which writes nothing).
	BeforeWrite func(targetDir string) string
	// WarningsAreErrors (--warn-error): CompileByPatch gives up, nothing
	// written, when the compile has a warning, which is an error then:
	// the whole compile reports it and writes nothing either.
	WarningsAreErrors bool
	// Warehouse, when set, starts opening the target's warehouse for
	// CompileByPatch, which renders against it the models that query it
	// while they render, as `mart compile` does after compiling, and
	// closes it; the function it returns waits for the open. Unset, a
	// snapshot with such models is not patched.
	Warehouse func(*Project, *Target) func() (warehouse.Warehouse, error)
	// Context is the warehouse renders' (nil: context.Background()).
	Context context.Context
}

// LoadProject loads the project of opt (its ProjectDir, with its Vars),
// its target path overridden when opt names one (--target-path).
func (o Options) LoadProject() (*Project, Diagnostics) {
	proj, diags := LoadProject(o.ProjectDir, o.Vars)
	if proj != nil && o.TargetPath != "" {
		proj.TargetPath = o.TargetPath
	}
	return proj, diags
}

// withDefaults fills in the project directory (".") and run_started_at
// (now) when they are not set.
func (o Options) withDefaults() Options {
	if o.ProjectDir == "" {
		o.ProjectDir = "."
	}
	if o.RunStartedAt == "" {
		o.RunStartedAt = time.Now().UTC().Format("2006-01-02 15:04:05.000000+00:00")
	}
	return o
}

// Result is a compiled project: the project, the target, the manifest and
// its graph, all plain values that later steps read and never change, and
// the Renderer that renders templates again at run time.
type Result struct {
	// manifestStat is the stat of the manifest.json StartWriteTarget
	// wrote (the patch snapshot's, spare.go)
	manifestStat fileStat
	// compiledSums are the sums of the compiled directories written, by
	// path, when a patch snapshot is kept (outputsum.go)
	compiledSums map[string]string
	// compiledDirs: the ids prepareCompiled was given and the directories
	// of their compiled files, sorted (keepPatch's, for the same ids)
	compiledDirs struct{ ids, dirs []string }
	// writeUnlock lets the snapshot's lock go once StartWriteTarget's
	// writes are done (prepareCompiled took it)
	writeUnlock func()
	// sumChanges: what a run loaded from the snapshot changed in them
	sumChanges sumChanges

	Project  *Project
	Target   *Target
	Dialect  warehouse.Dialect
	Manifest *Manifest
	Graph    *Graph
	Renderer *Renderer
	// ExtractClashes are, by unique id, the source tables whose extract:
	// block would land them where a model, seed or snapshot builds, with
	// the error mart extract gives when one is selected: other commands
	// read such a source as any other (a project may read a seed through
	// a source that mart extract fills in another environment). Set by
	// Compile; a result loaded from a patch snapshot has none.
	ExtractClashes map[string]Diagnostic
	// RendersReused of RendersCached: the renders Compile took from the
	// render cache (target/partial_parse.gob), of those it could keep
	// there (0 of 0 without partial parsing)
	RendersReused, RendersCached int

	parseCache *pendingCache // written with target/ (partialparse.go)
	// prior: with patch, the compiled directories the last snapshot
	// recorded, which StartWriteTarget need not read, and that snapshot
	// file's stat (priorOutputs)
	prior func() (map[string]fileStat, fileStat)
	patch *pendingPatch // kept by KeepPatch (patch.go)
	// light is set on the part of a project a build loaded from the patch
	// snapshot (Patched.Result): target/manifest.json is the patch's
	light *patchLoad
	// written, when set, is the manifest target/manifest.json gets instead
	// of Manifest: a --defer run's, with the deferred nodes' own relations
	// and their defer_relation (Defer).
	written *Manifest
	// deferred: the entries of written that differ from Manifest's (the
	// deferred parents, the selected nodes whose SQL reads them), which a
	// run loaded from the snapshot splices into manifest.json
	// (patchdefer.go)
	deferred map[string]*Node
	// project: with written, the project's manifest (before Defer)
	project *Manifest
}

// compilation is one compile's working state. Its scope (macros, shared
// variables, relation names) outlives it in the Renderer.
// locator is an adapter that says where a target builds (warehouse.StateLocation).
type locator interface {
	Locate(t warehouse.Target, opt warehouse.OpenOptions) map[string]string
}

type compilation struct {
	*scope
	// prior: a compile that keeps a patch snapshot, the compiled
	// directories the snapshot in target/ recorded (priorOutputs)
	prior    func() (map[string]fileStat, fileStat)
	target   *Target
	nodes    []*Node // every node, enabled or not
	disabled map[string]*Node
	// shared: the nodes of each name (kind:name[@vN]) more than one node
	// has, in file order; sharedKeys those names in order
	// (checkSharedNames)
	shared     map[string][]*Node
	sharedKeys []string
	// variantStates: the render state of each node that shares a name,
	// by variantID (states keeps one per id): what each reads blocks a
	// patch as a node that is not patchable does (patchSnapshot)
	variantStates map[string]*renderState
	docs          map[string]string
	// docFiles: a compile that keeps a patch snapshot, the names of the
	// docs blocks each .md file of the root project defines (nil when
	// two files define one); docReaders: the properties files with a
	// description that may read one (patchdocs.go); docsKnown: no two
	// files define a block (docFiles lists every .md file's, none when
	// there is none)
	docFiles   map[string][]string
	docReaders map[string]bool
	docsKnown  bool
	props      []*properties
	states     map[string]*renderState
	// extractClashes: Result.ExtractClashes (checkRelations)
	extractClashes map[string]Diagnostic
	// macroFacts holds each macro's checksum and the vars it reads;
	// macroSets what each set of macros called together adds up to.
	macroFacts map[string]macroFacts
	macroSets  sync.Map
	// pythonModels are the .py models mart does not build, by name.
	pythonModels map[string]string
	// macroSources is each root macro's source text, by name.
	macroSources map[string]string

	schemaCache sync.Map
	namingUsed  sync.Map // the macros naming macros called

	pp *partialParse // nil without partial parsing

	// inv and captured: what a compile that keeps a patch snapshot saw
	// (patch.go); inv is nil when it keeps none
	inv      *inventory
	captured map[string]*patchCapture
	files    []*projectFile

	mu    sync.Mutex
	diags Diagnostics
}

func (c *compilation) addDiag(d Diagnostic) {
	c.mu.Lock()
	c.diags = append(c.diags, d)
	c.mu.Unlock()
}

// compileHook, when set (by tests), sees each compilation once it ran.
var compileHook func(*compilation)

// Compile loads, renders and resolves a project. The returned diagnostics
// hold warnings even on success; on error the Result is nil.
func Compile(opt Options) (*Result, Diagnostics) {
	opt = opt.withDefaults()
	phase.Mark("start")
	proj, diags := opt.LoadProject()
	if diags.HasErrors() {
		return nil, diags
	}
	tgt, tdiags := LoadTarget(proj, ProfileOptions{ProfilesDir: opt.ProfilesDir, Target: opt.Target, Profile: opt.Profile, Vars: proj.Vars})
	diags = append(diags, tdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	if opt.OnTarget != nil {
		opt.OnTarget(proj, tgt)
	}
	loadDiags := append(Diagnostics(nil), diags...) // the compile sorts its own in place
	c := newCompilation(opt, proj, tgt, diags)
	c.run()
	if compileHook != nil {
		compileHook(c)
	}
	c.diags.Sort()
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	res := &Result{Project: proj, Target: tgt, Dialect: c.dialect, ExtractClashes: c.extractClashes}
	if c.pp != nil {
		res.RendersReused, res.RendersCached = c.pp.hits, len(c.pp.entries)
	}
	res.Manifest = c.manifest()
	if l, ok := tgt.Adapter.(locator); ok {
		res.Manifest.Metadata.Location = l.Locate(tgt.Target, warehouse.OpenOptions{ProjectDir: proj.Dir})
	}
	res.Renderer = c.renderer(res.Manifest)
	phase.Mark("manifest")
	// the parent and child maps and the graph are the same edges in two
	// shapes, each a few hundred thousand map operations on a large
	// project: made side by side
	linked := make(chan struct{})
	go func() { res.Manifest.linkMaps(); close(linked) }()
	res.Graph = newGraph(res.Manifest)
	cyc := res.Graph.Cycle()
	<-linked
	phase.Mark("graph")
	if cyc != nil {
		return nil, append(c.diags, cycleDiag(res.Manifest, cyc))
	}
	res.patch = c.pendingPatchSnapshot(c.files, res.Manifest, loadDiags)
	if res.patch != nil {
		res.prior = c.prior
	}
	if res.patch == nil || c.pp != nil && c.pp.fresh && c.opt.PatchForRun {
		// `mart compile` keeps a patch snapshot instead: the next compile
		// patches this one, or renders every template again (reading and
		// writing the render cache costs what it saves:
		// bench/results/2026-12-02-partial-parse.txt). A run writes one
		// when there was none it could use (a new mart binary, a changed
		// target): its next whole compile (after a YAML edit, say) reuses
		// the renders, and the run's writes overlap the warehouse's close
		res.parseCache = c.pendingParseCache()
	}
	c.files = nil
	return res, c.diags
}

// newCompilation starts a compilation of proj for tgt.
func newCompilation(opt Options, proj *Project, tgt *Target, diags Diagnostics) *compilation {
	d := tgt.Adapter.Dialect()
	c := &compilation{scope: &scope{opt: opt, project: proj, dialect: d, catalog: tgt.Catalog, engine: jinja.NewEngine(),
		byName: map[string]*Node{}, sources: map[string]*Node{}},
		target: tgt, disabled: map[string]*Node{}, docs: map[string]string{}, states: map[string]*renderState{}}
	c.namer = &relationNamer{c.scope}
	c.stateOf = func(id string) *renderState { return c.states[id] }
	c.diags = diags
	c.targetValue = tgt.TemplateValue()
	c.crossdb = crossDBFuncs(d)
	c.adapterValue = map[string]any{
		"quote":    func(s string) string { return d.QuoteIdent(s) },
		"type":     func() string { return d.Name() },
		"dispatch": jinja.Func(c.dispatch),
	}
	return c
}

func (c *compilation) run() {
	if c.opt.PartialParse {
		c.startPartialParse()
		if c.opt.PatchSnapshot {
			c.inv = &inventory{}
			c.prior = priorOutputs(c.project.targetDir())
		}
	}
	for _, d := range c.project.renderConfigs(c.targetValue, c.opt.Vars) {
		c.addDiag(d)
	}
	files, err := c.scan()
	if c.inv != nil {
		c.files = files
	}
	if err != nil {
		// a file that cannot be read is named: a symlink to nothing, a
		// file without read permission
		c.addDiag(c.scanError(err))
		return
	}
	phase.Mark("scan")
	c.loadMacros(files)
	if c.pp != nil {
		c.usePartialParse()
	}
	c.loadDocs(files)
	phase.Mark("macros+docs")
	c.loadProperties(files)
	phase.Mark("properties")
	if c.diags.HasErrors() {
		return
	}
	c.loadSources()
	c.loadNodes(files)
	c.applyVersions()
	c.applyPatches()
	c.checkTestKeys()
	phase.Mark("load nodes")
	if c.diags.HasErrors() {
		return
	}
	c.provisionalRelations()
	if len(c.sharedKeys) == 0 {
		c.renderAll(c.renderable())
	} else {
		c.renderShared()
	}
	if c.pp != nil {
		phase.Mark(fmt.Sprintf("render (%d reused)", c.pp.hits))
	} else {
		phase.Mark("render")
	}
	c.checkSharedNames()
	if c.diags.HasErrors() && len(c.sharedKeys) > 0 {
		return
	}
	c.finishConfigs()
	c.addGenericTests()
	c.addUnitTests()
	c.checkConfigs()
	phase.Mark("tests")
	c.props = nil // the YAML is no longer needed: let the GC have it
	c.dropFileData()
	// what follows keeps most of what it allocates: collect what the
	// load and the renders left, now, rather than during the writes
	gcpace.Settle()
	c.resolveRefs() // also with errors, to report every unknown ref at once
	if c.diags.HasErrors() {
		return
	}
	c.linkSeededSources()
	c.resolveSQL()
	for _, n := range c.nodes {
		c.setUnrendered(n)
	}
	for _, n := range c.sources {
		c.setUnrendered(n)
	}
	phase.Mark("resolve")
}

// linkSeededSources makes a source that reads a seed's table depend on the
// seed, so a build loads the seed before the models that select from it.
func (c *compilation) linkSeededSources() {
	seeds := map[string]string{}
	for _, n := range c.nodes {
		if n.ResourceType == TypeSeed && n.Enabled() {
			seeds[c.relationKey(n, n.Alias)] = n.UniqueID
		}
	}
	for _, s := range c.sources {
		if id, ok := seeds[c.relationKey(s, s.Identifier)]; ok {
			s.DependsOn.Nodes = []string{id}
		}
	}
}

// projectFile is one file found under the project's paths.
type projectFile struct {
	kind string   // models, seeds, macros, tests, snapshots, docs
	proj *Project // the project (the root or a package) it belongs to
	root string   // the path root it was found under (e.g. "models"), from the root project's dir
	rel  string   // slash path from the project dir
	data []byte
	sum  Checksum // seeds: the CSV's checksum (their data is not kept); any file's when a patch snapshot is kept

	// properties files, parsed as soon as they are read, while other
	// workers still read the rest of the project
	props     *properties
	propDiags Diagnostics

	stat fileStat // taken before it was read, when a patch snapshot is kept (patch.go)
}

// dropFileData lets the GC have the text of the files read, once the
// nodes hold their own copies (a model's raw_code) and only a patch
// snapshot still needs a file's text: the hash of one it could not
// checksum.
func (c *compilation) dropFileData() {
	for _, f := range c.files {
		// a snapshot keeps the project's properties files' text
		// (patchyaml.go)
		if c.inv == nil || f.sum.Checksum != "" && !(f.proj == c.project && f.isProperties()) {
			f.data = nil
		}
	}
}

// isProperties says f is a YAML properties file (models:, sources:, ...):
// one in any of the paths dbt reads them from (its all_source_paths:
// models, seeds, snapshots, analyses, macros and, since dbt 1.8, tests).
func (f *projectFile) isProperties() bool {
	switch f.kind {
	case "models", "seeds", "snapshots", "tests", "analyses", "macros":
		return isPropsPath(f.rel)
	}
	return false
}

// scan finds and reads every project file, in parallel.
func (c *compilation) scan() ([]*projectFile, error) {
	var files []*projectFile
	for _, proj := range c.project.projects() {
		found, err := c.scanProject(proj)
		if err != nil {
			return nil, err
		}
		files = append(files, found...)
	}
	return c.readFiles(files)
}

// scanProject lists the files of one project (the root or a package).
func (c *compilation) scanProject(proj *Project) ([]*projectFile, error) {
	var files []*projectFile
	roots := []struct {
		kind  string
		paths []string
	}{{"models", proj.ModelPaths}, {"seeds", proj.SeedPaths}, {"macros", proj.MacroPaths},
		{"tests", proj.TestPaths}, {"snapshots", proj.SnapshotPaths}, {"docs", proj.DocsPaths},
		{"analyses", proj.AnalysisPaths}}
	for _, r := range roots {
		for _, p := range r.paths {
			w := walker{c: c, kind: r.kind, proj: proj, root: proj.path(p), files: &files}
			c.inventoryRoot(filepath.Join(proj.Dir, p), r.kind, w.root, proj)
			if err := w.walk(filepath.Join(proj.Dir, p)); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// walker lists the files under one of a project's paths as
// filepath.WalkDir would visit them (the same order, the same errors, a
// directory whose name starts with a dot left out, one that vanishes as
// it is read counted missing), without WalkDir's cleaning of every path
// it joins and filepath.Rel's of every file found: a file's path is its
// clean directory's and its name (the walk of 10,000 files took 10 ms,
// alone before any file is read, half of it cleaning paths).
type walker struct {
	c     *compilation
	kind  string
	proj  *Project
	root  string
	files *[]*projectFile
}

func (w walker) walk(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			w.c.inventoryMissing(dir)
			return nil
		}
		return err
	}
	rel, relErr := filepath.Rel(w.c.project.Dir, dir)
	if !info.IsDir() { // a file, or a symlink, named as a path: read as WalkDir reports it
		if compileReads(info.Name(), info.Mode().Type()) {
			w.add(filepath.ToSlash(rel))
		} else {
			// nothing read, but a patch must see it change (a
			// directory of files in its place: found by review)
			w.c.inventoryRootFile(dir, info)
		}
		return nil
	}
	if relErr != nil {
		rel = "" // as WalkDir's callback took it: every file's Rel fails alike
	}
	return w.dir(dir, filepath.ToSlash(rel), relErr != nil)
}

// dir lists a directory's files and walks its subdirectories; rel is its
// slash path from the project's directory (relErr: it has none).
func (w walker) dir(dir, rel string, relErr bool) error {
	w.c.inventoryDir(dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		w.c.inventoryMissing(dir)
	}
	sep := string(filepath.Separator)
	if strings.HasSuffix(dir, sep) { // the file system's root
		sep = ""
	}
	for _, e := range entries {
		name := e.Name()
		path := dir + sep + name
		var childRel string
		switch {
		case relErr:
		case rel == ".":
			childRel = name
		default:
			childRel = rel + "/" + name
		}
		if e.IsDir() {
			if strings.HasPrefix(name, ".") {
				continue
			}
			if err := w.dir(path, childRel, relErr); err != nil {
				return err
			}
			continue
		}
		if compileReads(name, e.Type()) {
			w.add(childRel)
		}
	}
	return nil
}

func (w walker) add(rel string) {
	*w.files = append(*w.files, &projectFile{kind: w.kind, proj: w.proj, root: w.root, rel: rel})
}

// compileReads says whether a file of a project's paths, by its name, can
// change what a compile makes: SQL (models, snapshots, analyses, tests,
// macros), Python models (a warning), YAML properties, Markdown docs
// blocks and seeds' CSV. Nothing reads any other file, so the scan leaves
// them out, and a patch neither tracks them nor counts one added or
// removed as a change: a vim swap file (.m.sql.swp) written beside the
// model being edited, a backup (m.sql~), .DS_Store, a README. Nor does
// it read Emacs's lock of a file being edited (.#m.sql: a symlink to
// nothing, there while the buffer has unsaved changes). A symlink of
// any other name is read as before: one to a directory (whose files the
// scan does not follow) stops the compile, naming it, rather than leave
// its models out without a word. typ is the directory entry's type.
func compileReads(name string, typ fs.FileMode) bool {
	if strings.HasPrefix(name, ".#") {
		return false
	}
	if typ&fs.ModeSymlink != 0 {
		return true
	}
	switch path.Ext(name) {
	case ".sql", ".py", ".yml", ".yaml", ".md", ".csv":
		return true
	}
	return false
}

// readFiles reads the files found, in parallel, and parses the YAML
// properties files among them.
func (c *compilation) readFiles(files []*projectFile) ([]*projectFile, error) {
	less := func(a, b *projectFile) int { return strings.Compare(a.rel, b.rel) }
	if !slices.IsSortedFunc(files, less) { // the walk's order mostly is
		slices.SortFunc(files, less)
	}
	var firstErr error
	var once sync.Once
	// a worker reads the files of a range, in path order, through a
	// descriptor of the directory they are in (dirFiles)
	parallelRanges(len(files), func(from, to int) {
		var d dirFiles
		opened := false
		for i := from; i < to; i++ {
			f := files[i]
			dir, name := filepath.Split(filepath.Join(c.project.Dir, f.rel))
			if !opened || d.dir != dir {
				if opened {
					d.close()
				}
				d, opened = openDirFiles(dir), true
			}
			c.readFile(f, d, name, &once, &firstErr)
		}
		if opened {
			d.close()
		}
	})
	return files, firstErr
}

// readFile reads one file of readFiles, the file name of d.
func (c *compilation) readFile(f *projectFile, d dirFiles, name string, once *sync.Once, firstErr *error) {
	if f.kind == "seeds" && strings.HasSuffix(f.rel, ".csv") {
		c.inventoryFile(f)
		// seeds are loaded by the build; the compiler only hashes them
		sum, err := fileChecksum(filepath.Join(c.project.Dir, f.rel))
		if err != nil {
			once.Do(func() { *firstErr = err })
		}
		f.sum = sum
		return
	}
	data, st, err := d.readFileStat(name)
	if err != nil {
		once.Do(func() { *firstErr = err })
		return
	}
	f.data = data
	if c.inv != nil {
		f.stat = st            // taken before the read: a change after it shows next time
		f.sum = checksum(data) // for the node and the snapshot both
	}
	if f.isProperties() {
		f.props, f.propDiags = parseProperties(f.rel, f.data, c.project.packageVars(f.proj))
		if f.props != nil {
			f.props.pkg = f.proj
		}
	}
}

// parallel runs fn(0..n-1) on GOMAXPROCS workers.
func parallel(n int, fn func(i int)) {
	parallelRanges(n, func(from, to int) {
		for i := from; i < to; i++ {
			fn(i)
		}
	})
}

// parallelRanges runs fn on ranges of 0..n-1 that together cover it, on
// GOMAXPROCS workers.
func parallelRanges(n int, fn func(from, to int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	// workers take chunks of consecutive indexes off a counter: cheaper
	// than a channel send per item when items take microseconds
	chunk := int64(max(1, min(64, n/(workers*16))))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				start := next.Add(chunk) - chunk
				if start >= int64(n) {
					return
				}
				fn(int(start), int(min(start+chunk, int64(n))))
			}
		}()
	}
	wg.Wait()
}

var testBlockRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{%-?\s*test\s+`) })

func (c *compilation) loadMacros(files []*projectFile) {
	var mf []jinja.File
	entries, _ := builtinFS.ReadDir("builtin")
	for _, e := range entries {
		data, _ := builtinFS.ReadFile("builtin/" + e.Name())
		mf = append(mf, jinja.File{Path: "<builtin>/" + e.Name(), Src: string(data)})
	}
	for _, f := range files {
		if !strings.HasSuffix(f.rel, ".sql") {
			continue
		}
		if f.kind == "macros" || f.kind == "tests" && testBlockRE().Match(f.data) {
			mf = append(mf, jinja.File{Path: f.rel, Src: string(f.data), Package: c.packageOf(f.proj)})
		}
	}
	// project macros replace builtin ones of the same name (see AddMacros)
	if err := c.engine.AddMacros(mf, c.crossdb); err != nil {
		c.addTemplateError(err)
	}
	c.learnMacros(mf)
}

// atDeclaration reports an error in a generic test's own text (the one
// line genericTest writes: its arguments and where:) at the test's place
// in its properties file, not at a column of that line; an error in a
// macro it calls keeps the macro's place.
func atDeclaration(err error, n *Node) error {
	var je *jinja.Error
	if n.TestType != "generic" || n.yamlLine <= 0 || !errors.As(err, &je) || je.File != n.Path || je.Line != 1 {
		return err
	}
	at := *je
	at.Line, at.Col = n.yamlLine, 0
	return &at
}

// namedInError is err with the relations that ref(), source() and this
// gave a render (st) written by name: a message built from one (raise
// "... for " ~ model) would show its placeholder (__MART_REL_0__). Names
// are those the render saw (provisional while compiling: a config() may
// still move a relation; final at run time). It reads no other node's
// config: a render that fails while others run (resolveNow).
func (s *scope) namedInError(err error, st *renderState) error {
	var je *jinja.Error
	if st == nil || !errors.As(err, &je) || !strings.Contains(je.Msg+je.Detail, placeholderPrefix) {
		return err
	}
	named := *je
	named.Msg, named.Detail = s.resolveNow(st, je.Msg), s.resolveNow(st, je.Detail)
	return &named
}

func (c *compilation) addTemplateError(err error) {
	var list interface{ Unwrap() []error }
	if errors.As(err, &list) {
		for _, e := range list.Unwrap() {
			c.addTemplateError(e)
		}
		return
	}
	var je *jinja.Error
	if errors.As(err, &je) {
		d := errorf(je.File, je.Line, je.Col, "%s", je.Msg)
		d.Detail = je.Detail
		c.addDiag(d)
		return
	}
	c.addDiag(errorf("", 0, 0, "%v", err))
}

func (c *compilation) loadDocs(files []*projectFile) {
	defined := map[string]bool{}
	shared := false
	for _, f := range files {
		if (f.kind == "models" || f.kind == "docs") && strings.HasSuffix(f.rel, ".md") {
			blocks := parseDocsBlocks(string(f.data))
			for k, v := range blocks {
				c.docs[k] = v
				shared = shared || defined[k]
				defined[k] = true
			}
			if c.inv != nil && f.proj == c.project {
				if c.docFiles == nil {
					c.docFiles = map[string][]string{}
				}
				c.docFiles[f.rel] = sortedKeys(blocks)
			}
		}
	}
	if shared { // which file's block wins is the files' order: not patched
		c.docFiles = nil
	}
	c.docsKnown = !shared
}

func (c *compilation) loadProperties(files []*projectFile) {
	for _, f := range files {
		if !f.isProperties() {
			continue
		}
		for _, d := range f.propDiags {
			c.addDiag(d)
		}
		if f.props != nil {
			f.props.root, f.props.data = f.root, f.data
			c.renderPropConfigs(f.props)
			c.props = append(c.props, f.props)
		}
		f.props, f.propDiags = nil, nil // c.props has them, for as long as the compile needs them
	}
}

// renderPropConfigs renders the Jinja in a properties file's config:
// blocks in place, as dbt renders properties files when it parses them:
// var() (the project's vars and --vars), env_var() and target; hooks
// render when they run. A value that fails to render is an error at its
// key.
func (c *compilation) renderPropConfigs(p *properties) {
	ctx := c.yamlContext(c.project.packageVars(p.pkg))
	for _, list := range [][]*propEntry{p.Models, p.Seeds, p.Snapshots, p.DataTests, p.Analyses} {
		for _, e := range list {
			e.ConfigRaw = c.renderPropConfig(p.file, ctx, e.Config, e.ConfigAt, e.Line)
			if vs, ok := e.Rest["versions"].([]any); ok {
				for _, v := range vs {
					if m, ok := v.(map[string]any); ok {
						if conf, ok := m["config"].(map[string]any); ok {
							if raw := c.renderPropConfig(p.file, ctx, conf, nil, e.Line); raw != nil {
								m[versionConfigRaw] = raw
							}
						}
					}
				}
			}
		}
	}
	for _, s := range p.Sources {
		s.ConfigRaw = c.renderPropConfig(p.file, ctx, s.Config, nil, s.Line)
		for _, t := range s.Tables {
			t.ConfigRaw = c.renderPropConfig(p.file, ctx, t.Config, nil, t.Line)
		}
	}
	for _, u := range p.UnitTests {
		c.renderPropConfig(p.file, ctx, u.Config, nil, u.Line)
	}
	c.renderPropFields(p, ctx)
}

// renderPropConfig renders conf in place and returns the values it
// rendered, as written (nil: none).
func (c *compilation) renderPropConfig(file string, ctx, conf map[string]any, at map[string][2]int, line int) (raw map[string]any) {
	for _, k := range sortedKeys(conf) {
		if nk := normalizeConfigKey(k); nk == "pre_hook" || nk == "post_hook" || nk == "where" {
			continue // rendered when they run (a test's where: in its query)
		}
		was := conf[k]
		v, err := renderConfigValue(file, was, ctx)
		if err != nil {
			pos, ok := at[normalizeConfigKey(k)]
			if !ok {
				pos = [2]int{line, 0}
			}
			c.addDiag(errorf(file, pos[0], pos[1], "config %s: %s", k, templateMsg(err)))
			continue
		}
		if !renderedSame(v, was) {
			if raw == nil {
				raw = map[string]any{}
			}
			raw[normalizeConfigKey(k)] = was
		}
		conf[k] = v
	}
	return raw
}

// configLayer is one YAML config a node's config merged (a properties
// entry's config: block, its meta:, a version's config, a source's and
// its table's, a generic test's), with the values a template rendered as
// written (raw; nil: none), for setUnrendered.
type configLayer struct {
	conf, raw map[string]any
}

// written is the layer as written.
func (l configLayer) written() map[string]any {
	if len(l.raw) == 0 {
		return l.conf
	}
	out := make(map[string]any, len(l.conf))
	for k, v := range l.conf {
		out[normalizeConfigKey(k)] = v
	}
	for k, v := range l.raw {
		out[k] = v
	}
	return out
}

// folderWritten is folderConfig as written (project.folderWritten), and
// the keys a template set.
func (c *compilation) folderWritten(proj *Project, kind string, fqn []string) (map[string]any, []string) {
	if proj == nil || proj == c.project {
		return c.project.folderWritten(kind, fqn)
	}
	out, keys := proj.folderWritten(kind, fqn)
	root, more := c.project.folderWritten(kind, fqn)
	mergeConfig(out, root)
	return out, append(keys, more...)
}

// folderKinds names the folder-config block of each resource type.
var folderKinds = map[string]string{TypeModel: "models", TypeSeed: "seeds", TypeSnapshot: "snapshots", TypeTest: "tests",
	TypeSource: "sources", TypeAnalysis: "analyses"}

// setUnrendered keeps, for each config key a YAML template set (in the
// project file's folder configs or a properties file's config: block),
// the node's config value as written: dbt's unrendered_config, what
// state:modified compares, so that a template that reads the target or a
// var is not a modification between two targets (slim CI compares a dev
// compile with prod's manifest), while a change of any other level's
// value still is. The value as written is made by the same merges as the
// config, in the same order, with each level's templated values as
// written; what the model's own config() set is taken as rendered (for
// tags, hooks and meta, what it added to the merged value).
func (c *compilation) setUnrendered(n *Node) {
	layers := n.yamlLayers
	n.yamlLayers = nil // needed only here
	kind := folderKinds[n.ResourceType]
	if kind == "" {
		return
	}
	var proj *Project
	if n.Package != c.project.Name {
		proj = c.project.Package(n.Package)
	}
	if !c.project.templatedConfigs && (proj == nil || !proj.templatedConfigs) {
		raw := false
		for _, l := range layers {
			raw = raw || len(l.raw) > 0
		}
		if !raw {
			return // nothing was templated: the common case, without a merge
		}
	}
	written, templated := c.folderWritten(proj, kind, n.FQN)
	for _, l := range layers {
		templated = append(templated, sortedKeys(l.raw)...)
	}
	if len(templated) == 0 {
		return
	}
	for _, l := range layers {
		mergeConfig(written, l.written())
	}
	var byConfig map[string]configCall // what config() set, merged as it merged
	if st := c.states[n.UniqueID]; st != nil {
		byConfig = st.configAt
	}
	for _, k := range templated {
		if _, done := n.UnrenderedConfig[k]; done {
			continue
		}
		w, ok := written[k]
		if !ok {
			continue
		}
		if call, set := byConfig[k]; set {
			w = mergedValue(k, w, call.Set)
		}
		if !reflect.DeepEqual(w, n.Config[k]) {
			if n.UnrenderedConfig == nil {
				n.UnrenderedConfig = map[string]any{}
			}
			n.UnrenderedConfig[k] = w
		}
	}
}

// fileChecksum hashes a file without holding it in memory.
func fileChecksum(path string) (Checksum, error) {
	f, err := os.Open(path)
	if err != nil {
		return Checksum{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Checksum{}, err
	}
	return Checksum{Name: "sha256", Checksum: hex.EncodeToString(h.Sum(nil))}, nil
}

func checksum(data []byte) Checksum {
	h := sha256.Sum256(data)
	return Checksum{Name: "sha256", Checksum: hex.EncodeToString(h[:])}
}

// packageOf is the package name of a project's macros for the engine: ""
// for the root project.
func (c *compilation) packageOf(p *Project) string {
	if p == nil || p == c.project {
		return ""
	}
	return p.Name
}

// fqnFor builds a node's fully qualified name from its path under root.
func fqnFor(proj *Project, root, rel, name string) []string {
	// (a path written "models/" or "./models" is the root models)
	sub := strings.TrimPrefix(rel, path.Clean(root)+"/")
	dir := path.Dir(sub)
	fqn := []string{proj.Name}
	if dir != "." {
		fqn = append(fqn, strings.Split(dir, "/")...)
	}
	return append(fqn, name)
}

// snapshotFQN is the fqn of a snapshot its SQL file's block defines: as
// dbt's SnapshotParser makes it, with the file's name ("on snapshots, the
// fqn includes the filename"), so a folder config of the file's name
// (snapshots: my_project: snaps: ...) configures its blocks.
func snapshotFQN(proj *Project, root, rel, name string) []string {
	return append(fqnFor(proj, root, rel, strings.TrimSuffix(path.Base(rel), ".sql")), name)
}

// projectOf is the project (the root or a package) a file of the project
// (a path from its root) belongs to.
func (c *compilation) projectOf(file string) *Project {
	for _, p := range c.project.Packages {
		if p.PackageDir != "" && strings.HasPrefix(file, p.PackageDir+"/") {
			return p
		}
	}
	return c.project
}

// propsFQN is how the fqn of what a properties file declares (a source
// table, a generic test, a unit test) starts, as dbt makes it: the
// project's name, then the folders the file is in under its path root
// (models/staging/_sources.yml: [project, staging]). A source table's
// fqn goes on with its source's and table's names, a generic test's with
// its name, a unit test's with its model's and its own, so mart.yml's
// sources:, data_tests: and unit_tests: folder configs apply by the
// file's folder, as in dbt.
func propsFQN(proj *Project, file string) []string {
	root := ""
	for _, paths := range [][]string{proj.ModelPaths, proj.SeedPaths, proj.SnapshotPaths, proj.AnalysisPaths, proj.TestPaths} {
		for _, p := range paths {
			if r := path.Clean(proj.path(p)); strings.HasPrefix(file, r+"/") && len(r) > len(root) {
				root = r
			}
		}
	}
	fqn := fqnFor(proj, root, file, "")
	return fqn[:len(fqn)-1]
}

var (
	snapshotNameRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\{%-?\s*snapshot\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}`)
	})
	snapshotEndRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{%-?\s*endsnapshot\s*-?%\}`) })
)

// snapshotTags finds the {% snapshot name %} tags of a snapshot file's
// text (submatch indexes), leaving out those inside a {# comment #}: a
// block kept there is not a snapshot (found by review).
func snapshotTags(data string) [][]int {
	ms := snapshotNameRE().FindAllStringSubmatchIndex(data, -1)
	if len(ms) == 0 || !strings.Contains(data, "{#") {
		return ms
	}
	// the comments, found as Jinja finds them: a {# inside {{ }} or {% %}
	// (a string) opens none (found by review)
	var comments [][2]int
	for i := 0; i+1 < len(data); {
		s := strings.IndexByte(data[i:], '{')
		if s < 0 || i+s+1 >= len(data) {
			break
		}
		s += i
		var end string
		switch data[s+1] {
		case '#':
			end = "#}"
		case '{':
			end = "}}"
		case '%':
			end = "%}"
		default:
			i = s + 1
			continue
		}
		e := strings.Index(data[s+2:], end)
		if e < 0 {
			e = len(data) - s - 2 - len(end)
		}
		i = s + 2 + e + len(end)
		if end == "#}" {
			comments = append(comments, [2]int{s, i})
		}
	}
	out := ms[:0]
	for _, m := range ms {
		if !slices.ContainsFunc(comments, func(c [2]int) bool { return m[0] >= c[0] && m[0] < c[1] }) {
			out = append(out, m)
		}
	}
	return out
}

// firstSnapshot is the name of a snapshot file's first block ("" for
// none), what names the snapshot of a file of one block.
func firstSnapshot(data string) string {
	return snapshotName(data, snapshotTags(data))
}

// snapshotName is the name of the first of a file's tags (snapshotTags),
// "" for none.
func snapshotName(data string, tags [][]int) string {
	if len(tags) == 0 {
		return ""
	}
	return data[tags[0][2]:tags[0][3]]
}

// snapshotBlock is one {% snapshot name %} ... {% endsnapshot %} block of
// a snapshot file.
type snapshotBlock struct {
	name string
	text string // the block, its tags included
	line int    // the line its {% snapshot %} tag is on
}

// snapshotBlocks splits a snapshot file that holds several blocks, as
// dbt does: each is a snapshot, and text between them is not any's SQL.
func snapshotBlocks(data string, starts [][]int) []snapshotBlock {
	out := make([]snapshotBlock, 0, len(starts))
	for i, m := range starts {
		end := len(data)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		if e := snapshotEndRE().FindStringIndex(data[m[0]:end]); e != nil {
			end = m[0] + e[1]
		}
		out = append(out, snapshotBlock{name: data[m[2]:m[3]], text: data[m[0]:end], line: strings.Count(data[:m[0]], "\n") + 1})
	}
	return out
}

func (c *compilation) loadNodes(files []*projectFile) {
	// the nodes of each file, made in parallel (hashing and folder
	// configs), kept in file order
	made := make([]*Node, len(files))
	more := make([][]*Node, len(files)) // a snapshot file's other blocks
	problems := make([]*Diagnostic, len(files))
	parallel(len(files), func(i int) {
		var ns []*Node
		ns, problems[i] = c.fileNodes(files[i])
		if len(ns) > 0 {
			made[i], more[i] = ns[0], ns[1:]
		}
	})
	for i := range files {
		if problems[i] != nil {
			c.addDiag(*problems[i])
		}
		if made[i] != nil {
			c.nodes = append(c.nodes, made[i])
		}
		// a snapshot file's blocks after its first: they share its path,
		// so none is patchable (patchSnapshot's byPath)
		c.nodes = append(c.nodes, more[i]...)
	}
	c.loadYAMLSnapshots()
}

// fileNodes makes the nodes a project file defines: none, one, or a
// snapshot file's one per block.
func (c *compilation) fileNodes(f *projectFile) ([]*Node, *Diagnostic) {
	if f.kind == "snapshots" && strings.HasSuffix(f.rel, ".sql") {
		return c.snapshotNodes(f)
	}
	n, d := c.fileNode(f)
	if n == nil {
		return nil, d
	}
	return []*Node{n}, d
}

// snapshotNodes makes the snapshots of a snapshot file: its one block's,
// whose text is the file's, or each of its several blocks' (snapshotBlocks).
func (c *compilation) snapshotNodes(f *projectFile) ([]*Node, *Diagnostic) {
	data := string(f.data)
	tags := snapshotTags(data)
	switch len(tags) {
	case 0:
		d := errorf(f.rel, 1, 1, "snapshot file has no {%% snapshot name %%} block")
		return nil, &d
	case 1:
		return []*Node{c.snapshotNode(snapshotName(data, tags), f)}, nil
	}
	blocks := snapshotBlocks(data, tags)
	out := make([]*Node, len(blocks))
	for i, b := range blocks {
		n := c.snapshotNode(b.name, f)
		n.placeBlock(b)
		out[i] = n
	}
	return out, nil
}

// placeBlock makes n the snapshot of block b of its file: b's text, at
// its line (what it says points at the file's lines).
func (n *Node) placeBlock(b snapshotBlock) {
	n.RawCode, n.blockLine = b.text, b.line
	n.blockTemplate = strings.Repeat("\n", b.line-1) + b.text
}

// snapshotNode makes a snapshot of file f (a SQL file's block, or a YAML
// snapshot's entry) with its folder config.
func (c *compilation) snapshotNode(name string, f *projectFile) *Node {
	n := c.newNode(TypeSnapshot, name, f)
	n.Config = c.folderConfig(f.proj, "snapshots", n.FQN)
	n.Config["materialized"] = "snapshot"
	return n
}

// fileNode makes the node a project file defines, if any; of a snapshot
// file with several blocks, the first (fileNodes makes them all).
func (c *compilation) fileNode(f *projectFile) (*Node, *Diagnostic) {
	base := path.Base(f.rel)
	switch {
	case f.kind == "models" && strings.HasSuffix(base, ".py"):
		// mart runs SQL only: say so here, and at every ref() of it
		name := strings.TrimSuffix(base, ".py")
		c.mu.Lock()
		if c.pythonModels == nil {
			c.pythonModels = map[string]string{}
		}
		c.pythonModels[name] = f.rel
		c.mu.Unlock()
		d := warnf(f.rel, 1, 1, "Python model %q is not built: mart runs SQL models only", name)
		d.Detail = "write it as a .sql model, or keep it for dbt; a model that refs it cannot build in mart"
		return nil, &d
	case f.kind == "models" && strings.HasSuffix(base, ".sql"):
		name := strings.TrimSuffix(base, ".sql")
		n := c.newNode(TypeModel, name, f)
		n.Config = c.folderConfig(f.proj, "models", n.FQN)
		if n.Config["materialized"] == nil {
			n.Config["materialized"] = "view"
		}
		return n, nil
	case f.kind == "analyses" && strings.HasSuffix(base, ".sql"):
		n := c.newNode(TypeAnalysis, strings.TrimSuffix(base, ".sql"), f)
		n.Config = c.folderConfig(f.proj, "analyses", n.FQN)
		n.Config["materialized"] = "view" // as dbt records it; never built
		return n, nil
	case f.kind == "snapshots" && strings.HasSuffix(base, ".sql"):
		ns, d := c.snapshotNodes(f)
		if len(ns) == 0 {
			return nil, d
		}
		return ns[0], d
	case f.kind == "seeds" && strings.HasSuffix(base, ".csv"):
		name := strings.TrimSuffix(base, ".csv")
		n := c.newNode(TypeSeed, name, f)
		n.SeedPath = f.rel
		n.Config = c.folderConfig(f.proj, "seeds", n.FQN)
		n.Config["materialized"] = "seed"
		n.Checksum = f.sum
		return n, nil
	case f.kind == "tests" && strings.HasSuffix(base, ".sql") && !testBlockRE().Match(f.data):
		name := strings.TrimSuffix(base, ".sql")
		n := c.newNode(TypeTest, name, f)
		n.TestType = "singular"
		n.Config = c.folderConfig(f.proj, "tests", n.FQN)
		n.Config["materialized"] = "test"
		return n, nil
	}
	return nil, nil
}

// relationRE is what a YAML snapshot's relation may be: one ref() or
// source() call, as in dbt.
var relationRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(ref|source)\s*\(.*\)\s*$`) })

// loadYAMLSnapshots makes a snapshot node of every YAML snapshot entry with
// a relation: (dbt 1.9's way: snapshots/*.yml, no SQL file). Its SQL is
// `select * from {{ <relation> }}`; config, description and columns are
// applied by applyPatches like those of any other node.
func (c *compilation) loadYAMLSnapshots() {
	for _, p := range c.props {
		for _, e := range p.Snapshots {
			rel, ok := e.Rest["relation"]
			if !ok {
				continue
			}
			text, _ := rel.(string)
			if e.Name == "" {
				c.addDiag(errorf(p.file, e.Line, 0, "snapshot entry with relation: but no name:"))
				continue
			}
			if !relationRE().MatchString(text) {
				c.addDiag(errorf(p.file, e.RelationAt[0], e.RelationAt[1], "snapshot %q: relation must be ref('model') or source('source', 'table'), not %q", e.Name, fmt.Sprint(rel)))
				continue
			}
			code := "select * from {{ " + strings.TrimSpace(text) + " }}"
			f := &projectFile{kind: "snapshots", proj: p.pkg, root: p.root, rel: p.file, data: []byte(code)}
			n := c.snapshotNode(e.Name, f)
			n.yamlFile, n.yamlLine = p.file, e.Line
			n.relationAt = e.RelationAt
			c.nodes = append(c.nodes, n)
		}
	}
}

func (c *compilation) newNode(kind, name string, f *projectFile) *Node {
	n := &Node{ResourceType: kind, Name: name, Package: f.proj.Name, Path: f.rel,
		UniqueID: kind + "." + f.proj.Name + "." + name, Language: "sql",
		Columns: map[string]*Column{}, Meta: map[string]any{}}
	n.FQN = fqnFor(f.proj, f.root, f.rel, name)
	if kind == TypeSnapshot && strings.HasSuffix(f.rel, ".sql") {
		n.FQN = snapshotFQN(f.proj, f.root, f.rel, name)
	}
	if kind != TypeSeed {
		n.RawCode = string(f.data)
		if n.Checksum = f.sum; n.Checksum.Checksum == "" {
			n.Checksum = checksum(f.data)
		}
	}
	return n
}

// applyPatches merges YAML properties into the nodes they describe.
func (c *compilation) applyPatches() {
	index := map[string]*Node{}
	versions := map[string][]*Node{} // a versioned model's nodes, by name
	for _, n := range c.nodes {
		key := nameKey(n)
		if n.Version != "" {
			k := n.ResourceType + ":" + n.Name
			versions[k] = append(versions[k], n)
		}
		if prev, ok := index[key]; ok {
			// as in dbt, nodes may share a name when all but one are
			// disabled (a prod and a dev variant), which their configs
			// say once rendered: checkSharedNames
			if c.shared == nil {
				c.shared = map[string][]*Node{}
			}
			if len(c.shared[key]) == 0 {
				c.sharedKeys = append(c.sharedKeys, key)
				c.shared[key] = []*Node{prev}
			}
			c.shared[key] = append(c.shared[key], n)
			continue
		}
		index[key] = n
	}
	var plain []propPatch
	for _, p := range c.props {
		for kind, entries := range map[string][]*propEntry{TypeModel: p.Models, TypeSeed: p.Seeds, TypeSnapshot: p.Snapshots, TypeAnalysis: p.Analyses} {
			for _, e := range entries {
				n := index[kind+":"+e.Name]
				if vs := versions[kind+":"+e.Name]; len(vs) > 0 {
					for _, v := range vs {
						c.applyPatch(p, kind, e, v)
						c.applyVersionSpec(p.file, e.Line, v)
					}
					continue
				}
				if _, declared := e.Rest["relation"]; n == nil && kind == TypeSnapshot && declared {
					continue // a YAML snapshot whose relation: was reported
				}
				if n == nil {
					var names []string
					for k := range index {
						if strings.HasPrefix(k, kind+":") {
							names = append(names, strings.TrimPrefix(k, kind+":"))
						}
					}
					d := warnf(p.file, e.Line, 0, "%s %q is described here but no such %s exists", kind, e.Name, kind)
					d.Detail = didYouMean(e.Name, names)
					c.addDiag(d)
					continue
				}
				if vs := c.shared[kind+":"+e.Name]; len(vs) > 0 {
					// the nodes of the name the entry describes, enabled or
					// not, as dbt patches its disabled nodes too
					for _, v := range entryNodes(p, e, vs) {
						plain = append(plain, propPatch{p, kind, e, v})
					}
					continue
				}
				plain = append(plain, propPatch{p, kind, e, n})
			}
		}
	}
	c.describeSingularTests(index)
	// each entry's node is patched by one worker: 10,000 of them (their
	// descriptions and columns) took 9 ms alone; a node two entries
	// describe is patched in their order (the second is reported), so then
	// all are, in order
	seen := make(map[*Node]bool, len(plain))
	for _, j := range plain {
		if seen[j.n] {
			for _, j := range plain {
				c.applyPatch(j.p, j.kind, j.e, j.n)
			}
			return
		}
		seen[j.n] = true
	}
	parallel(len(plain), func(i int) {
		j := plain[i]
		c.applyPatch(j.p, j.kind, j.e, j.n)
	})
}

// propPatch is one applyPatch of applyPatches.
type propPatch struct {
	p    *properties
	kind string
	e    *propEntry
	n    *Node
}

// applyPatch applies a YAML entry (description, columns, config, meta) to
// its node.
func (c *compilation) applyPatch(p *properties, kind string, e *propEntry, n *Node) {
	if n.PatchPath != "" {
		c.addDiag(errorf(p.file, e.Line, 0, "%s %q is described twice (also in %s)", kind, e.Name, n.PatchPath))
		return
	}
	n.PatchPath = p.file
	n.yamlFile, n.yamlLine = p.file, e.Line
	n.Description = c.renderDescription(p.file, e.Line, e.Description)
	n.Columns = columnsFrom(c, p.file, e.Columns)
	if cs, ok := e.Rest["constraints"].([]any); ok {
		n.Constraints = nil
		for _, x := range cs {
			if m, ok := x.(map[string]any); ok {
				n.Constraints = append(n.Constraints, m)
			}
		}
	}
	if kind == TypeAnalysis && len(e.Tests)+len(e.DataTests) > 0 {
		d := warnf(p.file, e.Line, 0, "analysis %q: analyses are not tested; its data_tests: are ignored", e.Name)
		d.Detail = "dbt refuses tests on an analysis: test the models it reads"
		c.addDiag(d)
	}
	if v, set := e.Rest["deprecation_date"]; set && v != nil && kind == TypeModel { // empty: none, as in dbt
		c.setDeprecationDate(p.file, cmp.Or(e.DeprecationLine, e.Line), n, v, e.DeprecationText)
	}
	for k := range e.Rest {
		if k == "version" || k == "versions" || k == "latest_version" || k == "access" || k == "group" || k == "contract" || k == "constraints" ||
			(k == "relation" && kind == TypeSnapshot) || k == "deprecation_date" && kind == TypeModel {
			continue
		}
		d := warnf(p.file, e.Line, 0, "unknown property %q on %s %q", k, kind, e.Name)
		d.Detail = didYouMean(k, []string{"name", "description", "config", "columns", "data_tests", "tests", "meta", "docs"})
		c.addDiag(d)
	}
	for k := range e.Config {
		if !knownConfig[normalizeConfigKey(k)] {
			d := warnf(p.file, e.Line, 0, "unknown config key %q on %s %q", k, kind, e.Name)
			d.Detail = didYouMean(k, knownConfigNames())
			c.addDiag(d)
		}
	}
	mergeConfig(n.Config, e.Config)
	n.yamlLayers = append(n.yamlLayers, configLayer{conf: e.Config, raw: e.ConfigRaw})
	if e.Meta != nil {
		n.yamlLayers = append(n.yamlLayers, configLayer{conf: map[string]any{"meta": e.Meta}, raw: e.MetaRaw})
		mergeConfig(n.Config, map[string]any{"meta": e.Meta})
	}
	// the entry's own access, group, docs and contract are configs: dbt
	// moves them under config: (its normalize_*_attribute), and refuses
	// one set in both places
	for _, k := range [...]string{"access", "group", "docs", "contract"} {
		v, ok := e.Rest[k]
		if k == "docs" {
			v, ok = e.Docs, e.Docs != nil
		}
		if !ok {
			continue
		}
		if _, set := e.Config[k]; set {
			d := errorf(p.file, e.Line, 0, "%s %q sets %s both on its entry and under config:", kind, e.Name, k)
			d.Detail = "dbt refuses both: keep one of them"
			c.addDiag(d)
			continue
		}
		n.yamlLayers = append(n.yamlLayers, configLayer{conf: map[string]any{k: v}})
		mergeConfig(n.Config, map[string]any{k: v})
	}
}

// renderable returns the nodes whose text is a template.
func (c *compilation) renderable() []*Node {
	var out []*Node
	for _, n := range c.nodes {
		if n.ResourceType == TypeModel || n.ResourceType == TypeSnapshot || n.ResourceType == TypeTest || n.ResourceType == TypeAnalysis {
			out = append(out, n)
		}
	}
	return out
}

// provisionalRelations names every node's relation from the config known
// before rendering, so ref('x').identifier works during rendering, and
// indexes the enabled models, seeds and snapshots by name.
func (c *compilation) provisionalRelations() {
	for _, n := range c.nodes {
		c.setRelation(n)
		if n.Enabled() && n.ResourceType != TypeTest && n.ResourceType != TypeAnalysis {
			c.index(n)
		}
	}
}

// renderShared renders the nodes that share a name once to learn which
// is enabled, then every node with what ref() of such a name finds made
// from that: the node its config() left enabled, its relation as that
// config() names it (found by review: a reader saw the variant disabled
// once rendered, a reader that shares a name too).
func (c *compilation) renderShared() {
	var first []*Node
	nodes := c.renderable()
	for _, n := range nodes {
		if c.sharesName(n) {
			first = append(first, n)
		}
	}
	pre := make([]Config, len(first)) // their configs before the render
	for i, n := range first {
		pre[i] = n.Config
	}
	c.renderNodes(first, true)
	for _, key := range c.sharedKeys {
		ns := c.shared[key]
		if t := ns[0].ResourceType; t == TypeTest || t == TypeAnalysis {
			continue
		}
		for _, n := range ns {
			if c.byName[n.Name] == n {
				delete(c.byName, n.Name)
			}
			if n.Version != "" && c.versions[n.Name][n.Version] == n {
				delete(c.versions[n.Name], n.Version)
			}
		}
		for _, n := range ns {
			if n.Enabled() {
				c.setRelation(n)
				c.index(n)
			}
		}
	}
	for i, n := range first {
		n.Config = pre[i]
	}
	c.renderAll(nodes)
}

// captureKey is the render key a node's patch capture holds: its
// renderKey, and for a variant of a shared name, which is never cached,
// the key it would have (the enabled one may be patched:
// patchableVariant).
func (c *compilation) captureKey(n *Node, key string) string {
	if key == "" && c.inv != nil && c.pp != nil && n.testCall == nil && c.sharesName(n) {
		key, _ = nodeRenderKey(n)
	}
	return key
}

// renderAll parses and renders nodes in parallel.
func (c *compilation) renderAll(nodes []*Node) { c.renderNodes(nodes, false) }

// renderNodes is renderAll; quiet, it only learns the configs the
// renders set (renderShared), keeping nothing else of them.
func (c *compilation) renderNodes(nodes []*Node, quiet bool) {
	states := make([]*renderState, len(nodes))
	c.mu.Lock()
	if c.captured == nil && c.inv != nil { // (grown one render at a time, under the lock, it was rehashed a dozen times)
		c.captured = make(map[string]*patchCapture, len(nodes))
	}
	if len(c.states) == 0 {
		c.states = make(map[string]*renderState, len(nodes))
	}
	c.mu.Unlock()
	parallel(len(nodes), func(i int) {
		n := nodes[i]
		key := c.renderKey(n)
		pc := c.capturePre(n, c.captureKey(n, key))
		if st := c.cachedState(n, key); st != nil {
			states[i] = st
			c.capturePost(n, pc, st)
			for _, d := range st.warnings {
				c.addDiag(d)
			}
			return
		}
		st, err := c.renderNode(n, RenderOptions{})
		if st != nil && st.needsWarehouse {
			// the template queries the warehouse: render it as dbt parses
			// it, to learn its refs and configs; the runner renders it
			// again with the warehouse
			n.RunTimeRender = true
			st, err = c.renderNode(n, RenderOptions{parse: true})
		}
		if quiet {
			return
		}
		states[i] = st
		if err != nil {
			n.renderFailed = true
			c.addTemplateError(c.namedInError(err, st))
			return
		}
		for _, d := range st.warnings {
			c.addDiag(d)
		}
		c.keepRender(n, key, st)
		c.capturePost(n, pc, st)
	})
	c.mu.Lock()
	for i, n := range nodes {
		if states[i] == nil {
			continue
		}
		shares := c.sharesName(n)
		// of nodes that share a name, the enabled one's (checkSharedNames)
		if c.states[n.UniqueID] == nil || n.Enabled() || !shares {
			c.states[n.UniqueID] = states[i]
		}
		if shares {
			if c.variantStates == nil {
				c.variantStates = map[string]*renderState{}
			}
			c.variantStates[variantID(n)] = states[i]
		}
	}
	c.mu.Unlock()
}

// variantID names one of the nodes that share a unique id (variants of a
// name) by its id and place; no node has it as its id.
func variantID(n *Node) string {
	id := n.UniqueID + " (" + n.Path
	switch {
	case n.relationAt[0] > 0: // a YAML snapshot: its entry's line
		id += fmt.Sprintf(":%d", n.yamlLine)
	case n.blockLine > 0: // a snapshot file's block
		id += fmt.Sprintf(":%d", n.blockLine)
	}
	return id + ")"
}

// renderNode renders one node's template (or generic test call) and keeps
// its compiled SQL and config.
func (c *compilation) renderNode(n *Node, opt RenderOptions) (*renderState, error) {
	// the render reads n.Config and writes its own copy, made by the
	// first config() call (other renders may read n.Config meanwhile):
	// most renders (every generic test) call none
	st := &renderState{node: n, config: n.Config, configShared: true}
	if n.Config == nil {
		st.config, st.configShared = map[string]any{}, false
	}
	var out jinja.Output
	var err error
	if n.testCall != nil {
		out, err = c.renderTestCall(st, n.testCall, opt)
	} else {
		// the template is parsed again if a build needs it (see template):
		// keeping 10,000 parsed templates costs more memory than re-parsing
		// the few that are rendered again
		var tpl *jinja.Template
		if tpl, err = c.engine.Parse(n.Path, n.templateText()); err != nil {
			return nil, atDeclaration(err, n)
		}
		n.rerender = true
		// a package's node calls its package's macros by their own names
		// first, as its macros do
		pkg := n.Package
		if pkg == c.project.Name {
			pkg = ""
		}
		out, err = tpl.ExecLocalsIn(pkg, c.renderLocals(st, opt), c.sharedContext())
	}
	if err != nil {
		return st, atDeclaration(err, n)
	}
	st.macros = out.Macros
	n.CompiledCode = strings.TrimSpace(out.Text)
	n.Config = Config(st.config)
	return st, nil
}

// entryNodes are the nodes of a shared name (applyPatches) a properties
// entry describes: an entry with relation: its YAML snapshot alone; any
// other, those that are not YAML snapshots, of the file's own package
// when it has one of the name (dbt patches its own package's nodes: a
// root model that replaces a package's disabled one is not the
// package's YAML's), else all of them.
func entryNodes(p *properties, e *propEntry, vs []*Node) []*Node {
	if _, declared := e.Rest["relation"]; declared {
		for _, v := range vs {
			if v.relationAt[0] > 0 && v.yamlFile == p.file && v.yamlLine == e.Line {
				return []*Node{v}
			}
		}
		return nil
	}
	var out, own []*Node
	for _, v := range vs {
		if v.relationAt[0] == 0 {
			out = append(out, v)
			if v.Package == p.pkg.Name {
				own = append(own, v)
			}
		}
	}
	if len(own) > 0 {
		return own
	}
	return out
}

// checkSharedNames reports the nodes that share a name (applyPatches) of
// which more than one is enabled once rendered; those disabled go to
// manifest.json's disabled, as dbt's do.
func (c *compilation) checkSharedNames() {
	for _, key := range c.sharedKeys {
		var first *Node
		for _, n := range c.shared[key] {
			// (one whose render failed has its error: whether it is
			// enabled is not known)
			if !n.Enabled() || n.renderFailed {
				continue
			}
			if first == nil {
				first = n
				continue
			}
			line, col := max(n.blockLine, 1), 1 // (a snapshot file's block: its line)
			if n.relationAt[0] > 0 {            // a YAML snapshot: its entry
				line, col = n.yamlLine, 0
			}
			d := errorf(n.Path, line, col, "duplicate %s name %q: also defined in %s", n.ResourceType, n.Name, first.Path)
			d.Detail = "names must be unique across the project: rename one of the files, or disable all but one (enabled=false)"
			c.addDiag(d)
		}
	}
}

// sharesName says n's unique id is another node's too (applyPatches).
func (c *compilation) sharesName(n *Node) bool {
	if len(c.shared) == 0 {
		return false
	}
	return len(c.shared[nameKey(n)]) > 0
}

// nameKey is how applyPatches keys a node's name: kind:name, and
// @v<version> for a version's.
func nameKey(n *Node) string {
	key := n.ResourceType + ":" + n.Name
	if n.Version != "" {
		key += "@v" + n.Version
	}
	return key
}

// finishConfigs settles enabled flags, schemas, aliases and relation names.
func (c *compilation) finishConfigs() {
	enabled := make([]bool, len(c.nodes))
	parallel(len(c.nodes), func(i int) {
		n := c.nodes[i]
		settleTagsMeta(n)
		if enabled[i] = n.Enabled(); enabled[i] {
			c.setRelation(n)
		}
	})
	c.byName = make(map[string]*Node, len(c.nodes))
	c.versions = nil
	for i, n := range c.nodes {
		switch {
		case !enabled[i]:
			c.disabled[n.Name] = n
		case n.ResourceType != TypeTest && n.ResourceType != TypeAnalysis: // analyses cannot be ref'd
			c.index(n)
		}
	}
}

// settleTagsMeta gives a node the tags and meta its config holds, as
// finishConfigs does once the renders set their configs (also for the
// nodes a patch makes: patchadd.go, patchseeds.go).
func settleTagsMeta(n *Node) {
	n.Tags = nodeTags(n)
	if m, ok := n.Config["meta"].(map[string]any); ok {
		n.Meta = m
	}
}

// index makes n what ref() of its name finds: a versioned model by its
// version, and by its name when it is the latest.
func (c *compilation) index(n *Node) {
	if n.Version == "" {
		c.byName[n.Name] = n
		return
	}
	if c.versions == nil {
		c.versions = map[string]map[string]*Node{}
	}
	if c.versions[n.Name] == nil {
		c.versions[n.Name] = map[string]*Node{}
	}
	c.versions[n.Name][n.Version] = n
	if n.Version == n.LatestVersion {
		c.byName[n.Name] = n
	}
}

// scanError is the diagnostic of a file or directory the scan cannot
// read, on its path when it is in the project: a symlink to nothing, a
// file or directory without read permission, a symlink to a directory
// (not followed: it says so, and what to do).
func (c *compilation) scanError(err error) Diagnostic {
	var pe *fs.PathError
	if errors.As(err, &pe) && filepath.IsAbs(pe.Path) {
		if rel, rerr := filepath.Rel(c.project.Dir, pe.Path); rerr == nil && !strings.HasPrefix(rel, "..") {
			if li, err := os.Lstat(pe.Path); err == nil && li.Mode()&fs.ModeSymlink != 0 && isDir(pe.Path) {
				d := errorf(filepath.ToSlash(rel), 0, 0, "a symlink to a directory: mart does not follow it")
				d.Detail = "list the directory it points to in the project's paths (model-paths: in mart.yml or dbt_project.yml) instead"
				return d
			}
			return errorf(filepath.ToSlash(rel), 0, 0, "cannot read it: %v", pe.Err)
		}
	}
	return errorf(c.project.File, 0, 0, "%v", err)
}

// isDir says path is a directory (or a symlink to one).
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// testAliasCut says a test's name (or alias) is too long for a relation:
// its alias is then cut and ends with its checksum's start, which an edit
// of a singular test's SQL changes.
func testAliasCut(n *Node) bool {
	return len(firstNonEmpty(n.Config.String("alias"), n.Name)) > 63
}

// setRelation computes database, schema, alias and the relation name.
func (c *compilation) setRelation(n *Node) {
	switch n.ResourceType {
	case TypeSource, TypeAnalysis:
		return
	case TypeTest:
		n.Database = c.target.Database
		n.Schema = c.target.Schema + "_" + firstNonEmpty(n.Config.String("schema"), "dbt_test__audit")
		n.Alias = firstNonEmpty(n.Config.String("alias"), n.Name)
		if testAliasCut(n) { // a long name: given with name:, or a singular test's
			n.Alias = n.Alias[:50] + "_" + n.Checksum.Checksum[:8]
		}
		n.Database = c.databaseFor(n.Database, n.Schema)
		n.Relation = c.relationName(n.Database, n.Schema, n.Alias)
		return
	}
	n.Database = c.namingMacro("generate_database_name", n.Config.String("database"), n, func(custom string) string {
		return firstNonEmpty(custom, c.target.Database)
	})
	if n.ResourceType == TypeSnapshot && n.Config.String("target_schema") != "" {
		n.Schema = n.Config.String("target_schema")
	} else {
		n.Schema = c.schemaName(n.Config.String("schema"), n)
	}
	if n.ResourceType == TypeSnapshot && n.Config.String("target_database") != "" {
		n.Database = n.Config.String("target_database")
	}
	n.Alias = c.namingMacro("generate_alias_name", n.Config.String("alias"), n, func(custom string) string {
		if custom == "" && n.Version != "" {
			return n.Name + "_v" + strings.ReplaceAll(n.Version, ".", "_")
		}
		return firstNonEmpty(custom, n.Name)
	})
	n.Database = c.databaseFor(n.Database, n.Schema)
	n.Relation = c.relationName(n.Database, n.Schema, n.Alias)
}

// schemaName implements dbt's generate_schema_name default, unless the
// project overrides the macro.
func (c *compilation) schemaName(custom string, n *Node) string {
	return c.namingMacro("generate_schema_name", custom, n, func(custom string) string {
		if custom == "" {
			return c.target.Schema
		}
		return c.target.Schema + "_" + strings.TrimSpace(custom)
	})
}

// namingMacro calls the project's override of one of dbt's naming macros
// (generate_schema_name, generate_alias_name, generate_database_name) and
// falls back to the built-in rule when the project has none.
func (c *compilation) namingMacro(name, custom string, n *Node, builtin func(string) string) string {
	if m := c.engine.Macro(name); m != nil && m.File != "" && !m.Builtin() {
		out, err := c.callMacro(name, custom, n)
		if err == nil {
			return strings.TrimSpace(out)
		}
		c.addTemplateError(err)
	}
	return builtin(custom)
}

// callMacro renders a project's naming macro (generate_schema_name...) with
// the custom value (none when "") and the node, as dbt calls it: node.name,
// node.fqn, node.resource_type, node.config, node.package_name... Results
// are cached by the value and the node's package (whose vars var() reads)
// when the macro cannot see the node: it takes no second parameter (of
// any name) and reads no varargs or kwargs.
func (c *compilation) callMacro(name, arg string, n *Node) (string, error) {
	text := c.macroText(name)
	m := c.engine.Macro(name)
	usesNode := m == nil || len(m.Params) > 1 || strings.Contains(text, "varargs") || strings.Contains(text, "kwargs") ||
		strings.Contains(text, "node")
	key := name + "\x00" + arg
	if n != nil {
		key += "\x00" + n.Package
	}
	if !usesNode {
		if v, ok := c.schemaCache.Load(key); ok {
			return v.(string), nil
		}
	}
	src := fmt.Sprintf("{{ %s(__arg, __node) }}", name)
	if arg == "" {
		src = fmt.Sprintf("{{ %s(none, __node) }}", name)
	}
	tpl, err := c.engine.Parse("<"+name+">", src)
	if err != nil {
		return "", err
	}
	vars := c.project.Vars
	if n != nil {
		vars = c.project.varsOfPackage(n.Package)
	}
	res, err := tpl.Exec(map[string]any{"__arg": arg, "__node": nodeValue(n), "target": c.targetValue, "var": varFunc(vars), "env_var": envVar}, nil)
	if err != nil {
		return "", err
	}
	for _, m := range res.Macros {
		c.namingUsed.Store(m, true) // an edit of these renames relations (patch.go)
	}
	if !usesNode {
		c.schemaCache.Store(key, res.Text)
	}
	return res.Text, nil
}

// macroText is a root macro's source text ("" when unknown).
func (c *compilation) macroText(name string) string {
	m := c.engine.Macro(name)
	if m == nil {
		return ""
	}
	return c.macroSources[name]
}

// NodeValue is a node as templates see it (dbt's node context: a graph
// node, an on-run-end hook's result.node): a fresh map of its own.
func NodeValue(n *Node) any { return nodeValue(n) }

// nodeValue is a node as macros see it (dbt's node context).
func nodeValue(n *Node) any {
	if n == nil {
		return nil
	}
	fqn := make([]any, len(n.FQN))
	for i, x := range n.FQN {
		fqn[i] = x
	}
	tags := make([]any, len(n.Tags))
	for i, x := range n.Tags {
		tags[i] = x
	}
	return map[string]any{"name": n.Name, "unique_id": n.UniqueID, "resource_type": n.ResourceType, "package_name": n.Package,
		"fqn": &jinja.List{Items: fqn}, "path": n.Path, "original_file_path": n.Path, "config": map[string]any(n.Config),
		"tags": &jinja.List{Items: tags}, "alias": n.Alias, "schema": n.Schema, "database": n.Database}
}
