// Package load finds an okr workspace, reads its YAML files in parallel with
// safety limits, and decodes them into the model. It keeps every file's YAML
// node tree so later stages can report exact lines and columns. Files it
// refuses (too large, not UTF-8, bad YAML, duplicate keys, alias bombs,
// symlinks that leave the workspace, top level not a mapping) come back as
// diagnostics; only I/O failures are errors.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/okrkit/okr/internal/diag"
	"github.com/okrkit/okr/internal/model"
)

// Well-known paths in a workspace.
const (
	MarkerFile    = "okr.yaml"
	OrgFile       = "org.yaml"
	CyclesFile    = "cycles.yaml"
	ObjectivesDir = "objectives"
)

// DefaultMaxFileBytes is the size cap when okr.yaml sets none.
const DefaultMaxFileBytes = 1 << 20

// DefaultMaxNodes is the cap on YAML nodes (keys, values, list items) of
// one file when okr.yaml sets none: a large real objective file holds a few
// thousand.
const DefaultMaxNodes = 100_000

// The largest values okr.yaml's limits accept (the schema says the same).
const (
	MaxMaxFileBytes = 1 << 30
	MaxMaxNodes     = 10_000_000
)

// ErrNoWorkspace is returned by FindRoot when no folder holds okr.yaml.
var ErrNoWorkspace = errors.New("no workspace found")

// FindRoot returns the absolute path of the nearest folder, dir or one of its
// parents, that holds okr.yaml.
func FindRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("open workspace folder: %w", err)
	} else if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a folder", dir)
	}
	for d := abs; ; {
		// Lstat: a dangling or looping okr.yaml link still marks the
		// root, and is reported there as a broken link.
		if fi, err := os.Lstat(filepath.Join(d, MarkerFile)); err == nil && (fi.Mode()&fs.ModeSymlink != 0 || !fi.IsDir()) {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("%w: no %s in %s or any parent folder", ErrNoWorkspace, MarkerFile, abs)
		}
		d = parent
	}
}

// Options tunes Load.
type Options struct {
	// Workers is how many files are read and parsed at once; 0 means GOMAXPROCS.
	Workers int
	// Check, when set, runs on every parsed document inside the worker that
	// parsed it (validate uses it for JSON Schema checks), so per-file work
	// shares the loader's parallelism.
	Check func(*Document) []diag.Diagnostic
	// KeepTrees keeps each Document's Root. By default a tree is dropped
	// once the file is checked and decoded: the model keeps every position
	// it needs, and a workspace's trees take several times the memory of
	// its model.
	KeepTrees bool
	// Overlay replaces or adds files: each key is a slash path relative to
	// the root (a path KindOf accepts) whose bytes are read from the map
	// instead of the disk. A nil value removes the file. Editing commands
	// use it to validate a change before writing it.
	Overlay map[string][]byte
	// CheckinText, when set, picks the check-in notes and answers' texts
	// to keep: one it returns false for reads as "" (an answer keeps its
	// question and position). A command that prints none of them keeps
	// only those its rules report (okr validate: texts holding a control
	// character), sparing the model the bytes of all the others, most of
	// a large workspace's text. nil keeps every one.
	CheckinText func(text string) bool
	// Sized, when set, is called once the files to read are known, before
	// any but okr.yaml is read, with their size in bytes (what the disk
	// or Overlay says; okr.yaml's not counted). okr validate derives a
	// memory limit from it; the loader itself sets nothing.
	Sized func(bytes int64)
}

// Result is a loaded workspace.
type Result struct {
	Workspace *model.Workspace
	// Documents holds every file found, sorted by path.
	Documents   []*Document
	Diagnostics []diag.Diagnostic
	// Stopped is set when okr.yaml itself could not be read or parsed:
	// the run stops there, with only okr.yaml's findings, since every
	// other file would be judged by settings that do not exist.
	Stopped bool
}

type job struct {
	rel  string // slash path relative to root
	kind Kind
	diag []diag.Diagnostic // set when the file is refused before reading
}

// rootPaths returns the workspace root as an absolute path, and with
// symbolic links resolved.
func rootPaths(root string) (abs, real string, err error) {
	if abs, err = filepath.Abs(root); err != nil {
		return "", "", fmt.Errorf("resolve workspace root: %w", err)
	}
	if real, err = filepath.EvalSymlinks(abs); err != nil {
		return "", "", fmt.Errorf("resolve workspace root: %w", err)
	}
	return abs, real, nil
}

