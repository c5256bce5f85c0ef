package history

import (
	"bytes"
	"errors"
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
	idx  *idxfile.MemoryIndex
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
func (s *sharedPacks) loadIndex(h plumbing.Hash) (*idxfile.MemoryIndex, error) {
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
	return idx, nil
}

// packReader reads objects from the shared indexes' packs, each opened on
// first use.
type packReader struct {
	shared *sharedPacks
	cache  cache.Object
	open   []*packfile.Packfile
	failed []bool
}

func newPackReader(s *sharedPacks) *packReader {
	return &packReader{shared: s, cache: cache.NewObjectLRU(4 * cache.MiByte),
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
