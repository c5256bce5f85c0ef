package history

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

// Change is one workspace file that differs from the previous state.
type Change struct {
	Path string
	// Old is the file before, nil when it was added; New the file after,
	// nil when it was removed.
	Old, New *load.File
}

// State is the workspace as it stood at one commit (or in the working
// tree). A State passed to a Walk callback is valid only during the call:
// keep what Workspace or Files return, not the State.
type State struct {
	// Commit is nil for the working tree.
	Commit *Commit
	// Changes lists the files that differ from the previous state in path
	// order; on the first state, every file.
	Changes []Change
	files   map[string]*load.File
	label   string
}

// Files returns the state's files sorted by path.
func (s *State) Files() []*load.File {
	out := make([]*load.File, 0, len(s.files))
	for _, f := range s.files {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Workspace assembles the state's workspace. The files are shared with
// the walk's cache: treat the result as read-only.
func (s *State) Workspace() *load.Result { return load.Assemble(s.label, s.Files()) }

// WalkOptions tunes Walk.
type WalkOptions struct {
	// Workers is the number of parsing goroutines; 0 means GOMAXPROCS.
	Workers int
	// Readers is the number of blob readers (with the git backend, git
	// processes of their own); 0 means one for every four workers
	// (defaultReaders).
	Readers int
	// Worktree adds a last state, with a nil Commit, for the working tree
	// when its workspace files differ from head's.
	Worktree bool
	// Progress, when set, is called on the caller's goroutine before each
	// state with the number of states so far and the total.
	Progress func(done, total int)
	// Checkpoints, sorted, let the walk merge consecutive states whose
	// commits are dated (Commit.Date) in the same interval between two
	// checkpoints ((-inf, c0], (c0, c1], ..., (cn, +inf)) into one state:
	// the last of them, whose Changes are the net changes since the state
	// before the run (every file new for the first run). The files of each
	// state given are those a whole walk gives at its commit. okr trend,
	// which reads the files in force at each week's end, passes its week
	// ends: it parses only the file versions that differ from one week to
	// the next. The git backend lists the commits without their diffs and
	// reads the workspace trees only at the end of each interval; the
	// commit-by-commit walk (go-git, a shallow clone) reads every commit,
	// and the blobs of the merged states only.
	Checkpoints []model.Date
}

// defaultReaders is the number of blob readers for workers parsers: one
// for every four. One git cat-file gives blobs about four times as fast as
// a core parses them (on the reference history, 0.17 s of git's CPU for
// the 14,335 blobs a whole walk reads, against 0.64 s of okr's to decode
// them), and each reader more is a git process with its own delta base
// cache, filled anew: on two cores a whole walk took 4-5% less time and
// CPU with one reader than with two (docs/performance.md).
func defaultReaders(workers int) int { return max(1, (workers+3)/4) }

// maxPrefetch bounds the blobs read ahead while the walk compares trees
// (about 150 MB of typical objective files); the rest are read when they
// are parsed, so memory stays bounded on very long histories.
var maxPrefetch = 1 << 15

// prefetchCap is the largest blob read ahead of parsing; a larger one is
// read when it is parsed, if the size cap allows it at all.
const prefetchCap = 16 << 20

// item is one blob to read and parse (or bytes to parse, for the working
// tree). read is closed when size and data (or err) are set; done when
// file is.
type item struct {
	path  string
	kind  load.Kind
	hash  Hash
	size  int64
	data  []byte
	err   error
	read  chan struct{}
	limit int64 // the size cap when it was queued for parsing
	file  *load.File
	done  chan struct{}
	// queued is set once the item is sent for parsing (walker only).
	queued bool
	// recycle says data is a blobBuffer the item owns, given back once
	// parsed.
	recycle bool
}

func newItem(path string, kind load.Kind, hash Hash) *item {
	return &item{path: path, kind: kind, hash: hash, read: make(chan struct{}), done: make(chan struct{})}
}

// ready returns an item whose file is already known.
func ready(path string, kind load.Kind, f *load.File) *item {
	it := newItem(path, kind, Hash{})
	it.file, it.queued = f, true
	close(it.read)
	close(it.done)
	return it
}

type stateJob struct {
	// total is the number of commit states of the walk.
	total   int
	commit  *Commit
	changes []blobChange
	items   []*item // parallel to changes; nil for removals
}

// Walk calls fn, oldest first, for every state of the workspace along the
// first-parent history of head: the first commit where the workspace
// exists, then each commit whose workspace subtree differs from its
// parent's. Commits that did not touch the workspace are skipped by
// comparing subtree hashes, without reading their files.
//
// The work is spread over goroutines: one reads the commit chain from
// head backwards while another compares each commit's tree with its
// parent's and queues the changed blobs, which GOMAXPROCS readers (each
// with its own handle on the store) read ahead; then, oldest first, the
// blobs are parsed on GOMAXPROCS more goroutines while fn runs. A shallow
// clone whose history stops before the root gives a *ShallowError before
// fn is called.
func (r *Repo) Walk(head *Commit, opts WalkOptions, fn func(*State) error) error {
	if _, ok := r.b.(*gitBackend); ok && len(r.shallow) == 0 {
		// The changed files of every commit come from one git log.
		return r.walk(func(func() (objectReader, error), func(*Commit) bool) error { return nil }, head, opts, fn)
	}
	// Commit by commit (go-git, or a shallow clone): every state.
	return r.walk(func(open func() (objectReader, error), yield func(*Commit) bool) error {
		rd, err := open()
		if err != nil {
			return err
		}
		return r.chain(rd, head, yield)
	}, nil, opts, fn)
}

// walkChain is Walk over known commits, oldest first.
func (r *Repo) walkChain(chain []*Commit, opts WalkOptions, fn func(*State) error) error {
	return r.walkWith(func(_ func() (objectReader, error), yield func(*Commit) bool) error {
		for i := len(chain) - 1; i >= 0; i-- {
			if !yield(chain[i]) {
				return nil
			}
		}
		return nil
	}, opts, fn)
}

// chainSource yields commits newest first, reading them through the
// reader open returns (a source of known commits never calls it, and no
// process is started for it).
type chainSource func(open func() (objectReader, error), yield func(*Commit) bool) error

// walkWith is walk over the commits source yields.
func (r *Repo) walkWith(source chainSource, opts WalkOptions, fn func(*State) error) error {
	return r.walk(source, nil, opts, fn)
}

// walk runs a walk over the commits source yields or, when rawHead is set
// (git backend), over the commits `git log --raw` lists from rawHead.
func (r *Repo) walk(source chainSource, rawHead *Commit, opts WalkOptions, fn func(*State) error) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	defer halt()
	// Cancellation stops every stage as an error does.
	go func() {
		select {
		case <-r.ctx.Done():
			halt()
		case <-stop:
		}
	}()

	// Readers: blob bytes, ahead of need, each a pipelined stream.
	reads := make(chan *item, 1<<14)
	var readers sync.WaitGroup
	nr := opts.Readers
	if nr <= 0 {
		nr = defaultReaders(workers)
	}
	for w := 0; w < nr; w++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			r.readItems(reads)
		}()
	}
	// Parsers: in state order.
	parses := make(chan *item, 256)
	var parsers sync.WaitGroup
	for w := 0; w < workers; w++ {
		parsers.Add(1)
		go func() {
			defer parsers.Done()
			r.parseItems(parses)
		}()
	}
	jobs := make(chan *stateJob, 256)
	var prodErr error
	go func() {
		defer close(jobs)
		defer close(parses)
		defer catchPanic(&prodErr)
		prodErr = r.produce(source, rawHead, opts.Checkpoints, opts.Worktree, reads, parses, jobs, stop)
	}()

	fnErr := r.consume(jobs, opts.Progress, fn, halt)
	parsers.Wait()
	readers.Wait()
	if fnErr != nil {
		return fnErr
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if prodErr != nil && !errors.Is(prodErr, errStopped) {
		return prodErr
	}
	return nil
}

