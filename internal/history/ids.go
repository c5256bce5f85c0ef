package history

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/okrkit/okr/internal/load"
	"github.com/okrkit/okr/internal/model"
)

// Version is the objective holding an id as one commit left it.
type Version struct {
	// Commit made this version; nil for the working tree.
	Commit *Commit
	// Path is the objective's file, relative to the workspace root.
	Path string
	// Objective is this version, nil when the working tree deleted it; Old
	// the one before, nil when the commit created the id (or brought it
	// into the workspace).
	Objective, Old *model.Objective
	// OldPath is the file before, when the commit moved the objective.
	OldPath string
}

// ErrUnknownID is returned by Versions when head has no objective or key
// result with the id.
var ErrUnknownID = fmt.Errorf("no objective or key result has this id")

// Versions returns, newest first, every version of the objective that
// holds id (an objective's or a key result's id) along head's first-parent
// history: one per commit that changed that objective's file, following
// the id when its file is moved or renamed, back to the commit that
// created it. With worktree set, uncommitted changes come first, as a
// Version with a nil Commit.
//
// It reads as little as it can: per commit it compares the tree hashes on
// the file's path from the root down and stops at the first equal one, so
// a commit that did not touch the file costs a few tree reads and no blob.
func (r *Repo) Versions(head *Commit, id string, worktree bool) ([]Version, error) {
	headWS, err := r.workspaceTree(head)
	if err != nil {
		return nil, err
	}
	p, blob, obj, err := r.locate(headWS, id)
	if err != nil {
		return nil, err
	}
	var out []Version
	if worktree {
		v, err := r.worktreeVersion(id, p, blob, obj)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out = append(out, *v)
		}
	}
	if obj == nil {
		if len(out) == 0 {
			return nil, ErrUnknownID
		}
		return out, nil
	}
	if gb, ok := r.b.(*gitBackend); ok {
		return r.versionsTouching(gb, head, p, blob, obj, id, out)
	}
	return r.versionsComparing(head, p, blob, obj, id, out)
}

// versionsComparing is the rest of Versions with the go-git backend: it
// compares every first-parent commit's tree with its parent's on the
// file's path.
func (r *Repo) versionsComparing(head *Commit, p string, blob Hash, obj *model.Objective, id string, out []Version) ([]Version, error) {
	full := r.join(p)
	vp := r.startVersionReaders(head, full)
	defer vp.close() // no reader outlives the call
	var c *Commit
	for ch := range vp.chunks {
		select {
		case <-ch.done:
		case <-r.ctx.Done():
			return nil, r.ctx.Err()
		}
		for _, parent := range ch.commits {
			if c == nil {
				c = parent
				continue
			}
			if err := r.ctx.Err(); err != nil {
				return nil, err
			}
			ph, same, err := r.sameAt(c.Tree, parent.Tree, full, blob)
			if err != nil {
				return nil, err
			}
			if same {
				c = parent
				continue
			}
			old, oldPath, ph, err := r.previous(c, func() (*Commit, error) { return parent, nil }, p, ph, id)
			if err != nil {
				return nil, err
			}
			meta, err := r.Commit(c.Hash) // c has its names only
			if err != nil {
				return nil, err
			}
			v := Version{Commit: meta, Path: p, Objective: obj, Old: old}
			if old != nil && oldPath != p {
				v.OldPath = oldPath
			}
			out = append(out, v)
			if old == nil {
				return out, nil
			}
			c, p, full, blob, obj = parent, oldPath, r.join(oldPath), ph, old
			vp.path.Store(new(full))
		}
	}
	if vp.err != nil {
		return nil, vp.err
	}
	// The root commit: it created the id.
	meta, err := r.Commit(c.Hash)
	if err != nil {
		return nil, err
	}
	return append(out, Version{Commit: meta, Path: p, Objective: obj}), nil
}

