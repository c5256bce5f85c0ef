package history

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"slices"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// sharedPacks are the repository's pack indexes, decoded once by go-git's
// idxfile decoder and shared by every reader of a goGitBackend: go-git's
// storage decodes them again for each handle (tens of milliseconds for a
// pack of 100,000 objects, and a walk opens several handles), and an
// idxfile.MemoryIndex is safe for concurrent use. Each reader opens its
// own packfile.Packfile over them (its own file and delta-base cache).
type sharedPacks struct {
	once  sync.Once
	dir   *dotgit.DotGit
	packs []sharedPack
	// ok is false when an index could not be read: readers then go
	// through go-git's storage alone, which reports the problem.
	ok bool
}

type sharedPack struct {
	name plumbing.Hash
	idx  *frozenIndex
}

// frozenIndex is a decoded pack index that answers lookups without
// locks: go-git's MemoryIndex takes its write lock on every FindOffset
// (to remember the offset for FindHash) and its read lock on every
// FindHash, and the goroutines of a walk, each reading through its own
// packfile.Packfile over the shared index, then queue on it (okr log with
// the go-git backend took 1.6x as long). The entries, read once through
// go-git's iterator, are kept in two arrays searched by halves, never
// written after: 32 bytes an object, about what the map go-git builds for
// FindHash takes (which it no longer builds).
type frozenIndex struct {
	*idxfile.MemoryIndex
	names []plumbing.Hash // sorted
	offs  []int64         // offs[i] is names[i]'s offset
	byOff []uint32        // indexes into names, by offset
}

func freeze(idx *idxfile.MemoryIndex) (*frozenIndex, error) {
	n, err := idx.Count()
	if err != nil {
		return nil, err
	}
	type entry struct {
		h plumbing.Hash
		o int64
	}
	es := make([]entry, 0, n)
	it, err := idx.Entries()
	if err != nil {
		return nil, err
	}
	defer it.Close()
	for {
		e, err := it.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		es = append(es, entry{e.Hash, int64(e.Offset)})
	}
	slices.SortFunc(es, func(a, b entry) int { return bytes.Compare(a.h[:], b.h[:]) })
	f := &frozenIndex{MemoryIndex: idx, names: make([]plumbing.Hash, len(es)), offs: make([]int64, len(es)), byOff: make([]uint32, len(es))}
	for i, e := range es {
		f.names[i], f.offs[i], f.byOff[i] = e.h, e.o, uint32(i)
	}
	slices.SortFunc(f.byOff, func(a, b uint32) int { return cmp.Compare(f.offs[a], f.offs[b]) })
	return f, nil
}

// Contains, FindOffset and FindHash implement idxfile.Index.
func (f *frozenIndex) Contains(h plumbing.Hash) (bool, error) {
	_, ok := f.find(h)
	return ok, nil
}

func (f *frozenIndex) FindOffset(h plumbing.Hash) (int64, error) {
	if i, ok := f.find(h); ok {
		return f.offs[i], nil
	}
	return 0, plumbing.ErrObjectNotFound
}

func (f *frozenIndex) FindHash(o int64) (plumbing.Hash, error) {
	i, ok := slices.BinarySearchFunc(f.byOff, o, func(i uint32, o int64) int { return cmp.Compare(f.offs[i], o) })
	if !ok {
		return plumbing.ZeroHash, plumbing.ErrObjectNotFound
	}
	return f.names[f.byOff[i]], nil
}

func (f *frozenIndex) find(h plumbing.Hash) (int, bool) {
	return slices.BinarySearchFunc(f.names, h, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
}

// load reads the indexes, once.
func (s *sharedPacks) load() bool {
	s.once.Do(func() {
		defer func() {
			if recover() != nil {
				s.packs, s.ok = nil, false
			}
		}()
		names, err := s.dir.ObjectPacks()
		if err != nil {
			return
		}
		for _, h := range names {
			idx, err := s.loadIndex(h)
			if err != nil {
				return
			}
			s.packs = append(s.packs, sharedPack{h, idx})
		}
		s.ok = true
	})
	return s.ok
}

// loadIndex decodes the index of pack h as go-git's storage does.
func (s *sharedPacks) loadIndex(h plumbing.Hash) (*frozenIndex, error) {
	f, err := s.dir.ObjectPackIdx(h)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(f).Decode(idx); err != nil {
		return nil, err
	}
	if !bytes.Equal(idx.PackfileChecksum[:], h[:]) {
		return nil, errors.New("pack index names another pack")
	}
	return freeze(idx)
}

// packReader reads objects from the shared indexes' packs, each opened on
// first use.
type packReader struct {
	shared *sharedPacks
	cache  cache.Object
	open   []*packfile.Packfile
	failed []bool
}

func newPackReader(s *sharedPacks, cacheSize cache.FileSize) *packReader {
	return &packReader{shared: s, cache: cache.NewObjectLRU(cacheSize),
		open: make([]*packfile.Packfile, len(s.packs)), failed: make([]bool, len(s.packs))}
}

// get returns object h when a pack has it and go-git reads it without
// error or panic; ok false otherwise (the caller then asks go-git's
// storage, which says what is wrong, as it did before the fast path).
func (p *packReader) get(h plumbing.Hash) (obj plumbing.EncodedObject, ok bool) {
	defer func() {
		if recover() != nil {
			obj, ok = nil, false
		}
	}()
	for i, sp := range p.shared.packs {
		off, err := sp.idx.FindOffset(h)
		if err != nil {
			continue
		}
		if p.failed[i] {
			return nil, false
		}
		pf := p.open[i]
		if pf == nil {
			f, err := p.shared.dir.ObjectPack(sp.name)
			if err != nil {
				p.failed[i] = true
				return nil, false
			}
			pf = packfile.NewPackfileWithCache(sp.idx, p.shared.dir.Fs(), f, p.cache, 0)
			p.open[i] = pf
		}
		obj, err := pf.GetByOffset(off)
		if err != nil {
			return nil, false
		}
		return obj, true
	}
	return nil, false
}

func (p *packReader) close() error {
	var errs []error
	for _, pf := range p.open {
		if pf != nil {
			errs = append(errs, pf.Close())
		}
	}
	return errors.Join(errs...)
}