// consume turns the jobs into states, oldest first, and calls fn with
// each; it returns the first error (fn's, a parse's, a cancellation), and
// after one drains the jobs, so the producer can finish.
func (r *Repo) consume(jobs <-chan *stateJob, progress func(done, total int), fn func(*State) error, halt func()) error {
	st := &State{files: map[string]*load.File{}}
	var fnErr error
	fail := func(err error) {
		if fnErr == nil {
			fnErr = err
			halt()
		}
	}
	n := 0
	for job := range jobs {
		if err := r.ctx.Err(); err != nil {
			fail(err)
		}
		if fnErr != nil {
			continue // drain so the producer can finish
		}
		st.Commit, st.label = job.commit, r.label(job.commit)
		st.Changes = st.Changes[:0]
		for i, ch := range job.changes {
			c := Change{Path: ch.path, Old: st.files[ch.path]}
			if it := job.items[i]; it != nil {
				<-it.done
				if it.err != nil {
					fail(it.err)
				}
				c.New = it.file
				st.files[ch.path] = it.file
			} else {
				delete(st.files, ch.path)
			}
			st.Changes = append(st.Changes, c)
		}
		n++
		if progress != nil {
			progress(n, max(job.total, n))
		}
		if fnErr != nil {
			continue
		}
		if err := fn(st); err != nil {
			fail(err)
		}
	}
	return fnErr
}