// Load reads the workspace rooted at root (the folder holding okr.yaml).
func Load(root string, opts Options) (*Result, error) {
	root, realRoot, err := rootPaths(root)
	if err != nil {
		return nil, err
	}
	res := &Result{Workspace: &model.Workspace{Root: root}}
	// okr.yaml first: it sets the size cap for everything else.
	if err := loadSettings(res, root, realRoot, opts); err != nil {
		return nil, err
	}
	if res.Stopped {
		return res, nil
	}
	limit := int64(DefaultMaxFileBytes)
	if res.Workspace.Settings.MaxFileBytes > 0 {
		limit = res.Workspace.Settings.MaxFileBytes
	}
	jobs, err := discover(root, realRoot)
	if err != nil {
		return nil, err
	}
	r := &reader{root: root, jobs: overlayJobs(jobs, opts.Overlay), limit: limit, maxNodes: res.Workspace.Settings.MaxNodes, opts: opts}
	if err := r.readAll(); err != nil {
		return nil, err
	}
	for i, d := range r.docs {
		res.Diagnostics = append(res.Diagnostics, r.diags[i]...)
		res.Documents = append(res.Documents, d)
		ws, p := res.Workspace, &r.parts[i]
		ws.People = append(ws.People, p.People...)
		ws.Teams = append(ws.Teams, p.Teams...)
		ws.Cycles = append(ws.Cycles, p.Cycles...)
		ws.Objectives = append(ws.Objectives, p.Objectives...)
	}
	sort.Slice(res.Documents, func(i, j int) bool { return res.Documents[i].Path < res.Documents[j].Path })
	diag.Sort(res.Diagnostics)
	return res, nil
}

// loadSettings reads okr.yaml into res; when the loader refuses it
// (empty, not a mapping, bad YAML, ...), res is Stopped with its findings
// alone.
func loadSettings(res *Result, root, realRoot string, opts Options) error {
	wsJob := classify(root, realRoot, MarkerFile, KindWorkspace)
	if _, over := opts.Overlay[MarkerFile]; over {
		wsJob.diag = nil
	}
	wsDoc, wsDiags, err := readDocIn(root, wsJob, DefaultMaxFileBytes, DefaultMaxNodes, opts, nil)
	if err != nil {
		return err
	}
	res.Diagnostics = append(res.Diagnostics, wsDiags...)
	res.Documents = append(res.Documents, wsDoc)
	res.Workspace.Settings = decodeSettings(wsDoc)
	if wsDoc.Root == nil && len(wsDiags) > 0 {
		res.Stopped = true
		diag.Sort(res.Diagnostics)
		return nil
	}
	if !opts.KeepTrees {
		wsDoc.Root = nil
	}
	return nil
}

// reader reads, checks and decodes the workspace's files other than
// okr.yaml (jobs) on GOMAXPROCS workers (opts.Workers). Each worker
// decodes its documents into a part of the model; parts are merged in
// path order afterwards, so the result does not depend on which worker
// finished first.
type reader struct {
	root     string
	jobs     []job
	limit    int64
	maxNodes int
	opts     Options
	docs     []*Document
	diags    [][]diag.Diagnostic
	parts    []model.Workspace
}

func (r *reader) readAll() error {
	// sizes are the jobs' sizes, found before the workers start when
	// Sized wants their total.
	var sizes []int64
	if r.opts.Sized != nil {
		sizes = make([]int64, len(r.jobs))
		var total int64
		for i, j := range r.jobs {
			sizes[i] = sizeOf(r.root, j, r.opts)
			total += sizes[i]
		}
		r.opts.Sized(total)
	}
	r.docs = make([]*Document, len(r.jobs))
	r.diags = make([][]diag.Diagnostic, len(r.jobs))
	r.parts = make([]model.Workspace, len(r.jobs))
	errs := make([]error, len(r.jobs))
	workers := r.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	budget := newByteBudget(parseBudget)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One decoder per worker: its interned names are shared by the
			// files the worker decodes.
			dec := newDecoder()
			dec.keepText = r.opts.CheckinText
			for i := range next {
				var size int64
				if sizes != nil {
					size = sizes[i]
				} else {
					size = sizeOf(r.root, r.jobs[i], r.opts)
				}
				errs[i] = r.read(dec, budget, i, size)
			}
		}()
	}
	for i := range r.jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// read reads, checks and decodes file i (size bytes) with dec.
func (r *reader) read(dec *decoder, budget *byteBudget, i int, size int64) error {
	// A large file's tree costs tens of times its size in memory: large
	// files take a share of a fixed byte budget first, so peak memory
	// does not grow with the workers.
	w := budget.acquire(size)
	defer budget.release(w)
	// A tree dropped after checking and decoding is parsed into a pooled
	// arena, so its nodes are reused.
	var arena *fastArena
	if !r.opts.KeepTrees {
		arena = arenas.Get().(*fastArena)
		defer arena.release()
	}
	var err error
	r.docs[i], r.diags[i], err = readDocIn(r.root, r.jobs[i], r.limit, r.maxNodes, r.opts, arena)
	if r.docs[i] != nil {
		dec.into(&r.parts[i], r.docs[i])
		if !r.opts.KeepTrees {
			r.docs[i].Root = nil
		}
	}
	return err
}

