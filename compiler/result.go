package compiler

import (
	"fmt"
	"github.com/mart-dev/mart/internal/phase"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// compiledRel is where node n's compiled file goes, relative to the target
// directory: its CompiledPath's, which the compile set from compiledPath.
// A node loaded from manifest.json (patchload.go) keeps the compile's: its
// generic test's arguments come back from JSON (1.0 for 1), and its hashed
// file name could not be made again from them.
func (r *Result) compiledRel(n *Node) string {
	if prefix := joinClean(r.Project.TargetPath, "x"); n.CompiledPath != "" && len(prefix) > 1 {
		prefix = prefix[:len(prefix)-1]
		if rel := strings.TrimPrefix(n.CompiledPath, prefix); rel != n.CompiledPath && rel != "" && inside(rel) == rel {
			return rel
		}
	}
	return compiledPath(n)
}

// compiledPath returns where a node's compiled SQL is written, relative to
// the target directory ("" for nodes without a file of compiled SQL).
func compiledPath(n *Node) string {
	p := n.Path
	if n.ResourceType == TypeTest && n.TestType == "generic" || n.ResourceType == TypeSnapshot && n.relationAt[0] > 0 {
		// declared in YAML: a file per node beside the YAML file
		name := n.Name
		if n.ResourceType == TypeTest {
			name = testShortName(n) // dbt: a long name's hashed one
		}
		p = path.Dir(n.Path) + "/" + name + ".sql" // inside cleans it (path.Join did)
	} else if n.blockLine > 0 {
		// one of a snapshot file's blocks: a file each in a directory
		// named as the file, as dbt writes the nodes of a file that
		// defines several; no other file's can be there (a directory
		// named as the file without .sql could hold one: found by review).
		// When the file held one block, its compiled file is in the way,
		// and the other way round: prepareCompiled removes it.
		p = n.Path + "/" + n.Name + ".sql"
	}
	if n.ResourceType == TypeSeed || n.ResourceType == TypeSource || n.ResourceType == TypeUnitTest {
		return ""
	}
	return joinClean("compiled", inside(p))
}

// joinClean is path.Join(dir, rel) for a clean dir and a rel that inside
// made (clean, relative, without ..): one concatenation, which path.Join
// spends two allocations on (30,000 nodes' paths, three times each).
func joinClean(dir, rel string) string {
	if dir == "" || dir == "." || dir == "/" || rel == "" || rel == "." || path.Clean(dir) != dir {
		return path.Join(dir, rel)
	}
	return dir + "/" + rel
}

// inside makes a node's path (relative to the project, which a model path
// outside the project makes ../shared/m.sql) a path that stays below the
// directory it is joined to: each ".." becomes "__", a leading / goes.
func inside(p string) string {
	if !strings.Contains(p, "..") && !strings.Contains(p, "\\") && p != "" && p[0] != '/' && path.Clean(p) == p {
		return p // already inside (no allocation)
	}
	parts := strings.Split(strings.TrimPrefix(path.Clean(filepath.ToSlash(p)), "/"), "/")
	for i, s := range parts {
		if s == ".." {
			parts[i] = "__"
		}
	}
	return strings.Join(parts, "/")
}

// TargetDir returns the absolute target directory.
func (r *Result) TargetDir() string { return r.Project.targetDir() }

// WriteTarget writes the compiled SQL of the given nodes and
// target/manifest.json, at the same time.
func (r *Result) WriteTarget(ids []string) error {
	wait, err := r.StartWriteTarget(ids)
	if err != nil {
		return err
	}
	return wait()
}

// PutBackManifest makes target/manifest.json the project's again, for a
// command loaded from the patch snapshot that writes target/ without
// writing files (show, run-operation, source freshness: their whole
// compiles write manifest.json), when a --defer run's was in place
// (patchdefer.go).
func (r *Result) PutBackManifest() {
	if r.light != nil && len(r.deferred) == 0 {
		r.light.putBack()
	}
}

// wholeWriteHook, when set (tests), runs when a compile that is not
// loaded from the snapshot wrote its compiled files and is about to put
// its manifest.json in place.
var wholeWriteHook func()

// StartWriteTarget makes the directories of the given nodes' compiled
// files and writes their compiled SQL, target/manifest.json and the
// partial-parse cache in the background; wait returns when all are written. It changes no node: a
// build reads them meanwhile.
func (r *Result) StartWriteTarget(ids []string) (wait func() error, err error) {
	write, err := r.prepareCompiled(ids)
	if err != nil {
		return nil, fmt.Errorf("writing compiled SQL: %v", err)
	}
	if r.light != nil {
		if len(r.deferred) == 0 {
			r.light.putBack() // a --defer run's manifest.json was in place
			return r.writeLight(write), nil
		}
		// the compiled files it writes read the state's relations: a
		// compile cannot take target/compiled as its own (a run's)
		r.light.snap.Partial = true
		wait := r.writeLight(write)
		return sync.OnceValue(func() error {
			if err := wait(); err != nil {
				return err
			}
			if err := r.light.writeDeferred(r.deferred); err != nil {
				return fmt.Errorf("writing manifest: %v", err)
			}
			return nil
		}), nil
	}
	if r.patch != nil {
		r.patch.writing() // its blobs file is written beside these
	}
	type staged struct {
		commit func(keep bool) (fileStat, error)
		err    error
	}
	files, manifest, cache := make(chan error, 1), make(chan staged, 1), make(chan struct{})
	go func() { err := write(); phase.Mark("compiled files"); files <- err }()
	go func() {
		// a cache that cannot be written costs the next compile time,
		// never correctness: no error for it
		if pc := r.parseCache; pc != nil {
			_ = writeParseCache(pc.file, pc.pc)
			phase.Mark("partial-parse cache")
		}
		close(cache)
	}()
	// a --defer run that keeps a snapshot writes the project's
	// manifest.json, which the snapshot describes, then splices its own
	// entries in (stashDeferred)
	stash := r.patch != nil && len(r.deferred) > 0 // (Defer sets written and project too)
	var at *manifestOffsets
	go func() {
		m := r.Manifest
		switch {
		case stash:
			m = r.project
		case r.written != nil:
			m = r.written
		}
		if r.patch != nil && (r.written == nil || stash) {
			at = &manifestOffsets{}
		}
		commit, err := stageManifestAt(filepath.Join(r.TargetDir(), "manifest.json"), m, at)
		if at != nil && err == nil {
			r.patch.offsets = at
		}
		phase.Mark("manifest.json")
		manifest <- staged{commit, err}
	}()
	return sync.OnceValue(func() error {
		unlock := func() { // prepareCompiled's lock
			if r.writeUnlock != nil {
				r.writeUnlock()
				r.writeUnlock = nil
			}
		}
		defer unlock()
		ferr := <-files
		if wholeWriteHook != nil && r.light == nil {
			wholeWriteHook()
		}
		m := <-manifest
		<-cache
		if ferr != nil {
			// the manifest would name files that are not there
			if m.err == nil {
				m.commit(false)
			}
			return fmt.Errorf("writing compiled SQL: %v", ferr)
		}
		if m.err == nil {
			r.manifestStat, m.err = m.commit(true)
		}
		unlock() // target/ is written (stashDeferred takes the lock again)
		if m.err == nil {
			// a --defer run's kept manifest.json is not the project's now
			// (patchdefer.go)
			dropDeferred(r.TargetDir())
		}
		if m.err == nil && stash {
			if err := r.stashDeferred(r.manifestStat, at.nodes); err != nil {
				r.manifestStat = fileStat{} // no snapshot is kept
				return fmt.Errorf("writing manifest: %v", err)
			}
		}
		if m.err != nil {
			return fmt.Errorf("writing manifest: %v", m.err)
		}
		return nil
	}), nil
}

// InputKey returns the mock key of a unit test input such as
// "ref('stg_x')", "ref('m', v=2)" or "source('raw', 'members')". Names are
// quoted strings, read whole (a name may hold the other quote).
func InputKey(input string) (string, error) {
	input = strings.TrimSpace(input)
	if input == "this" {
		return "this", nil
	}
	bad := fmt.Errorf("input %q: expected ref('model') or source('source', 'table')", input)
	m := inputRE().FindStringSubmatch(input)
	if m == nil {
		return "", bad
	}
	var pos []string
	kw := map[string]string{}
	rest := strings.TrimSpace(m[2])
	for rest != "" {
		a := inputArgRE().FindStringSubmatch(rest)
		if a == nil {
			return "", bad
		}
		v := a[2] + a[3] + a[4]
		if a[1] != "" {
			kw[a[1]] = v
		} else {
			if len(kw) > 0 {
				return "", bad
			}
			pos = append(pos, v)
		}
		rest = strings.TrimSpace(rest[len(a[0]):])
	}
	switch {
	case m[1] == "ref" && (len(pos) == 1 || len(pos) == 2):
		version := kw["v"]
		if version == "" {
			version = kw["version"]
		}
		return "ref:" + refKey(pos[len(pos)-1], version), nil
	case m[1] == "source" && len(pos) == 2 && len(kw) == 0:
		return "source:" + pos[0] + "." + pos[1], nil
	}
	return "", bad
}

var (
	inputRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(ref|source)\s*\((.*)\)$`) })
	// one argument and its comma: [name=]'text', "text" or a number
	inputArgRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:(\w+)\s*=\s*)?(?:'([^']*)'|"([^"]*)"|([0-9][0-9.]*))\s*(?:,|$)`)
	})
)
