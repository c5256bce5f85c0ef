package history

import (
	"bytes"
	"compress/zlib"
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// packObjects reads objects straight from the repository's pack files
// (version 2 index, mapped or read into memory): a binary search in the
// index, the object's header, zlib, and delta resolution with a bounded
// cache of decoded bases. It is what go-git's packfile reader does, less
// the per-object hashing, copying and bookkeeping that made reading the
// commit chain of a long history the critical path of okr log (profiles in
// docs/performance.md). It is safe for concurrent use. Objects it does not
// find (loose objects, packs it cannot read) are read through go-git.
type packObjects struct {
	packs []*packFile
	cache *baseCache
}

// packFile is one pack and its index.
type packFile struct {
	data    []byte   // the .pack file
	fanout  []uint32 // 256 cumulative counts
	hashes  []byte   // sorted object ids, 20 bytes each
	offsets []byte   // 4 bytes each
	large   []byte   // 8-byte offsets for packs over 2 GiB
}

// Object types in a pack.
const (
	packCommit   = 1
	packTree     = 2
	packBlob     = 3
	packTag      = 4
	packOfsDelta = 6
	packRefDelta = 7
)

var errBadPack = errors.New("malformed pack file")

// openPacks loads the index and data of every pack under objects/pack of
// fs; packs come from cache (mapped once, shared by every store handle).
func openPacks(fs billy.Filesystem, cache *packCache) (*packObjects, error) {
	dir := path.Join("objects", "pack")
	entries, err := fs.ReadDir(dir)
	if err != nil {
		return &packObjects{cache: newBaseCache(32 << 20)}, nil // no packs
	}
	po := &packObjects{cache: newBaseCache(32 << 20)}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".idx") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		idx, err := readAll(fs, path.Join(dir, n))
		if err != nil {
			return nil, err
		}
		f, err := (packFS{fs, cache}).Open(path.Join(dir, strings.TrimSuffix(n, ".idx")+".pack"))
		if err != nil {
			continue // an index without its pack: leave it to go-git
		}
		mf, ok := f.(*memFile)
		f.Close()
		if !ok {
			continue // too large to map: go-git reads it from disk
		}
		p, err := parseIndex(idx)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", n, err)
		}
		p.data = mf.bytes()
		po.packs = append(po.packs, p)
	}
	return po, nil
}

