package history

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
)

// maxMemPack is the largest pack file read into memory whole (or mapped,
// where the system can). go-git reads
// a pack object by seeking and reading the file, a system call or two per
// object; a walk reads tens of thousands of objects, so serving packs from
// memory removes most of its system time. Larger packs are read from disk.
const maxMemPack = 512 << 20

// packFS serves the pack files under objects/pack from memory, read once
// and shared by every handle on the store; everything else goes to the
// file system.
type packFS struct {
	billy.Filesystem
	packs *packCache
}

// packCache holds the pack files read or mapped so far, by name.
type packCache struct {
	mu     sync.Mutex
	bytes  map[string][]byte
	mapped [][]byte
}

// close unmaps the mapped pack files; nothing may read them afterwards.
func (c *packCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for _, b := range c.mapped {
		if err := unmapFile(b); err != nil && first == nil {
			first = err
		}
	}
	c.mapped, c.bytes = nil, map[string][]byte{}
	return first
}

func (p packFS) Open(name string) (billy.File, error) {
	if !strings.HasSuffix(name, ".pack") {
		return p.Filesystem.Open(name)
	}
	p.packs.mu.Lock()
	defer p.packs.mu.Unlock()
	if data, ok := p.packs.bytes[name]; ok {
		return &memFile{name: name, data: data, Reader: bytes.NewReader(data)}, nil
	}
	fi, err := p.Filesystem.Stat(name)
	if err != nil || fi.Size() > maxMemPack {
		return p.Filesystem.Open(name)
	}
	if r, ok := p.Filesystem.(interface{ Root() string }); ok {
		if data, err := mapFile(filepath.Join(r.Root(), filepath.FromSlash(name)), fi.Size()); err == nil {
			p.packs.bytes[name] = data
			p.packs.mapped = append(p.packs.mapped, data)
			return &memFile{name: name, data: data, Reader: bytes.NewReader(data)}, nil
		}
	}
	f, err := p.Filesystem.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, err
	}
	p.packs.bytes[name] = data
	return &memFile{name: name, data: data, Reader: bytes.NewReader(data)}, nil
}

// memFile is a read-only billy.File over bytes.
type memFile struct {
	name string
	data []byte
	*bytes.Reader
}

// bytes returns the whole file.
func (f *memFile) bytes() []byte { return f.data }

var errReadOnly = errors.New("read-only pack file")

func (f *memFile) Name() string              { return f.name }
func (f *memFile) Write([]byte) (int, error) { return 0, errReadOnly }
func (f *memFile) Close() error              { return nil }
func (f *memFile) Lock() error               { return nil }
func (f *memFile) Unlock() error             { return nil }
func (f *memFile) Truncate(int64) error      { return errReadOnly }
