package history

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/okrkit/okr/internal/load"
)

// maxCachedTrees bounds the tree cache; a walk only ever compares a commit
// with the one before it, so the cache mostly serves repeated lookups.
const maxCachedTrees = 1 << 11

// entries returns the entries of tree h, cached by hash.
func (r *Repo) entries(h Hash) ([]treeEntry, error) { return r.entriesVia(r.read, h) }

// entriesVia is entries reading through read (a reader's object method).
func (r *Repo) entriesVia(read func(plumbing.ObjectType, Hash, int64) ([]byte, int64, error), h Hash) ([]treeEntry, error) {
	if e, ok := r.trees.get(h); ok {
		return e, nil
	}
	data, _, err := read(plumbing.TreeObject, h, -1)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", short(h.String()), err)
	}
	es, err := r.b.tree(h, data)
	if err != nil {
		return nil, err
	}
	r.trees.put(h, es)
	return es, nil
}

// workspaceTree returns the hash of the workspace folder's tree in commit
// c, Hash{} when the folder does not exist there.
func (r *Repo) workspaceTree(c *Commit) (Hash, error) {
	h := c.Tree
	if r.Prefix == "" {
		return h, nil
	}
	for _, name := range strings.Split(r.Prefix, "/") {
		es, err := r.entries(h)
		if err != nil {
			return Hash{}, err
		}
		e := find(es, name)
		if e == nil || e.Mode != filemode.Dir {
			return Hash{}, nil
		}
		h = e.Hash
	}
	return h, nil
}

func find(es []treeEntry, name string) *treeEntry {
	for i := range es {
		if es[i].Name == name {
			return &es[i]
		}
	}
	return nil
}

// blobChange is one workspace file that differs between two trees; a zero
// hash means the file is absent on that side.
type blobChange struct {
	path     string
	kind     load.Kind
	old, new Hash
}

// diffTrees lists the workspace files that differ between the workspace
// trees old and new (either may be zero), in path order. It descends only
// into subtrees whose hashes differ. Symbolic links and submodules are not
// workspace files in history and are skipped.
func (r *Repo) diffTrees(old, new Hash) ([]blobChange, error) {
	var out []blobChange
	err := r.diffDir(old, new, "", &out)
	return out, err
}

func (r *Repo) diffDir(old, new Hash, dir string, out *[]blobChange) error {
	if old == new {
		return nil
	}
	oldEs, newEs, err := r.pair(old, new)
	if err != nil {
		return err
	}
	visit := func(name string, o, n *treeEntry) error {
		rel := name
		if dir != "" {
			rel = dir + "/" + name
		}
		oh, oIsDir, oIsFile := entryKind(o)
		nh, nIsDir, nIsFile := entryKind(n)
		if oIsDir || nIsDir {
			if dir == "" && name != load.ObjectivesDir {
				return nil
			}
			if strings.HasPrefix(name, ".") {
				return nil
			}
			var od, nd Hash
			if oIsDir {
				od = oh
			}
			if nIsDir {
				nd = nh
			}
			if err := r.diffDir(od, nd, rel, out); err != nil {
				return err
			}
		}
		if !oIsFile && !nIsFile {
			return nil
		}
		kind, ok := load.KindOf(rel)
		if !ok {
			return nil
		}
		var of, nf Hash
		if oIsFile {
			of = oh
		}
		if nIsFile {
			nf = nh
		}
		if of != nf {
			*out = append(*out, blobChange{path: rel, kind: kind, old: of, new: nf})
		}
		return nil
	}
	// Fast path: consecutive versions of a tree usually list the same
	// names in the same order and differ in a hash or two.
	i := 0
	for ; i < len(oldEs) && i < len(newEs) && oldEs[i].Name == newEs[i].Name; i++ {
		if oldEs[i].Hash == newEs[i].Hash && oldEs[i].Mode == newEs[i].Mode {
			continue
		}
		if err := visit(newEs[i].Name, &oldEs[i], &newEs[i]); err != nil {
			return err
		}
	}
	if i == len(oldEs) && i == len(newEs) {
		return nil
	}
	// Names were added or removed: match the rest by name.
	oldRest, newRest := oldEs[i:], newEs[i:]
	seen := make(map[string]bool, len(newRest))
	for k := range newRest {
		n := &newRest[k]
		seen[n.Name] = true
		if o := find(oldRest, n.Name); o != nil && o.Hash == n.Hash && o.Mode == n.Mode {
			continue
		} else if err := visit(n.Name, o, n); err != nil {
			return err
		}
	}
	for k := range oldRest {
		if o := &oldRest[k]; !seen[o.Name] {
			if err := visit(o.Name, o, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// entryKind classifies a tree entry: a folder, a regular file, or neither.
func entryKind(e *treeEntry) (h Hash, dir, file bool) {
	if e == nil {
		return Hash{}, false, false
	}
	switch e.Mode {
	case filemode.Dir:
		return e.Hash, true, false
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		return e.Hash, false, true
	}
	return e.Hash, false, false
}

func (r *Repo) pair(old, new Hash) (o, n []treeEntry, err error) {
	if !old.IsZero() {
		if o, err = r.entries(old); err != nil {
			return nil, nil, err
		}
	}
	if !new.IsZero() {
		if n, err = r.entries(new); err != nil {
			return nil, nil, err
		}
	}
	return o, n, nil
}

// readBlob returns a blob's bytes, or tooBig when it is larger than limit
// (then nothing is kept).
func (r *Repo) readBlob(h Hash, limit int64) (data []byte, tooBig bool, err error) {
	r.rdMu.Lock()
	defer r.rdMu.Unlock()
	return readBlob(r.rd, h, limit)
}

// readBlob reads a blob through rd, or reports tooBig.
func readBlob(rd objectReader, h Hash, limit int64) (data []byte, tooBig bool, err error) {
	data, size, err := rd.object(plumbing.BlobObject, h, limit)
	if err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", short(h.String()), err)
	}
	if data == nil && size > limit {
		return nil, true, nil
	}
	return data, false, nil
}