// versionReaders are the goroutines of versionsComparing. One reads the
// first-parent chain through its own handle on the store, in chunks; two
// more read ahead, each through its own handle, the trees on the file's
// path (path, which changes when the file moved) in every commit of a
// chunk, into r.trees, while the caller compares them: reading and
// decoding trees is most of the work, and go-git does it in Go on one core
// per handle. A chunk reaches chunks in order and is compared once its
// trees are read (its done), so the readers are never more than a few
// chunks ahead of the cache's use.
type versionReaders struct {
	chunks <-chan *versionChunk
	path   atomic.Pointer[string]
	stop   chan struct{}
	wg     sync.WaitGroup
	// err is the chain's error, set before chunks is closed.
	err error
}

func (r *Repo) startVersionReaders(head *Commit, full string) *versionReaders {
	chunks, warm := make(chan *versionChunk, 3), make(chan *versionChunk, 3)
	vp := &versionReaders{chunks: chunks, stop: make(chan struct{})}
	vp.path.Store(new(full))
	vp.wg.Add(1)
	go func() {
		defer vp.wg.Done()
		defer close(warm)
		defer close(chunks)
		defer catchPanic(&vp.err)
		vp.err = r.versionChunks(head, vp.stop, chunks, warm)
	}()
	for range versionWarmers {
		vp.wg.Add(1)
		go func() {
			defer vp.wg.Done()
			r.warmTrees(warm, vp.stop, &vp.path)
		}()
	}
	return vp
}

// close stops the readers and waits for them.
func (vp *versionReaders) close() {
	close(vp.stop)
	vp.wg.Wait()
}

// versionWarmers is how many goroutines of Versions read trees ahead
// with the go-git backend, and versionChunkSize how many commits each takes
// at a time: consecutive commits, whose trees are often deltas of each
// other in the pack (a reader's delta-base cache serves them).
const (
	versionWarmers   = 2
	versionChunkSize = 32
)

// versionChunk is a run of first-parent commits; done is closed when
// their trees on the file's path have been read (or the reading gave up).
type versionChunk struct {
	commits []*Commit
	done    chan struct{}
}

// versionChunks reads head's first-parent chain through its own reader
// without metadata (chainIDs) and sends it in chunks, in order, to chunks
// (for the comparison) and to warm (for the tree readers), until stop is
// closed or the context is done.
func (r *Repo) versionChunks(head *Commit, stop <-chan struct{}, chunks, warm chan<- *versionChunk) error {
	rd, err := r.smallReader()
	if err != nil {
		return err
	}
	defer rd.close()
	ch := &versionChunk{done: make(chan struct{})}
	send := func() bool {
		for _, to := range []chan<- *versionChunk{warm, chunks} {
			select {
			case to <- ch:
			case <-stop:
				return false
			case <-r.ctx.Done():
				return false
			}
		}
		ch = &versionChunk{done: make(chan struct{})}
		return true
	}
	stopped := false
	err = r.chainIDs(rd, head, func(c *Commit) bool {
		ch.commits = append(ch.commits, c)
		stopped = len(ch.commits) == versionChunkSize && !send()
		return !stopped
	})
	if err == nil && !stopped && len(ch.commits) > 0 {
		send()
	}
	if err == nil {
		err = r.ctx.Err()
	}
	return err
}

// warmTrees reads, through its own reader, the trees on the path *full
// of every commit in the chunks from warm into r.trees, and closes each
// chunk's done; once stop is closed it only closes them. It stops
// reading a commit's trees at the first error or missing folder: the
// comparison reads them again and reports it.
func (r *Repo) warmTrees(warm <-chan *versionChunk, stop <-chan struct{}, full *atomic.Pointer[string]) {
	rd, err := r.smallReader()
	if err == nil {
		defer rd.close()
	}
	for ch := range warm {
		select {
		case <-stop:
		default:
			if err == nil {
				r.warmChunk(rd, ch, *full.Load())
			}
		}
		close(ch.done)
	}
}