// readItems reads the blobs of the items from reads, in order, through a
// pipelined stream of its own, and closes each item's read.
func (r *Repo) readItems(reads <-chan *item) {
	// git's blobs are read into blobBuffers; go-git's may be its own.
	_, owned := r.b.(*gitBackend)
	readStream(r.ctx, r.b, plumbing.BlobObject, prefetchCap, reads, itemHash, func(it *item, data []byte, size int64, err error) bool {
		if err != nil {
			err = fmt.Errorf("read blob %s: %w", short(it.hash.String()), err)
		}
		it.size, it.data, it.err, it.recycle = size, data, err, owned && data != nil
		close(it.read)
		return true
	})
}

// parseItems decodes the items from parses, reading a blob itself when it
// was not read ahead (larger than prefetchCap, or past maxPrefetch), and
// closes each item's done.
func (r *Repo) parseItems(parses <-chan *item) {
	var rd objectReader
	defer func() {
		if rd != nil {
			rd.close()
		}
	}()
	for it := range parses {
		<-it.read
		switch {
		case it.err != nil:
			it.file = &load.File{Path: it.path, Kind: it.kind}
		case it.size > it.limit:
			it.file = load.TooLarge(it.path, it.kind, it.limit)
		default:
			if it.data == nil {
				if rd == nil {
					if rd, it.err = r.reader(); it.err != nil {
						it.file = &load.File{Path: it.path, Kind: it.kind}
						break
					}
				}
				var tooBig bool
				it.data, tooBig, it.err = readBlob(rd, it.hash, it.limit)
				_, it.recycle = r.b.(*gitBackend)
				if tooBig || it.err != nil {
					it.file = load.TooLarge(it.path, it.kind, it.limit)
					break
				}
			}
			func() {
				defer catchPanic(&it.err)
				it.file = r.decode(it.path, it.kind, it.data, it.limit)
			}()
			if it.file == nil {
				it.file = &load.File{Path: it.path, Kind: it.kind}
			}
		}
		if it.recycle {
			// The File keeps no byte of the blob (load's
			// TestDecodeFileKeepsNoBytes): its buffer serves another.
			recycleBlob(it.data)
		}
		it.data = nil
		close(it.done)
	}
}

func itemHash(it *item) Hash { return it.hash }

// blobBuffers holds the buffers of blobs a walk has decoded, for the blobs
// read after them: a walk reads thousands of files of a few kilobytes,
// and each read would otherwise be a new allocation, cleared and
// collected.
var blobBuffers sync.Pool // of *[]byte

