package history

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/okrkit/okr/internal/load"
)

// maxCachedTrees bounds the tree cache; a walk only ever compares a commit
// with the one before it, so the cache mostly serves repeated lookups.
const maxCachedTrees = 1 << 11

// entries returns the entries of tree h, cached by hash.
func (r *Repo) entries(h plumbing.Hash) ([]object.TreeEntry, error) {
	if e, ok := r.trees.get(h); ok {
		return e, nil
	}
	es, err := readTree(r.repo.Storer, h)
	if err != nil {
		return nil, err
	}
	r.trees.put(h, es)
	return es, nil
}

// rawTree returns the raw bytes of tree h, cached by hash: okr log looks
// up one name per tree and does not need the entries decoded.
func (r *Repo) rawTree(h plumbing.Hash) (string, error) {
	if raw, ok := r.raws.get(h); ok {
		return raw, nil
	}
	raw, err := readRaw(r.repo.Storer, plumbing.TreeObject, h)
	if err != nil {
		return "", fmt.Errorf("read tree %s: %w", short(h.String()), err)
	}
	r.raws.put(h, raw)
	return raw, nil
}

// readRaw reads an object's bytes into a string.
func readRaw(st storer.EncodedObjectStorer, t plumbing.ObjectType, h plumbing.Hash) (string, error) {
	if ps, ok := st.(*packStorer); ok {
		if data, found, err := ps.raw(t, h); found || err != nil {
			return string(data), err
		}
	}
	obj, err := st.EncodedObject(t, h)
	if err != nil {
		return "", err
	}
	rd, err := obj.Reader()
	if err != nil {
		return "", err
	}
	defer rd.Close()
	var b strings.Builder
	b.Grow(int(obj.Size()))
	if _, err := io.Copy(&b, rd); err != nil {
		return "", err
	}
	return b.String(), nil
}

// lookupRaw finds the entry called name in a raw tree object without
// decoding the others. A malformed tree finds nothing.
func lookupRaw(s, name string) (filemode.FileMode, plumbing.Hash, bool) {
	var h plumbing.Hash
	for i := 0; i < len(s); {
		sp := strings.IndexByte(s[i:], ' ')
		z := strings.IndexByte(s[i:], 0)
		if sp <= 0 || z <= sp+1 || i+z+21 > len(s) {
			return 0, h, false
		}
		if s[i+sp+1:i+z] == name {
			mode, ok := treeModes[s[i:i+sp]]
			if !ok {
				return 0, h, false
			}
			copy(h[:], s[i+z+1:i+z+21])
			return mode, h, true
		}
		i += z + 21
	}
	return 0, h, false
}

// readTree reads and decodes a tree object. It does what go-git's
// object.GetTree does with two allocations instead of one or more per
// entry: the names are substrings of one string holding the whole object.
func readTree(st storer.EncodedObjectStorer, h plumbing.Hash) ([]object.TreeEntry, error) {
	raw, err := readRaw(st, plumbing.TreeObject, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", short(h.String()), err)
	}
	es, err := parseTree(raw)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", short(h.String()), err)
	}
	return es, nil
}

var errBadTree = errors.New("malformed tree object")

// treeModes are the modes git writes in trees; anything else is refused.
var treeModes = map[string]filemode.FileMode{
	"40000": filemode.Dir, "100644": filemode.Regular, "100664": filemode.Regular, // as go-git reads it
	"100755": filemode.Executable, "120000": filemode.Symlink, "160000": filemode.Submodule,
}

// parseTree decodes the entries of a raw tree object: "MODE NAME\0" and a
// 20-byte hash, repeated.
func parseTree(s string) ([]object.TreeEntry, error) {
	n := 0
	for i := 0; i < len(s); {
		z := strings.IndexByte(s[i:], 0)
		if z < 0 || i+z+1+20 > len(s) {
			return nil, errBadTree
		}
		i += z + 1 + 20
		n++
	}
	es := make([]object.TreeEntry, 0, n)
	for i := 0; i < len(s); {
		sp := strings.IndexByte(s[i:], ' ')
		z := strings.IndexByte(s[i:], 0)
		if sp <= 0 || z <= sp+1 {
			return nil, errBadTree
		}
		mode, ok := treeModes[s[i:i+sp]]
		if !ok {
			return nil, errBadTree
		}
		var e object.TreeEntry
		e.Name, e.Mode = s[i+sp+1:i+z], mode
		copy(e.Hash[:], s[i+z+1:i+z+21])
		es = append(es, e)
		i += z + 21
	}
	return es, nil
}

// workspaceTree returns the hash of the workspace folder's tree in commit
// c, plumbing.ZeroHash when the folder does not exist there.
func (r *Repo) workspaceTree(c *Commit) (plumbing.Hash, error) {
	h := c.Tree
	if r.Prefix == "" {
		return h, nil
	}
	for _, name := range strings.Split(r.Prefix, "/") {
		es, err := r.entries(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		e := find(es, name)
		if e == nil || e.Mode != filemode.Dir {
			return plumbing.ZeroHash, nil
		}
		h = e.Hash
	}
	return h, nil
}

func find(es []object.TreeEntry, name string) *object.TreeEntry {
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
	old, new plumbing.Hash
}

// diffTrees lists the workspace files that differ between the workspace
// trees old and new (either may be zero), in path order. It descends only
// into subtrees whose hashes differ. Symbolic links and submodules are not
// workspace files in history and are skipped.
func (r *Repo) diffTrees(old, new plumbing.Hash) ([]blobChange, error) {
	var out []blobChange
	err := r.diffDir(old, new, "", &out)
	return out, err
}

func (r *Repo) diffDir(old, new plumbing.Hash, dir string, out *[]blobChange) error {
	if old == new {
		return nil
	}
	oldEs, newEs, err := r.pair(old, new)
	if err != nil {
		return err
	}
	visit := func(name string, o, n *object.TreeEntry) error {
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
			var od, nd plumbing.Hash
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
		var of, nf plumbing.Hash
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
func entryKind(e *object.TreeEntry) (h plumbing.Hash, dir, file bool) {
	if e == nil {
		return plumbing.ZeroHash, false, false
	}
	switch e.Mode {
	case filemode.Dir:
		return e.Hash, true, false
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		return e.Hash, false, true
	}
	return e.Hash, false, false
}

func (r *Repo) pair(old, new plumbing.Hash) (o, n []object.TreeEntry, err error) {
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
// (then nothing is read).
func (r *Repo) readBlob(h plumbing.Hash, limit int64) (data []byte, tooBig bool, err error) {
	return readBlob(r.repo.Storer, h, limit)
}

// readBlob reads a blob from st, or reports tooBig without reading it.
func readBlob(st storer.EncodedObjectStorer, h plumbing.Hash, limit int64) (data []byte, tooBig bool, err error) {
	if ps, ok := st.(*packStorer); ok {
		data, found, err := ps.raw(plumbing.BlobObject, h)
		if err != nil {
			return nil, false, fmt.Errorf("read blob %s: %w", short(h.String()), err)
		}
		if found {
			if int64(len(data)) > limit {
				return nil, true, nil
			}
			return data, false, nil
		}
	}
	obj, err := st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", short(h.String()), err)
	}
	if obj.Size() > limit {
		return nil, true, nil
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", short(h.String()), err)
	}
	defer rd.Close()
	// Exactly the blob's size: a walk holds thousands of blobs read ahead.
	data = make([]byte, obj.Size())
	if _, err := io.ReadFull(rd, data); err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", short(h.String()), err)
	}
	return data, false, nil
}