func (r *Repo) warmChunk(rd objectReader, ch *versionChunk, full string) {
	defer func() { _ = recover() }() // the comparison reads it again
	names := strings.Split(full, "/")
	for _, c := range ch.commits {
		if r.ctx.Err() != nil {
			return
		}
		h := c.Tree
		for _, name := range names[:len(names)-1] {
			es, err := r.entriesVia(rd.object, h)
			if err != nil {
				return
			}
			e := find(es, name)
			if e == nil || e.Mode != filemode.Dir {
				break
			}
			h = e.Hash
		}
	}
}

// previous finds the version of id before commit c, in its first parent:
// in the file p (blob ph, zero when absent) or, when it is not there, in
// another objective file that changed (a move). old is nil when c created
// the id.
func (r *Repo) previous(c *Commit, parentOf func() (*Commit, error), p string, ph Hash, id string) (old *model.Objective, oldPath string, oldBlob Hash, err error) {
	oldPath = p
	if !ph.IsZero() {
		if old, err = r.objectiveAt(p, ph, id); err != nil {
			return nil, "", ph, err
		}
	}
	if old != nil {
		return old, oldPath, ph, nil
	}
	// The id was not in this file before c: it moved from another file, or
	// c created it.
	parent, err := parentOf()
	if err != nil {
		return nil, "", ph, err
	}
	pws, err := r.workspaceTree(parent)
	if err != nil {
		return nil, "", ph, err
	}
	cws, err := r.workspaceTree(c)
	if err != nil {
		return nil, "", ph, err
	}
	changes, err := r.diffTrees(cws, pws)
	if err != nil {
		return nil, "", ph, err
	}
	for _, ch := range changes {
		if ch.kind != load.KindObjective || ch.new.IsZero() || ch.path == p {
			continue
		}
		o, err := r.objectiveAt(ch.path, ch.new, id)
		if err != nil {
			return nil, "", ph, err
		}
		if o != nil {
			return o, ch.path, ch.new, nil
		}
	}
	return nil, oldPath, ph, nil
}