// Buffers are made in steps of blobStep bytes, so one serves the versions
// of a file as it grows; those over maxRecycled are left to the collector.
const (
	blobStep    = 4 << 10
	maxRecycled = 1 << 20
)

// blobBuffer returns a buffer of n bytes, recycled when one large enough
// is at hand.
func blobBuffer(n int) []byte {
	if n <= maxRecycled {
		if p, _ := blobBuffers.Get().(*[]byte); p != nil {
			if cap(*p) >= n {
				return (*p)[:n]
			}
			blobBuffers.Put(p)
		}
		return make([]byte, n, (n+blobStep-1)/blobStep*blobStep)
	}
	return make([]byte, n)
}

// recycleBlob gives b, a blobBuffer nothing refers to any more, to the
// next blobBuffer.
func recycleBlob(b []byte) {
	if c := cap(b); c > 0 && c <= maxRecycled {
		b = b[:0]
		blobBuffers.Put(&b)
	}
}

var errStopped = errors.New("walk stopped")

// sortWorkspaceFirst moves okr.yaml to the front so its size cap applies
// to the files read after it.
func sortWorkspaceFirst(j *stateJob) {
	for k, ch := range j.changes {
		if ch.kind == load.KindWorkspace && k > 0 {
			j.changes[0], j.changes[k] = j.changes[k], j.changes[0]
			j.items[0], j.items[k] = j.items[k], j.items[0]
		}
	}
}

// WalkRange is Walk over the first-parent commits after base up to head,
// the first state being base itself (every file a change). When base is
// not on head's first-parent chain (it was reached through a merged
// branch), the states are base and head. Without Worktree, head nil means
// head is base.
func (r *Repo) WalkRange(base, head *Commit, opts WalkOptions, fn func(*State) error) error {
	chain := []*Commit{base}
	if head != nil && head.Hash != base.Hash {
		back, err := r.FirstParents(head, func(c *Commit) bool { return c.Hash == base.Hash })
		if err != nil {
			return err
		}
		if last := back[len(back)-1]; last.Hash != base.Hash {
			back = back[:1] // not a first-parent ancestor
		} else {
			back = back[:len(back)-1]
		}
		for i := len(back) - 1; i >= 0; i-- {
			chain = append(chain, back[i])
		}
	}
	return r.walkChain(chain, opts, fn)
}

// Load returns the workspace as it stood at commit c.
func (r *Repo) Load(c *Commit) (*load.Result, error) {
	var res *load.Result
	// One reader whatever the number of cores: the blobs are all known
	// at once, and one git process streams them while the parsers use
	// the other cores (a second one made okr snapshot 4% slower on two
	// cores).
	err := r.walkChain([]*Commit{c}, WalkOptions{Readers: 1}, func(s *State) error {
		res = s.Workspace()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if res == nil {
		// The workspace folder does not exist at c.
		res = load.Assemble(r.label(c), nil)
	}
	return res, nil
}

// LoadSettings returns the workspace's own files (okr.yaml, org.yaml,
// cycles.yaml) as they stood at commit c, without its objectives: the
// settings, people, teams and cycles, for a command that needs nothing
// else (okr trend picks its cycle with them). The files are those Load
// gives, okr.yaml's size cap applied to the other two.
func (r *Repo) LoadSettings(c *Commit) (*load.Result, error) {
	ws, err := r.workspaceTree(c)
	if err != nil || ws.IsZero() {
		return load.Assemble(r.label(c), nil), err
	}
	es, err := r.entries(ws)
	if err != nil {
		return nil, err
	}
	limit := int64(load.DefaultMaxFileBytes)
	var files []*load.File
	for _, name := range []string{load.MarkerFile, load.OrgFile, load.CyclesFile} {
		h, _, isFile := entryKind(find(es, name))
		if !isFile {
			continue
		}
		kind, _ := load.KindOf(name)
		data, tooBig, err := r.readBlob(h, limit)
		if err != nil {
			return nil, fmt.Errorf("read blob %s: %w", short(h.String()), err)
		}
		f := load.TooLarge(name, kind, limit)
		if !tooBig {
			f = r.decode(name, kind, data, limit)
		}
		if f.Settings != nil && f.Settings.MaxFileBytes > 0 {
			limit = f.Settings.MaxFileBytes
		}
		files = append(files, f)
	}
	return load.Assemble(r.label(c), files), nil
}

func (r *Repo) label(c *Commit) string {
	l := "working tree"
	if c != nil {
		l = c.Short()
	}
	if r.Prefix != "" {
		l += ":" + r.Prefix
	}
	return l
}

func sortByPath(j *stateJob) {
	idx := make([]int, len(j.changes))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return j.changes[idx[a]].path < j.changes[idx[b]].path })
	cs, its := make([]blobChange, len(idx)), make([]*item, len(idx))
	for k, i := range idx {
		cs[k], its[k] = j.changes[i], j.items[i]
	}
	j.changes, j.items = cs, its
}