// readDocIn is readDoc parsing into arena when it is not nil; the caller
// releases the arena once nothing uses the tree.
func readDocIn(root string, j job, limit int64, maxNodes int, opts Options, arena *fastArena) (*Document, []diag.Diagnostic, error) {
	if j.diag != nil {
		return &Document{Path: j.rel, Kind: j.kind}, j.diag, nil
	}
	data, over := opts.Overlay[j.rel]
	tooBig := over && int64(len(data)) > limit
	if !over {
		var err error
		var special string
		data, tooBig, special, err = readCapped(filepath.Join(root, filepath.FromSlash(j.rel)), limit)
		if err != nil {
			return nil, nil, err
		}
		if special != "" {
			return &Document{Path: j.rel, Kind: j.kind}, []diag.Diagnostic{specialDiag(j.rel, special)}, nil
		}
	}
	if tooBig {
		return &Document{Path: j.rel, Kind: j.kind}, []diag.Diagnostic{diag.New(j.rel, 1, 1, diag.CodeFileTooLarge,
			"file is larger than the %d-byte cap (limits.max_file_bytes in okr.yaml)", limit)}, nil
	}
	// Bytes read here are the loader's own; an overlay's are the caller's.
	doc, ds := parse(j.rel, j.kind, data, !over, arena, maxNodes)
	if opts.Check != nil && doc.Root != nil {
		ds = append(ds, opts.Check(doc)...)
	}
	return doc, ds, nil
}

// parseBudget is how many bytes of large files (smallFile and up) the
// workers parse at once; a file larger than the budget is parsed alone.
// With the 1 MiB default size cap that is two such files at a time, at
// any GOMAXPROCS (docs/performance.md has the measured peak memory).
const (
	parseBudget = 2 << 20
	smallFile   = 64 << 10
)

// sizeOf is the size of the file a job reads, 0 when unknown or refused.
func sizeOf(root string, j job, opts Options) int64 {
	if j.diag != nil {
		return 0
	}
	if data, over := opts.Overlay[j.rel]; over {
		return int64(len(data))
	}
	fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(j.rel)))
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return fi.Size()
}

// byteBudget is a counting semaphore over bytes.
type byteBudget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	limit int64
	used  int64
}

func newByteBudget(limit int64) *byteBudget {
	b := &byteBudget{limit: limit}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes (at most the whole budget) are free and
// takes them; it returns what it took. Small files take nothing.
func (b *byteBudget) acquire(n int64) int64 {
	if n < smallFile {
		return 0
	}
	n = min(n, b.limit)
	b.mu.Lock()
	for b.used+n > b.limit {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
	return n
}

func (b *byteBudget) release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// readCapped reads the regular file at path, up to limit bytes. A path
// that is no regular file (a FIFO, socket or device, also behind a link)
// is never read: special names what it is instead. The mode is checked
// before opening, and again on the open descriptor, which is opened
// non-blocking so that a FIFO swapped in between cannot hang the read.
func readCapped(path string, limit int64) (data []byte, tooBig bool, special string, err error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, false, modeName(fi.Mode()), nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false, "", fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false, "", fmt.Errorf("read %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, false, modeName(fi.Mode()), nil
	}
	if fi.Size() > limit {
		return nil, true, "", nil
	}
	// Size the buffer from Stat (plus room to see a file grow past the
	// cap), so a read is one allocation rather than io.ReadAll's doublings.
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	_, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	data = buf.Bytes()
	if err != nil {
		return nil, false, "", fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, true, "", nil
	}
	return data, false, "", nil
}

// modeName names a file type that is not a regular file.
func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m.IsDir():
		return "a folder"
	}
	return "not a regular file"
}

func specialDiag(rel, what string) diag.Diagnostic {
	return diag.New(rel, 1, 1, diag.CodeSpecialFile, "%s is %s, not a regular file; okr reads only regular files and did not open it", path.Base(rel), what)
}

func brokenLinkDiag(rel string, err error) diag.Diagnostic {
	why := "points to a file that does not exist"
	if errors.Is(err, syscall.ELOOP) || strings.Contains(err.Error(), "too many links") {
		why = "is part of a loop of links"
	}
	return diag.New(rel, 1, 1, diag.CodeBrokenLink, "symbolic link %s; okr cannot read it", why)
}

