package history

import (
	"errors"
	"path"
	"runtime"
	"sort"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/okrkit/okr/internal/load"
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

// File returns the file at a workspace path, nil when there is none.
func (s *State) File(p string) *load.File { return s.files[p] }

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
	// Worktree adds a last state, with a nil Commit, for the working tree
	// when its workspace files differ from head's.
	Worktree bool
	// Progress, when set, is called from the walking goroutine with the
	// number of commits looked at so far and the total.
	Progress func(done, total int)
}

// item is one blob to read and parse (or bytes to parse, for the working
// tree); done is closed when file is set.
type item struct {
	path string
	kind load.Kind
	hash plumbing.Hash
	data []byte
	// limit is the size cap the blob was read under.
	limit int64
	file  *load.File
	done  chan struct{}
}

type stateJob struct {
	commit  *Commit
	changes []blobChange
	items   []*item // parallel to changes; nil for removals
	walked  int
}

// Walk calls fn, oldest first, for every state of the workspace along the
// first-parent history of head: the first commit where the workspace
// exists, then each commit whose workspace subtree differs from its
// parent's. Commits that did not touch the workspace are skipped by
// comparing subtree hashes, without reading their files. Blobs are read on
// one goroutine and parsed on Workers others while fn runs. A shallow clone
// whose history stops before the root gives a *ShallowError before fn is
// called.
func (r *Repo) Walk(head *Commit, opts WalkOptions, fn func(*State) error) error {
	chain, err := r.FirstParents(head, nil)
	if err != nil {
		return err
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return r.walkChain(chain, opts, fn)
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
	err := r.walkChain([]*Commit{c}, WalkOptions{}, func(s *State) error {
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

var errStopped = errors.New("walk stopped")

// maxInflight bounds the blobs remembered by path and hash during a walk,
// for files that return to an earlier version (a revert).
const maxInflight = 1024

func (r *Repo) walkChain(chain []*Commit, opts WalkOptions, fn func(*State) error) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parse := make(chan *item, 256)
	jobs := make(chan *stateJob, 256)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var readErr error
	var errOnce sync.Once
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker reads blobs through its own handle on the store.
			st := r.newStorer()
			defer st.Close()
			for it := range parse {
				data, tooBig := it.data, false
				if data == nil {
					var err error
					if data, tooBig, err = readBlob(st, it.hash, it.limit); err != nil {
						errOnce.Do(func() { readErr = err })
						it.file = &load.File{Path: it.path, Kind: it.kind}
						close(it.done)
						continue
					}
				}
				if tooBig {
					it.file = load.TooLarge(it.path, it.kind, it.limit)
				} else {
					it.file = load.DecodeFile(it.path, it.kind, data, it.limit)
				}
				it.data = nil
				close(it.done)
			}
		}()
	}
	var prodErr error
	go func() {
		defer close(jobs)
		defer close(parse)
		prodErr = r.produce(chain, opts.Worktree, parse, jobs, stop)
	}()

	st := &State{files: map[string]*load.File{}}
	var fnErr error
	for job := range jobs {
		if fnErr != nil {
			continue // drain so the producer can finish
		}
		st.Commit, st.label = job.commit, r.label(job.commit)
		st.Changes = st.Changes[:0]
		for i, ch := range job.changes {
			c := Change{Path: ch.path, Old: st.files[ch.path]}
			if it := job.items[i]; it != nil {
				<-it.done
				c.New = it.file
				st.files[ch.path] = it.file
			} else {
				delete(st.files, ch.path)
			}
			st.Changes = append(st.Changes, c)
		}
		if opts.Progress != nil {
			opts.Progress(job.walked, len(chain))
		}
		if err := fn(st); err != nil {
			fnErr = err
			close(stop)
		}
	}
	wg.Wait()
	if fnErr != nil {
		return fnErr
	}
	if readErr != nil {
		return readErr
	}
	if prodErr != nil && !errors.Is(prodErr, errStopped) {
		return prodErr
	}
	if opts.Progress != nil {
		opts.Progress(len(chain), len(chain))
	}
	return nil
}

// produce reads commits, trees and blobs in chain order on one goroutine
// (go-git's storage is not shared between goroutines) and hands blobs to
// the parsers and states to the consumer.
func (r *Repo) produce(chain []*Commit, worktree bool, parse chan<- *item, jobs chan<- *stateJob, stop <-chan struct{}) error {
	prev := plumbing.ZeroHash
	cur := map[string]plumbing.Hash{} // path -> blob of the last state
	inflight := map[fileKey]*item{}
	limit := int64(load.DefaultMaxFileBytes)
	first := true
	send := func(j *stateJob) error {
		select {
		case jobs <- j:
			return nil
		case <-stop:
			return errStopped
		}
	}
	submit := func(ch blobChange, data []byte) (*item, error) {
		key := fileKey{ch.path, ch.new}
		if it, ok := inflight[key]; ok {
			return it, nil
		}
		it := &item{path: ch.path, kind: ch.kind, hash: ch.new, data: data, limit: limit, done: make(chan struct{})}
		if len(inflight) >= maxInflight {
			clear(inflight)
		}
		inflight[key] = it
		if ch.kind == load.KindWorkspace {
			// Parse settings at once: they set the size cap for what follows.
			if it.data == nil {
				var tooBig bool
				var err error
				if data, tooBig, err = r.readBlob(ch.new, limit); err != nil {
					return nil, err
				}
				if tooBig {
					it.file = load.TooLarge(ch.path, ch.kind, limit)
					close(it.done)
					return it, nil
				}
			}
			it.file = load.DecodeFile(ch.path, ch.kind, data, limit)
			close(it.done)
			if it.file.Settings != nil && it.file.Settings.MaxFileBytes > 0 {
				limit = it.file.Settings.MaxFileBytes
			}
			return it, nil
		}
		select {
		case parse <- it:
		case <-stop:
			return nil, errStopped
		}
		return it, nil
	}
	for i, c := range chain {
		ws, err := r.workspaceTree(c)
		if err != nil {
			return err
		}
		if ws == prev && !first {
			continue
		}
		if ws.IsZero() && first {
			continue // the workspace does not exist yet
		}
		first = false
		changes, err := r.diffTrees(prev, ws)
		if err != nil {
			return err
		}
		sortWorkspaceFirst(changes)
		job := &stateJob{commit: c, changes: changes, items: make([]*item, len(changes)), walked: i + 1}
		for k, ch := range changes {
			if ch.new.IsZero() {
				delete(cur, ch.path)
				continue
			}
			cur[ch.path] = ch.new
			var err error
			if job.items[k], err = submit(ch, nil); err != nil {
				return err
			}
		}
		sortByPath(job)
		prev = ws
		if err := send(job); err != nil {
			return err
		}
	}
	if !worktree {
		return nil
	}
	raw, err := load.ReadFiles(path.Join(r.Root, r.Prefix), limit)
	if err != nil {
		return err
	}
	job := &stateJob{walked: len(chain)}
	seen := map[string]bool{}
	for _, rf := range raw {
		seen[rf.Path] = true
		var h plumbing.Hash
		if rf.Refused == nil {
			h = plumbing.ComputeHash(plumbing.BlobObject, rf.Data)
			if cur[rf.Path] == h {
				continue
			}
		}
		ch := blobChange{path: rf.Path, kind: rf.Kind, old: cur[rf.Path], new: h}
		var it *item
		if rf.Refused != nil {
			it = &item{path: rf.Path, kind: rf.Kind, file: rf.Refused, done: make(chan struct{})}
			close(it.done)
		} else if it, err = submit(ch, rf.Data); err != nil {
			return err
		}
		job.changes = append(job.changes, ch)
		job.items = append(job.items, it)
	}
	for p, h := range cur {
		if !seen[p] {
			job.changes = append(job.changes, blobChange{path: p, old: h})
			job.items = append(job.items, nil)
		}
	}
	if len(job.changes) == 0 {
		return nil
	}
	sortByPath(job)
	return send(job)
}

// sortWorkspaceFirst moves okr.yaml to the front so its size cap applies
// to the files read after it.
func sortWorkspaceFirst(cs []blobChange) {
	sort.SliceStable(cs, func(i, j int) bool {
		return cs[i].kind == load.KindWorkspace && cs[j].kind != load.KindWorkspace
	})
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
