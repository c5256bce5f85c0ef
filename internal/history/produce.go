package history

import (
	"path"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

// producer is the producing side of one walk: it turns commits into
// states, queues their blobs for reading, and hands the states, oldest
// first, to the parsers (their blobs) and the consumer (the states), with
// the size cap of the okr.yaml in force at each.
type producer struct {
	r      *Repo
	reads  chan<- *item
	parses chan<- *item
	jobs   chan<- *stateJob
	stop   <-chan struct{}
	// known indexes the items queued by path and blob, so a version seen
	// twice is read and parsed once; nil: every change is read anew.
	known map[fileKey]*item
	// newestFirst holds the states found newest first, for flush.
	newestFirst []*stateJob
	limit       int64           // the size cap of the okr.yaml in force
	cur         map[string]Hash // path -> blob, as of the last state sent
}

// produce runs the producing side of a walk on the calling goroutine, in
// one of three ways:
//   - commit by commit (source: go-git, a shallow clone, known commits):
//     newest to oldest, it compares each commit's workspace tree with its
//     parent's and queues the changed blobs for reading, then hands the
//     states over oldest first;
//   - the git backend's full walk (rawHead, no checkpoints): git lists the
//     changes oldest first and each state is handed over at once;
//   - with checkpoints: the states merged per interval (mergeRuns), from
//     lastTouches (git backend) or the commit-by-commit comparison.
//
// With worktree, a last state holds the working tree's changes.
func (r *Repo) produce(source chainSource, rawHead *Commit, checkpoints []model.Date, worktree bool, reads, parses chan<- *item, jobs chan<- *stateJob, stop <-chan struct{}) error {
	defer close(reads)
	p := &producer{r: r, reads: reads, parses: parses, jobs: jobs, stop: stop,
		known: map[fileKey]*item{}, limit: int64(load.DefaultMaxFileBytes), cur: map[string]Hash{}}
	var held []touch // newest first
	var err error
	switch {
	case rawHead != nil && len(checkpoints) > 0:
		held, err = r.lastTouches(r.b.(*gitBackend), rawHead, checkpoints, stop)
	case rawHead != nil:
		err = p.stream(rawHead)
	default:
		held, err = p.commitByCommit(source, len(checkpoints) > 0)
	}
	if err != nil {
		return err
	}
	// With checkpoints: one state for each run of held states in one
	// interval, with the net changes since the run before.
	runs := mergeRuns(held, checkpoints)
	for g, rn := range runs {
		var before Hash
		if g+1 < len(runs) {
			before = runs[g+1].ws
		}
		if err := p.add(rn.commit, before, rn.ws); err != nil {
			return err
		}
	}
	if err := p.flush(); err != nil {
		return err
	}
	if worktree {
		return p.worktree()
	}
	return nil
}

// commitByCommit reads the commits source yields (newest first, on a
// goroutine of its own that exits before this returns) and finds the
// states: each commit whose workspace tree differs from its parent's, and
// the oldest commit that has the workspace. With hold, they are returned
// for merging; else each is added as it is found, so its blobs are read
// while the comparison goes on.
func (p *producer) commitByCommit(source chainSource, hold bool) ([]touch, error) {
	commits := make(chan *Commit, 4096)
	var srcErr error
	quit := make(chan struct{})
	var src sync.WaitGroup
	defer src.Wait()
	defer close(quit)
	src.Add(1)
	go func() {
		defer src.Done()
		defer close(commits)
		defer catchPanic(&srcErr)
		var rd objectReader
		defer func() {
			if rd != nil {
				rd.close()
			}
		}()
		open := func() (objectReader, error) {
			if rd == nil {
				var err error
				if rd, err = p.r.reader(); err != nil {
					return nil, err
				}
			}
			return rd, nil
		}
		srcErr = source(open, func(c *Commit) bool {
			select {
			case commits <- c:
				return true
			case <-p.stop:
				return false
			case <-quit:
				return false
			}
		})
	}()
	var held []touch
	found := func(c *Commit, before, after Hash) error {
		if hold {
			held = append(held, touch{c, after})
			return nil
		}
		return p.add(c, before, after)
	}
	var prev *Commit
	var prevWS Hash
	for c := range commits {
		ws, err := p.r.workspaceTree(c)
		if err != nil {
			return nil, err
		}
		if prev != nil && ws != prevWS {
			if err := found(prev, ws, prevWS); err != nil {
				return nil, err
			}
		}
		prev, prevWS = c, ws
	}
	if srcErr != nil {
		return nil, srcErr
	}
	if prev != nil && !prevWS.IsZero() {
		// The oldest commit that has the workspace.
		if err := found(prev, Hash{}, prevWS); err != nil {
			return nil, err
		}
	}
	return held, nil
}

// stream hands over the states of the git backend's full walk from head
// as git lists them, oldest first. Without an index, a state's blobs are
// read ahead only as far as the parsers' and the consumer's queues let
// the walk run.
func (p *producer) stream(head *Commit) error {
	p.known = nil
	return p.r.rawChanges(p.r.b.(*gitBackend), head, p.stop, func(c *Commit, changes []blobChange) error {
		items, err := p.queue(changes)
		if err != nil {
			return err
		}
		return p.send(&stateJob{commit: c, changes: changes, items: items})
	})
}

// queue returns the items of changes' new blobs (nil for removals),
// queued for reading: okr.yaml's first, since send parses it before
// handing any other file of the state to the parsers.
func (p *producer) queue(changes []blobChange) ([]*item, error) {
	items := make([]*item, len(changes))
	for pass := 0; pass < 2; pass++ {
		if err := p.queuePass(changes, items, pass == 0); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// queuePass queues the items of changes' new blobs that are okr.yaml
// (settings true) or that are not.
func (p *producer) queuePass(changes []blobChange, items []*item, settings bool) error {
	for k, ch := range changes {
		if ch.new.IsZero() || (ch.kind == load.KindWorkspace) != settings {
			continue
		}
		key := fileKey{ch.path, ch.new}
		it, ok := p.known[key]
		if !ok {
			it = newItem(ch.path, ch.kind, ch.new)
			if p.known != nil {
				p.known[key] = it
			}
			if len(p.known) > maxPrefetch {
				// Past the read-ahead budget: read when parsed.
				it.size = -1
				close(it.read)
			} else {
				select {
				case p.reads <- it:
				case <-p.stop:
					return errStopped
				}
			}
		}
		items[k] = it
	}
	return nil
}

// add records the state of commit c: what differs from the workspace tree
// from (zero for the first state, where every file is new) to to.
func (p *producer) add(c *Commit, from, to Hash) error {
	changes, err := p.r.diffTrees(from, to)
	if err != nil {
		return err
	}
	items, err := p.queue(changes)
	if err != nil {
		return err
	}
	p.newestFirst = append(p.newestFirst, &stateJob{commit: c, changes: changes, items: items})
	return nil
}

// flush hands over the states add recorded, oldest first.
func (p *producer) flush() error {
	// Drop the index: it would keep every parsed version alive until the
	// walk ends, where only the current state's files need to be.
	p.known = nil
	for i := len(p.newestFirst) - 1; i >= 0; i-- {
		p.newestFirst[i].total = len(p.newestFirst)
		if err := p.send(p.newestFirst[i]); err != nil {
			return err
		}
		p.newestFirst[i] = nil
	}
	return nil
}

// send queues state j's blobs for parsing (okr.yaml first, parsed here:
// its size cap applies to the rest) and hands j to the consumer.
func (p *producer) send(j *stateJob) error {
	sortWorkspaceFirst(j)
	for k, it := range j.items {
		if it == nil || it.queued {
			continue
		}
		it.queued, it.limit = true, p.limit
		if j.changes[k].kind == load.KindWorkspace {
			if err := p.settings(it); err != nil {
				return err
			}
			continue
		}
		select {
		case p.parses <- it:
		case <-p.stop:
			return errStopped
		}
	}
	sortByPath(j)
	for _, ch := range j.changes {
		if ch.new.IsZero() {
			delete(p.cur, ch.path)
		} else {
			p.cur[ch.path] = ch.new
		}
	}
	select {
	case p.jobs <- j:
		return nil
	case <-p.stop:
		return errStopped
	}
}

// settings parses okr.yaml's item at once and applies its size cap.
func (p *producer) settings(it *item) error {
	<-it.read
	if it.err == nil && it.data == nil && it.size <= p.limit {
		var tooBig bool
		it.data, tooBig, it.err = p.r.readBlob(it.hash, p.limit)
		if tooBig {
			it.size = p.limit + 1
		}
	}
	switch {
	case it.err != nil:
		return it.err
	case it.size > p.limit || it.data == nil:
		it.file = load.TooLarge(it.path, it.kind, p.limit)
	default:
		it.file = p.r.decode(it.path, it.kind, it.data, p.limit)
	}
	close(it.done)
	if it.file.Settings != nil && it.file.Settings.MaxFileBytes > 0 {
		p.limit = it.file.Settings.MaxFileBytes
	}
	return nil
}

// worktree hands over a last state, with a nil commit, of the working
// tree's workspace files that differ from the last state's.
func (p *producer) worktree() error {
	r := p.r
	raw, err := load.ReadFiles(path.Join(r.Root, r.Prefix), p.limit)
	if err != nil {
		return err
	}
	job := &stateJob{}
	seen := map[string]bool{}
	for _, rf := range raw {
		seen[rf.Path] = true
		if rf.Refused != nil {
			job.changes = append(job.changes, blobChange{path: rf.Path, kind: rf.Kind, old: p.cur[rf.Path]})
			job.items = append(job.items, ready(rf.Path, rf.Kind, rf.Refused))
			continue
		}
		h := hashObject(plumbing.BlobObject, rf.Data, r.b.hashSize())
		if p.cur[rf.Path] == h {
			continue
		}
		it := newItem(rf.Path, rf.Kind, h)
		it.size, it.data = int64(len(rf.Data)), rf.Data
		close(it.read)
		job.changes = append(job.changes, blobChange{path: rf.Path, kind: rf.Kind, old: p.cur[rf.Path], new: h})
		job.items = append(job.items, it)
	}
	for rel, h := range p.cur {
		if !seen[rel] {
			job.changes = append(job.changes, blobChange{path: rel, old: h})
			job.items = append(job.items, nil)
		}
	}
	if len(job.changes) == 0 {
		return nil
	}
	return p.send(job)
}