// versionsTouching is the rest of Versions with the git backend: instead
// of comparing every first-parent commit's tree with its parent's, it asks
// `git log --first-parent --raw -- PATH` for the commits that changed the
// file, with the file's blob before and after each, and starts again from
// the parent under the old path after a move.
func (r *Repo) versionsTouching(gb *gitBackend, head *Commit, p string, blob Hash, obj *model.Objective, id string, out []Version) ([]Version, error) {
	c := head
	for {
		full := r.join(p)
		moved, done := false, false
		var next *Commit
		// One git log lists the commits that changed the file, each with
		// its metadata and the file's blob before and after (--raw), so
		// neither commits nor trees are read one by one.
		err := gb.log(r.ctx, []string{"--first-parent", "--raw", "--no-renames", "--root", "--diff-merges=first-parent",
			"--end-of-options", c.Hash.String(), "--", full}, func(cc *Commit, raw []rawLine) error {
			if old, ok := r.commits.get(cc.Hash); ok {
				cc = old
			} else if !r.shallow[cc.Hash] { // git log lists a shallow boundary without parents
				r.commits.put(cc.Hash, cc)
			}
			if r.shallow[cc.Hash] {
				return &ShallowError{Commit: cc.Hash.String()}
			}
			if len(cc.Parents) == 0 {
				// The root commit: it created the id.
				out, done = append(out, Version{Commit: cc, Path: p, Objective: obj}), true
				return errStopLog
			}
			var parent *Commit
			parentOf := func() (*Commit, error) {
				if parent == nil {
					var err error
					parent, err = r.Commit(cc.Parents[0])
					return parent, err
				}
				return parent, nil
			}
			ph, same, ok := rawBlob(raw, full, blob)
			if !ok {
				// No raw line for the file (git listed the commit for
				// another reason): compare the trees.
				par, err := parentOf()
				if err != nil {
					return err
				}
				if ph, same, err = r.sameAt(cc.Tree, par.Tree, full, blob); err != nil {
					return err
				}
			}
			if same {
				return nil
			}
			old, oldPath, ph, err := r.previous(cc, parentOf, p, ph, id)
			if err != nil {
				return err
			}
			v := Version{Commit: cc, Path: p, Objective: obj, Old: old}
			if old != nil && oldPath != p {
				v.OldPath = oldPath
			}
			out = append(out, v)
			if old == nil {
				done = true
				return errStopLog
			}
			moved = oldPath != p
			p, blob, obj = oldPath, ph, old
			if moved {
				// List the commits that changed the old path, from the
				// parent (read only here: git log goes on by itself).
				if next, err = parentOf(); err != nil {
					return err
				}
				return errStopLog
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if done {
			return out, nil
		}
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		if !moved {
			return nil, corruptErr(plumbing.CommitObject, c.Hash, "git log stopped before the commit that created "+full)
		}
		c = next
	}
}

// rawBlob finds full's line in a commit's raw diff against its first
// parent and returns the parent's blob (zero when the parent has no file
// there) and whether it equals blob, the commit's own; ok is false when
// the diff has no line for full, or its new blob is not blob.
func rawBlob(raw []rawLine, full string, blob Hash) (ph Hash, same, ok bool) {
	for _, l := range raw {
		if l.path != full {
			continue
		}
		f := l.fields
		if !isHash(f[2]) || !isHash(f[3]) || mustHash(f[3]) != blob {
			return Hash{}, false, false
		}
		switch f[0] {
		case "000000", "040000", "160000": // absent, a folder, a submodule
			return Hash{}, false, true
		}
		ph = mustHash(f[2])
		return ph, ph == blob, true
	}
	return Hash{}, false, false
}

// join prefixes a workspace path with the workspace folder.
func (r *Repo) join(p string) string {
	if r.Prefix == "" {
		return p
	}
	return r.Prefix + "/" + p
}

// sameAt compares the blob at full path in trees a and b, descending only
// while the subtrees differ. It returns b's blob hash (zero when absent)
// and whether it equals want, a's blob.
func (r *Repo) sameAt(a, b Hash, full string, want Hash) (Hash, bool, error) {
	names := strings.Split(full, "/")
	for i, name := range names {
		if a == b {
			return want, true, nil
		}
		eb, err := r.entries(b)
		if err != nil {
			return Hash{}, false, err
		}
		e := find(eb, name)
		last := i == len(names)-1
		if e == nil || (last && e.Mode == filemode.Dir) || (!last && e.Mode != filemode.Dir) {
			return Hash{}, false, nil
		}
		hb := e.Hash
		if last {
			return hb, hb == want, nil
		}
		ea, err := r.entries(a)
		if err != nil {
			return Hash{}, false, err
		}
		ae := find(ea, name)
		if ae == nil {
			return Hash{}, false, fmt.Errorf("path %s vanished from tree %s", full, short(a.String()))
		}
		a, b = ae.Hash, hb
	}
	return Hash{}, false, nil
}

// locate finds the objective file holding id in a workspace tree. Only
// blobs that contain id's bytes are parsed.
func (r *Repo) locate(ws Hash, id string) (string, Hash, *model.Objective, error) {
	if ws.IsZero() {
		return "", Hash{}, nil, nil
	}
	files, err := r.diffTrees(Hash{}, ws)
	if err != nil {
		return "", Hash{}, nil, err
	}
	// Files named after the id first: the usual layout finds it at once.
	for pass := 0; pass < 2; pass++ {
		for _, f := range files {
			named := strings.TrimSuffix(strings.TrimSuffix(path.Base(f.path), ".yaml"), ".yml") == id
			if f.kind != load.KindObjective || named != (pass == 0) {
				continue
			}
			o, err := r.objectiveAt(f.path, f.new, id)
			if err != nil {
				return "", Hash{}, nil, err
			}
			if o != nil {
				return f.path, f.new, o, nil
			}
		}
	}
	return "", Hash{}, nil, nil
}

// objectiveAt parses the blob h at workspace path p and returns its
// objective when it holds id, itself or as a key result. Blobs that do not
// contain id's bytes are not parsed.
func (r *Repo) objectiveAt(p string, h Hash, id string) (*model.Objective, error) {
	f, err := r.file(p, h, []byte(id))
	if err != nil || f == nil {
		return nil, err
	}
	for _, o := range f.Part.Objectives {
		if Holds(o, id) {
			return o, nil
		}
	}
	return nil, nil
}

// Holds reports whether o is the objective id or has a key result id.
func Holds(o *model.Objective, id string) bool {
	if o.ID == id {
		return true
	}
	for _, kr := range o.KeyResults {
		if kr.ID == id {
			return true
		}
	}
	return false
}

// file returns the parsed blob h at p, cached by path and hash; nil when
// must is set and the blob does not contain it.
func (r *Repo) file(p string, h Hash, must []byte) (*load.File, error) {
	key := fileKey{p, h}
	if f, ok := r.files.get(key); ok {
		return f, nil
	}
	data, tooBig, err := r.readBlob(h, load.DefaultMaxFileBytes)
	if err != nil {
		return nil, err
	}
	if tooBig || (must != nil && !bytes.Contains(data, must)) {
		return nil, nil
	}
	kind, _ := load.KindOf(p)
	f := r.decode(p, kind, data, load.DefaultMaxFileBytes)
	r.files.put(key, f)
	return f, nil
}

// File returns the workspace file at rel (slash-separated, relative to the
// workspace root, a path load.KindOf accepts, such as load.OrgFile) as
// commit c left it, parsed and decoded; nil when c has no such file or it
// is over the loader's default size cap (a symbolic link is no file, as in
// the walk). It reads that one blob, for commands that need one file of a
// commit, not the whole workspace.
func (r *Repo) File(c *Commit, rel string) (*load.File, error) {
	if _, ok := load.KindOf(rel); !ok {
		return nil, fmt.Errorf("%s is not a workspace file", rel)
	}
	h, err := r.workspaceTree(c)
	if err != nil || h.IsZero() {
		return nil, err
	}
	parts := strings.Split(rel, "/")
	for i, name := range parts {
		es, err := r.entries(h)
		if err != nil {
			return nil, err
		}
		e := find(es, name)
		last := i == len(parts)-1
		if e == nil || (last && e.Mode != filemode.Regular && e.Mode != filemode.Executable) || (!last && e.Mode != filemode.Dir) {
			return nil, nil
		}
		h = e.Hash
	}
	return r.file(rel, h, nil)
}

// worktreeVersion returns the working tree's version of the objective
// holding id when it differs from head's (p, blob, obj; obj nil when head
// has no such id).
func (r *Repo) worktreeVersion(id, p string, blob Hash, obj *model.Objective) (*Version, error) {
	raw, err := load.ReadFiles(path.Join(r.Root, r.Prefix), 0)
	if err != nil {
		return nil, err
	}
	for _, rf := range raw {
		if rf.Kind != load.KindObjective || rf.Data == nil || !bytes.Contains(rf.Data, []byte(id)) {
			continue
		}
		f := r.decode(rf.Path, rf.Kind, rf.Data, 0)
		for _, o := range f.Part.Objectives {
			if !Holds(o, id) {
				continue
			}
			if rf.Path == p && hashObject(plumbing.BlobObject, rf.Data, r.b.hashSize()) == blob {
				return nil, nil
			}
			v := &Version{Path: rf.Path, Objective: o, Old: obj}
			if obj != nil && p != rf.Path {
				v.OldPath = p
			}
			return v, nil
		}
	}
	if obj != nil {
		return &Version{Path: p, Old: obj}, nil // deleted in the working tree
	}
	return nil, nil
}