func readAll(fs billy.Filesystem, name string) ([]byte, error) {
	f, err := fs.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// parseIndex reads a version 2 pack index.
func parseIndex(b []byte) (*packFile, error) {
	if len(b) < 8+256*4 || !bytes.Equal(b[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(b[4:8]) != 2 {
		return nil, fmt.Errorf("%w: not a version 2 index", errBadPack)
	}
	p := &packFile{fanout: make([]uint32, 256)}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(b[8+4*i:])
	}
	n := int(p.fanout[255])
	pos := 8 + 256*4
	if len(b) < pos+n*(20+4+4)+40 {
		return nil, fmt.Errorf("%w: index too short", errBadPack)
	}
	p.hashes = b[pos : pos+20*n]
	pos += 20*n + 4*n // skip the CRCs
	p.offsets = b[pos : pos+4*n]
	pos += 4 * n
	p.large = b[pos : len(b)-40]
	return p, nil
}

// find returns the pack offset of h, or -1.
func (p *packFile) find(h plumbing.Hash) int64 {
	lo := uint32(0)
	if h[0] > 0 {
		lo = p.fanout[h[0]-1]
	}
	hi := p.fanout[h[0]]
	i := lo + uint32(sort.Search(int(hi-lo), func(i int) bool {
		return bytes.Compare(p.hashes[20*(int(lo)+i):20*(int(lo)+i)+20], h[:]) >= 0
	}))
	if i >= hi || !bytes.Equal(p.hashes[20*i:20*i+20], h[:]) {
		return -1
	}
	off := binary.BigEndian.Uint32(p.offsets[4*i:])
	if off&0x80000000 == 0 {
		return int64(off)
	}
	j := int(off & 0x7fffffff)
	if 8*j+8 > len(p.large) {
		return -1
	}
	return int64(binary.BigEndian.Uint64(p.large[8*j:]))
}

// read returns the type and content of h, and found false when no pack
// holds it.
func (po *packObjects) read(h plumbing.Hash) (typ int, data []byte, found bool, err error) {
	return po.readDepth(h, 0)
}

// locate returns the pack holding h and h's offset in it; nil when no
// pack holds h.
func (po *packObjects) locate(h plumbing.Hash) (*packFile, int64) {
	for _, p := range po.packs {
		if off := p.find(h); off >= 0 {
			return p, off
		}
	}
	return nil, -1
}

// maxDeltaDepth bounds delta chains (git's default is 50).
const maxDeltaDepth = 10000

// at decodes the object at off in p, resolving deltas.
func (po *packObjects) at(p *packFile, off int64, depth int) (int, []byte, error) {
	if depth > maxDeltaDepth {
		return 0, nil, fmt.Errorf("%w: delta chain too deep", errBadPack)
	}
	if t, d, ok := po.cache.get(p, off); ok {
		return t, d, nil
	}
	data := p.data
	typ, size, pos, err := entryHeader(data, off)
	if err != nil {
		return 0, nil, err
	}
	var baseType int
	var base []byte
	switch typ {
	case packCommit, packTree, packBlob, packTag:
	case packOfsDelta:
		var rel int64
		if rel, pos, err = ofsDeltaBase(data, pos); err != nil {
			return 0, nil, err
		}
		if baseType, base, err = po.at(p, off-rel, depth+1); err != nil {
			return 0, nil, err
		}
	case packRefDelta:
		if pos+20 > len(data) {
			return 0, nil, errBadPack
		}
		var bh plumbing.Hash
		copy(bh[:], data[pos:pos+20])
		pos += 20
		t, b, found, err := po.readDepth(bh, depth+1)
		if err != nil {
			return 0, nil, err
		}
		if !found {
			return 0, nil, fmt.Errorf("%w: delta base %s not in a pack", errBadPack, bh)
		}
		baseType, base = t, b
	default:
		return 0, nil, fmt.Errorf("%w: object type %d", errBadPack, typ)
	}
	if size > uint64(len(data))*1032+1<<20 {
		return 0, nil, fmt.Errorf("%w: object size %d", errBadPack, size)
	}
	raw, err := inflate(data[pos:], int(size))
	if err != nil {
		return 0, nil, err
	}
	if base != nil {
		if raw, err = applyDelta(base, raw); err != nil {
			return 0, nil, err
		}
		typ = baseType
	}
	po.cache.put(p, off, typ, raw)
	return typ, raw, nil
}

// entryHeader decodes the header of the pack entry at off: its type, its
// size (of the delta, for a delta) and where the rest of the entry starts.
func entryHeader(data []byte, off int64) (typ int, size uint64, pos int, err error) {
	if off < 0 || off >= int64(len(data)) {
		return 0, 0, 0, errBadPack
	}
	pos = int(off)
	c := data[pos]
	pos++
	typ = int(c>>4) & 7
	size = uint64(c & 15)
	for shift := uint(4); c&0x80 != 0; shift += 7 {
		if pos >= len(data) || shift > 63 {
			return 0, 0, 0, errBadPack
		}
		c = data[pos]
		pos++
		size |= uint64(c&0x7f) << shift
	}
	return typ, size, pos, nil
}

// ofsDeltaBase decodes the base distance of an offset delta at pos.
func ofsDeltaBase(data []byte, pos int) (rel int64, next int, err error) {
	if pos >= len(data) {
		return 0, 0, errBadPack
	}
	c := data[pos]
	pos++
	rel = int64(c & 0x7f)
	for c&0x80 != 0 {
		if pos >= len(data) || rel > 1<<56 {
			return 0, 0, errBadPack
		}
		c = data[pos]
		pos++
		rel = (rel+1)<<7 | int64(c&0x7f)
	}
	return rel, pos, nil
}

// wholeSize returns the size of h's content from its pack entry's header,
// without inflating anything, when h is stored whole; known is false for a
// delta (its result's size is inside the compressed delta) and found false
// when no pack holds h.
func (po *packObjects) wholeSize(h plumbing.Hash) (size int64, known, found bool, err error) {
	p, off := po.locate(h)
	if p == nil {
		return 0, false, false, nil
	}
	if _, d, ok := po.cache.get(p, off); ok {
		return int64(len(d)), true, true, nil
	}
	typ, n, _, err := entryHeader(p.data, off)
	if err != nil {
		return 0, false, true, err
	}
	switch typ {
	case packCommit, packTree, packBlob, packTag:
		return int64(n), true, true, nil
	}
	return 0, false, true, nil
}

func (po *packObjects) readDepth(h plumbing.Hash, depth int) (int, []byte, bool, error) {
	p, off := po.locate(h)
	if p == nil {
		return 0, nil, false, nil
	}
	t, d, err := po.at(p, off, depth)
	return t, d, true, err
}

var zlibReaders sync.Pool

// inflate decompresses the zlib stream at the start of src, which must
// hold exactly size bytes.
func inflate(src []byte, size int) ([]byte, error) {
	br := bytes.NewReader(src)
	var zr io.ReadCloser
	if v := zlibReaders.Get(); v != nil {
		zr = v.(io.ReadCloser)
		if err := zr.(zlib.Resetter).Reset(br, nil); err != nil {
			return nil, fmt.Errorf("%w: %v", errBadPack, err)
		}
	} else {
		var err error
		if zr, err = zlib.NewReader(br); err != nil {
			return nil, fmt.Errorf("%w: %v", errBadPack, err)
		}
	}
	defer zlibReaders.Put(zr)
	out := make([]byte, size)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadPack, err)
	}
	return out, nil
}