// rawChanges calls fn, oldest first, for each first-parent commit from
// head that changed something under the workspace folder, with the
// workspace files it changed (the same states and changes diffTrees finds,
// without a tree read per commit). `git log --reverse` lists the commits,
// oldest first (once git has walked them all), and `git diff-tree --stdin`
// diffs each as soon as okr has read it, as fn takes them.
func (r *Repo) rawChanges(gb *gitBackend, head *Commit, stop <-chan struct{}, fn func(*Commit, []blobChange) error) error {
	spec := r.Prefix
	if spec == "" {
		spec = "."
	}
	ctx, cancel := stopContext(r.ctx, stop)
	defer cancel()
	q := newCommitQueue()
	listed := make(chan error, 1)
	go func() {
		defer q.close()
		listed <- gb.logAll(ctx, []string{"--first-parent", "--reverse", "--end-of-options", head.Hash.String(), "--"}, func(c *Commit, _ []rawLine) error {
			q.push(c)
			return nil
		})
	}()
	err := gb.diffTree(ctx, q, spec, func(c *Commit, raw []rawLine) error {
		var changes []blobChange
		for _, l := range raw {
			if ch, ok := rawChange(r.Prefix, l.path, l.fields); ok {
				changes = append(changes, ch)
			}
		}
		sort.Slice(changes, func(i, j int) bool { return changes[i].path < changes[j].path })
		if old, ok := r.commits.get(c.Hash); ok {
			c = old
		} else {
			r.commits.put(c.Hash, c)
		}
		return fn(c, changes)
	})
	cancel() // when diff-tree stopped first, the listing is not needed
	lerr := <-listed
	if err == nil {
		// A listing cut short would make diff-tree's answer look whole.
		err = lerr
	}
	return stopped(r.ctx, stop, err)
}

// rawChange turns one line of git's raw diff (fields: old mode, new mode,
// old hash, new hash, status) for path name into a workspace file change,
// as diffDir would find it: files under the workspace whose kind load
// knows, folders other than objectives at the top and hidden folders
// skipped, symbolic links and submodules no files.
func rawChange(prefix, name string, f []string) (blobChange, bool) {
	rel := name
	if prefix != "" {
		var ok bool
		if rel, ok = strings.CutPrefix(name, prefix+"/"); !ok {
			return blobChange{}, false
		}
	}
	parts := strings.Split(rel, "/")
	if len(parts) > 1 && parts[0] != load.ObjectivesDir {
		return blobChange{}, false
	}
	for _, d := range parts[:len(parts)-1] {
		if strings.HasPrefix(d, ".") {
			return blobChange{}, false
		}
	}
	kind, ok := load.KindOf(rel)
	if !ok {
		return blobChange{}, false
	}
	isFile := func(mode string) bool { return mode == "100644" || mode == "100755" || mode == "100664" }
	var of, nf Hash
	if isFile(f[0]) && isHash(f[2]) {
		of = mustHash(f[2])
	}
	if isFile(f[1]) && isHash(f[3]) {
		nf = mustHash(f[3])
	}
	if of == nf {
		return blobChange{}, false
	}
	return blobChange{path: rel, kind: kind, old: of, new: nf}, true
}