// classify checks one well-known path for symlink escapes.
func classify(root, realRoot, rel string, kind Kind) job {
	j := job{rel: rel, kind: kind}
	full := filepath.Join(root, filepath.FromSlash(rel))
	fi, err := os.Lstat(full)
	if err != nil {
		return j
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		if !fi.Mode().IsRegular() {
			j.diag = []diag.Diagnostic{specialDiag(rel, modeName(fi.Mode()))}
		}
		return j
	}
	if d, ok := linkDiag(realRoot, full, rel, false); ok {
		j.diag = []diag.Diagnostic{d}
	}
	return j
}

// linkDiag judges the symbolic link at full: a link to a FIFO, socket or
// device (wherever it is) is a special file, never opened; a link leaving
// the workspace is an escape; a dangling link or a loop is broken. A link
// to a folder is fine when dirOK. ok is false for a link okr may follow.
func linkDiag(realRoot, full, rel string, dirOK bool) (diag.Diagnostic, bool) {
	ti, statErr := os.Stat(full)
	if statErr == nil && !ti.Mode().IsRegular() && !(dirOK && ti.IsDir()) {
		return specialDiag(rel, modeName(ti.Mode())), true
	}
	if !insideRoot(realRoot, full) {
		return diag.New(rel, 1, 1, diag.CodeSymlinkEscape, "symbolic link points outside the workspace; okr does not follow it"), true
	}
	if _, err := filepath.EvalSymlinks(full); err != nil {
		return brokenLinkDiag(rel, err), true
	}
	return diag.Diagnostic{}, false
}

func insideRoot(realRoot, path string) bool {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		// A dangling link: judge where it points lexically.
		link, lerr := os.Readlink(path)
		if lerr != nil {
			return false
		}
		if !filepath.IsAbs(link) {
			dir, derr := filepath.EvalSymlinks(filepath.Dir(path))
			if derr != nil {
				return false
			}
			link = filepath.Join(dir, link)
		}
		target = filepath.Clean(link)
	}
	r, err := filepath.Rel(realRoot, target)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// overlayJobs applies an overlay to the discovered files: removed files
// leave, added ones join, in path order.
func overlayJobs(jobs []job, overlay map[string][]byte) []job {
	if len(overlay) == 0 {
		return jobs
	}
	out := jobs[:0:0]
	have := map[string]bool{}
	for _, j := range jobs {
		have[j.rel] = true
		if data, over := overlay[j.rel]; over && data == nil {
			continue
		}
		if _, over := overlay[j.rel]; over {
			j.diag = nil // the overlay's bytes replace whatever is on disk
		}
		out = append(out, j)
	}
	for rel, data := range overlay {
		kind, ok := KindOf(rel)
		if have[rel] || data == nil || !ok || kind == KindWorkspace {
			continue
		}
		out = append(out, job{rel: rel, kind: kind})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out
}

// discover lists org.yaml, cycles.yaml and every objective file, sorted.
func discover(root, realRoot string) ([]job, error) {
	var jobs []job
	for _, f := range []struct {
		name string
		kind Kind
	}{{OrgFile, KindOrg}, {CyclesFile, KindCycles}} {
		if _, err := os.Lstat(filepath.Join(root, f.name)); err == nil {
			jobs = append(jobs, classify(root, realRoot, f.name, f.kind))
		}
	}
	dir := filepath.Join(root, ObjectivesDir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return jobs, nil
	}
	seen := map[string]bool{}
	var walk func(abs, rel string) error
	walk = func(abs, rel string) error {
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return fmt.Errorf("read %s: %w", abs, err)
		}
		if seen[real] {
			return nil
		}
		seen[real] = true
		entries, err := os.ReadDir(abs)
		if err != nil {
			return fmt.Errorf("read folder %s: %w", abs, err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			childAbs, childRel := filepath.Join(abs, name), rel+"/"+name
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				if d, bad := linkDiag(realRoot, childAbs, childRel, true); bad {
					if isYAML(name) || isDirTarget(childAbs) {
						jobs = append(jobs, job{rel: childRel, kind: KindObjective, diag: []diag.Diagnostic{d}})
					}
					continue
				}
				isDir = isDirTarget(childAbs)
			}
			if isDir {
				if err := walk(childAbs, childRel); err != nil {
					return err
				}
				continue
			}
			if isYAML(name) {
				j := job{rel: childRel, kind: KindObjective}
				if e.Type()&fs.ModeSymlink == 0 && !e.Type().IsRegular() {
					j.diag = []diag.Diagnostic{specialDiag(childRel, modeName(e.Type()))}
				}
				jobs = append(jobs, j)
			}
		}
		return nil
	}
	if err := walk(dir, ObjectivesDir); err != nil {
		return nil, err
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].rel < jobs[j].rel })
	return jobs, nil
}

func isDirTarget(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}