// applyDelta applies a git delta to base.
func applyDelta(base, delta []byte) ([]byte, error) {
	pos := 0
	varint := func() (uint64, bool) {
		var v uint64
		for shift := uint(0); ; shift += 7 {
			if pos >= len(delta) || shift > 63 {
				return 0, false
			}
			c := delta[pos]
			pos++
			v |= uint64(c&0x7f) << shift
			if c&0x80 == 0 {
				return v, true
			}
		}
	}
	srcSize, ok1 := varint()
	dstSize, ok2 := varint()
	if !ok1 || !ok2 || srcSize != uint64(len(base)) || dstSize > uint64(len(delta))*0x10000+0x10000 {
		return nil, fmt.Errorf("%w: bad delta header", errBadPack)
	}
	out := make([]byte, 0, dstSize)
	for pos < len(delta) {
		op := delta[pos]
		pos++
		switch {
		case op&0x80 != 0:
			var off, n uint64
			for i := uint(0); i < 4; i++ {
				if op&(1<<i) != 0 {
					if pos >= len(delta) {
						return nil, errBadPack
					}
					off |= uint64(delta[pos]) << (8 * i)
					pos++
				}
			}
			for i := uint(0); i < 3; i++ {
				if op&(0x10<<i) != 0 {
					if pos >= len(delta) {
						return nil, errBadPack
					}
					n |= uint64(delta[pos]) << (8 * i)
					pos++
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > uint64(len(base)) || uint64(len(out))+n > dstSize {
				return nil, fmt.Errorf("%w: delta copies outside its base", errBadPack)
			}
			out = append(out, base[off:off+n]...)
		case op != 0:
			n := int(op)
			if pos+n > len(delta) || uint64(len(out)+n) > dstSize {
				return nil, errBadPack
			}
			out = append(out, delta[pos:pos+n]...)
			pos += n
		default:
			return nil, fmt.Errorf("%w: delta opcode 0", errBadPack)
		}
	}
	if uint64(len(out)) != dstSize {
		return nil, fmt.Errorf("%w: delta result has the wrong size", errBadPack)
	}
	return out, nil
}

// baseCache is an LRU of decoded objects by pack and offset, bounded in
// bytes: delta chains share their bases.
type baseCache struct {
	mu    sync.Mutex
	max   int
	size  int
	ll    *list.List
	items map[baseKey]*list.Element
}

type baseKey struct {
	p   *packFile
	off int64
}

type baseEntry struct {
	key  baseKey
	typ  int
	data []byte
}

func newBaseCache(max int) *baseCache {
	return &baseCache{max: max, ll: list.New(), items: map[baseKey]*list.Element{}}
}

func (c *baseCache) get(p *packFile, off int64) (int, []byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[baseKey{p, off}]; ok {
		c.ll.MoveToFront(e)
		be := e.Value.(*baseEntry)
		return be.typ, be.data, true
	}
	return 0, nil, false
}

func (c *baseCache) put(p *packFile, off int64, typ int, data []byte) {
	if len(data) > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := baseKey{p, off}
	if _, ok := c.items[k]; ok {
		return
	}
	c.items[k] = c.ll.PushFront(&baseEntry{k, typ, data})
	c.size += len(data)
	for c.size > c.max {
		e := c.ll.Back()
		be := e.Value.(*baseEntry)
		c.ll.Remove(e)
		delete(c.items, be.key)
		c.size -= len(be.data)
	}
}

// packStorer is a go-git object store that reads packed objects through
// packObjects first.
type packStorer struct {
	*filesystem.Storage
	objs *packObjects
}

var packTypes = map[int]plumbing.ObjectType{packCommit: plumbing.CommitObject, packTree: plumbing.TreeObject,
	packBlob: plumbing.BlobObject, packTag: plumbing.TagObject}

// raw reads h's content, found false when no pack holds it. The bytes
// may be shared with the cache: callers must not change them.
func (s *packStorer) raw(t plumbing.ObjectType, h plumbing.Hash) ([]byte, bool, error) {
	_, data, found, err := s.typed(t, h)
	return data, found, err
}

func (s *packStorer) typed(t plumbing.ObjectType, h plumbing.Hash) (plumbing.ObjectType, []byte, bool, error) {
	typ, data, found, err := s.objs.read(h)
	if !found || err != nil {
		return 0, nil, found, err
	}
	if t != plumbing.AnyObject && packTypes[typ] != t {
		return 0, nil, true, plumbing.ErrObjectNotFound
	}
	return packTypes[typ], data, true, nil
}

// EncodedObject reads h from the packs, else through go-git.
func (s *packStorer) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	typ, data, found, err := s.typed(t, h)
	if err != nil {
		return nil, err
	}
	if !found {
		return s.Storage.EncodedObject(t, h)
	}
	o := &plumbing.MemoryObject{}
	o.SetType(typ)
	o.SetSize(int64(len(data)))
	if _, err := o.Write(data); err != nil {
		return nil, err
	}
	return o, nil
}
